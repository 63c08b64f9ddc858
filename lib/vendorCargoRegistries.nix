# vendorCargoRegistries { lockPackages, overrideVendorCargoPackage ? (p: drv: drv) }: the
# registry crates among `lockPackages` (Cargo.lock entries whose source is `registry+…` or
# `sparse+…`), one directory source per registry. Returns `{ config; sources; }`: the
# `[source]` entries replacing every registry (TOML text) and the directories by source.
{
  lib,
  runCommand,
  downloadCargoPackage,
}:

{
  lockPackages,
  overrideVendorCargoPackage ? (p: drv: drv),
  ...
}:
let
  cratesIo = "registry+https://github.com/rust-lang/crates.io-index";
  isRegistry = p: p ? source && (lib.hasPrefix "registry+" p.source || lib.hasPrefix "sparse+" p.source);
  # crates.io is always replaced, even with no crate from it: a dependency missing from the
  # lock then fails as "not vendored" instead of reaching for the network.
  bySource = { ${cratesIo} = [ ]; } // lib.groupBy (p: p.source) (builtins.filter isRegistry lockPackages);
  short = s: builtins.substring 0 12 (builtins.hashString "sha256" s);

  directory =
    source: packages:
    runCommand "cargo-registry-${short source}" { } (
      "mkdir -p $out\n"
      + lib.concatMapStrings (
        p: "ln -s ${overrideVendorCargoPackage p (downloadCargoPackage p)} $out/${p.name}-${p.version}\n"
      ) packages
    );
  sources = lib.mapAttrs directory bySource;

  entry =
    source: dir:
    let
      vendored = "gantry-vendored-${short source}";
      replaced =
        if source == cratesIo then
          ''
            [source.crates-io]
            replace-with = "${vendored}"
          ''
        else
          ''
            [source.gantry-registry-${short source}]
            registry = "${lib.removePrefix "registry+" source}"
            replace-with = "${vendored}"
          '';
    in
    replaced
    + ''

      [source.${vendored}]
      directory = "${dir}"

    '';
in
{
  config = lib.concatStrings (lib.mapAttrsToList entry sources);
  inherit sources;
}
