# mkDummySrc: the project's skeleton with every target stubbed, made at build time by
# `gantry dummy-src` (no evaluation-time walk of the tree, no IFD when src is a derivation).
# A path src is first reduced to manifests, lock files and cargo configs, so editing code
# leaves the dummy (and so the dependency build) unchanged. The output is named like src so
# the build directory, which cargo's fingerprints see, matches the real build's.
{
  lib,
  runCommand,
  gantry-helper,
  replacementCargoLock,
}:

args@{
  src,
  dummyrs ? null,
  dummyBuildrs ? null,
  extraDummyScript ? "",
  ...
}:

let
  cargoLock = replacementCargoLock args;
  stripHash = name: let m = builtins.match "[0-9a-z]{32}-(.*)" name; in if m == null then name else builtins.head m;
  srcName =
    if builtins.isAttrs src && src ? name then stripHash src.name else stripHash (baseNameOf (toString src));
  isSkeletonFile =
    path: type:
    let
      base = baseNameOf path;
    in
    type == "directory" && base != "target" && base != ".git"
    || base == "Cargo.toml"
    || base == "Cargo.lock"
    || base == "rust-toolchain"
    || base == "rust-toolchain.toml"
    || (baseNameOf (dirOf path) == ".cargo" && (base == "config" || base == "config.toml"));
  filtered = builtins.isPath src || (builtins.isAttrs src && src ? _isLibCleanSourceWith);
  skeleton =
    if filtered then
      lib.cleanSourceWith {
        inherit src;
        filter = isSkeletonFile;
        name = srcName;
      }
    else
      src;
  optionFlags =
    lib.optionalString filtered " --manifests-only"
    + lib.optionalString (dummyrs != null) " --dummy-rs ${dummyrs}"
    + lib.optionalString (dummyBuildrs != null) " --dummy-build-rs ${dummyBuildrs}";
in
# A replacement cargoLock goes in before the helper runs, so it is normalised like the rest.
runCommand srcName { nativeBuildInputs = [ gantry-helper ]; } (
  (
    if cargoLock == null then
      ''
        gantry dummy-src${optionFlags} ${skeleton} "$out"
      ''
    else
      ''
        cp -r --no-preserve=mode ${skeleton} "$NIX_BUILD_TOP/skeleton"
        cp --no-preserve=mode ${cargoLock} "$NIX_BUILD_TOP/skeleton/Cargo.lock"
        gantry dummy-src${optionFlags} "$NIX_BUILD_TOP/skeleton" "$out"
      ''
  )
  + extraDummyScript
)
