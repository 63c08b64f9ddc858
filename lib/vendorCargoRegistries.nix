# vendorCargoRegistries { lockPackages, overrideVendorCargoPackage ? (p: drv: drv),
# cargoConfigs ? [ ], registries ? <from cargoConfigs> }: the registry crates among
# `lockPackages` (Cargo.lock entries whose source is `registry+…` or `sparse+…`), one
# directory source per registry. Returns `{ config; sources; }`: the `[source]` entries
# replacing every registry (TOML text) and the directories by source.
#
# As in crane, `registries` maps a registry name to its index URL (crates-io is always
# known), and without it the `[registries]` tables of the `cargoConfigs` files
# (.cargo/config.toml paths) are read; a registry the lock uses is replaced under that name.
# One name given two index URLs that the lock both uses is an error. gantry replaces the
# lock's other registries too (crane only warns about them), under a name of its own:
# cargo matches a replacement by URL, so the names never decide what builds.
{
  lib,
  runCommand,
  downloadCargoPackage,
  shortHash,
}:

args@{
  lockPackages,
  overrideVendorCargoPackage ? (p: drv: drv),
  cargoConfigs ? [ ],
  ...
}:
let
  cratesIo = "registry+https://github.com/rust-lang/crates.io-index";
  isRegistry = p: p ? source && (lib.hasPrefix "registry+" p.source || lib.hasPrefix "sparse+" p.source);
  # crates.io is always replaced, even with no crate from it: a dependency missing from the
  # lock then fails as "not vendored" instead of reaching for the network.
  bySource = { ${cratesIo} = [ ]; } // lib.groupBy (p: p.source) (builtins.filter isRegistry lockPackages);

  # Registry names and their index URLs (a name may come with several from several configs).
  checkedRegistries = lib.mapAttrs (
    name: url:
    if builtins.isString url then
      [ url ]
    else
      throw ''vendorCargoDeps: registries.${name} must be the registry's index URL (a string): as in crane, `registries` maps a registry name to its index URL, e.g. registries = { my-registry = "sparse+https://my-registry.example/index/"; }. How its crates are downloaded is given with appendCrateRegistries [ (registryFromDownloadUrl { … }) ].''
  ) args.registries;
  fromConfigs = lib.zipAttrs (
    lib.concatMap (
      path:
      lib.mapAttrsToList (name: registry: { ${name} = registry.index; }) (
        lib.filterAttrs (_: registry: registry ? index) ((builtins.fromTOML (builtins.readFile path)).registries or { })
      )
    ) cargoConfigs
  );
  named = { crates-io = [ (lib.removePrefix "registry+" cratesIo) ]; } // (if args ? registries then checkedRegistries else fromConfigs);
  # The lock's source an index URL stands for: as written, or with the protocol prefix added.
  lockSource =
    url:
    lib.findFirst (s: bySource ? ${s}) null [
      url
      "registry+${url}"
      "sparse+${url}"
    ];
  # name -> lock source, for the names whose registry the lock uses.
  sourceOfName = lib.filterAttrs (_: s: s != null) (
    lib.mapAttrs (
      name: urls:
      let
        used = lib.unique (builtins.filter (s: s != null) (map lockSource urls));
      in
      if builtins.length used > 1 then
        throw "vendorCargoDeps: the registry name `${name}` is configured with several index URLs that Cargo.lock uses (${lib.concatStringsSep ", " used}); give each registry name exactly one index URL (in registries or the .cargo/config.toml files of cargoConfigs)"
      else if used == [ ] then
        null
      else
        builtins.head used
    ) named
  );
  # source -> name: the first configured name (alphabetically) naming it, else gantry's own.
  nameOfSource = builtins.foldl' (acc: name: { ${sourceOfName.${name}} = name; } // acc) { } (
    builtins.attrNames sourceOfName
  );

  directory =
    source: packages:
    runCommand "cargo-registry-${shortHash source}" { } (
      "mkdir -p $out\n"
      + lib.concatMapStrings (
        p: "ln -s ${overrideVendorCargoPackage p (downloadCargoPackage p)} $out/${p.name}-${p.version}\n"
      ) packages
    );
  # The names are checked first: a conflict is reported before any crate is looked up.
  sources = builtins.seq nameOfSource (lib.mapAttrs directory bySource);

  entry =
    source: dir:
    let
      vendored = "gantry-vendored-${shortHash source}";
      name = nameOfSource.${source} or "gantry-registry-${shortHash source}";
      replaced =
        if source == cratesIo then
          ''
            [source.crates-io]
            replace-with = "${vendored}"
          ''
        else
          ''
            [source.${builtins.toJSON name}]
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
