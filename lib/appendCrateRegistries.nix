# appendCrateRegistries [ registry… ]: gantry's functions with more registries known (each
# from registryFromDownloadUrl, registryFromGitIndex or registryFromSparse), so crates from
# them can be vendored.
{ overrideScope }:

registries:
overrideScope (
  final: prev: {
    crateRegistries = prev.crateRegistries // builtins.foldl' (a: b: a // b) { } registries;
  }
)
