# vendorCargoDeps: every crate of a Cargo.lock in one directory cargo can build from offline,
# with a `config.toml` that replaces every registry and git source by it (for
# $CARGO_HOME/config.toml). The lock comes from cargoLockParsed, cargoLockContents, cargoLock
# or src + "/Cargo.lock", in that order (read at evaluation time: no IFD for a path src).
# Registry crates are fixed-output fetches with the lock's sha256; git sources are one
# checkout each (see vendorGitDeps). With `hash`, everything is fetched at build time by one
# fixed-output derivation instead (see vendorCargoDepsWithHash).
{
  lib,
  runCommand,
  appendCrateRegistries,
  cargoLockPackages,
  vendorCargoRegistries,
  vendorGitDeps,
  vendorCargoDepsWithHash,
}:

args@{
  outputHashes ? { },
  overrideVendorCargoPackage ? (p: drv: drv),
  overrideVendorGitCheckout ? (ps: drv: drv),
  registries ? { },
  ...
}:
let
  lockPackages = args.gantryLockPackages or (cargoLockPackages args);
  # Extra registries for this call only, on top of the scope's crateRegistries.
  withRegistries =
    if registries == { } then
      vendorCargoRegistries
    else
      (appendCrateRegistries [ registries ]).vendorCargoRegistries;
  known = p: !(p ? source) || lib.hasPrefix "registry+" p.source || lib.hasPrefix "sparse+" p.source || lib.hasPrefix "git+" p.source;
  unknown = builtins.filter (p: !(known p)) lockPackages;
  registryPart = withRegistries { inherit lockPackages overrideVendorCargoPackage; };
  gitPart = vendorGitDeps { inherit lockPackages outputHashes overrideVendorGitCheckout; };
in
if args.hash or null != null then
  vendorCargoDepsWithHash args
else if unknown != [ ] then
  let
    p = builtins.head unknown;
  in
  throw "vendorCargoDeps: ${p.name} ${p.version} comes from ${p.source}, a kind of source gantry cannot vendor (registry+, sparse+ and git+ sources are supported)"
else
  runCommand "vendor-cargo-deps" {
    config = registryPart.config + gitPart.config;
    passAsFile = [ "config" ];
  } ''
    mkdir -p "$out"
    ${lib.concatStrings (
      lib.mapAttrsToList (name: dir: ''
        ln -s ${dir} "$out/${dir.name}"
      '') (registryPart.sources // gitPart.sources)
    )}
    cp "$configPath" "$out/config.toml"
  ''
