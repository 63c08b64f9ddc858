# vendorCargoDeps: every crate of a Cargo.lock in one directory cargo can build from offline,
# with a `config.toml` that replaces every registry and git source by it (for
# $CARGO_HOME/config.toml). The lock is the one chosenCargoLock picks (cargoLock,
# cargoLockContents, cargoLockParsed), else src + "/Cargo.lock" (read at evaluation time: no
# IFD for a path src). Registry crates are fixed-output fetches with the lock's sha256; git
# sources are one checkout each (see vendorGitDeps). `registries` and `cargoConfigs` name the
# registries as in crane (see vendorCargoRegistries); by default the cargo config at the root
# of a path src is read. With `hash`, everything is fetched at build time by one fixed-output
# derivation instead (see vendorCargoDepsWithHash).
{
  lib,
  runCommand,
  cargoLockPackages,
  sourceView,
  vendorCargoRegistries,
  vendorGitDeps,
  vendorCargoDepsWithHash,
}:

args@{
  outputHashes ? { },
  overrideVendorCargoPackage ? (p: drv: drv),
  overrideVendorGitCheckout ? (ps: drv: drv),
  ...
}:
let
  lockPackages = args.gantryLockPackages or (cargoLockPackages args);
  # What of src can be read without building anything (sourceView): a path, or a filtered
  # source over one, through its filter.
  view = sourceView (args.src or null);
  # crane reads every .cargo/config.toml under src; cargo itself reads the one of the
  # directory it runs in (and its parents), so the root's are the ones a build sees.
  cargoConfigs =
    args.cargoConfigs or (
      if view == null then
        [ ]
      else
        map (rel: view.root + "/${rel}") (
          builtins.filter view.hasFile [
            ".cargo/config.toml"
            ".cargo/config"
          ]
        )
    );
  known = p: !(p ? source) || lib.hasPrefix "registry+" p.source || lib.hasPrefix "sparse+" p.source || lib.hasPrefix "git+" p.source;
  unknown = builtins.filter (p: !(known p)) lockPackages;
  registryPart = vendorCargoRegistries (
    {
      inherit lockPackages overrideVendorCargoPackage cargoConfigs;
    }
    // lib.optionalAttrs (args ? registries) { inherit (args) registries; }
  );
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
