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
  chosenCargoLock,
  memberVersions,
  workspaceManifests,
}:

args@{
  src,
  dummyrs ? null,
  dummyBuildrs ? null,
  extraDummyScript ? "",
  cleanCargoTomlFilter ? null,
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
  # A path src also loses its members' versions before it reaches the store (see
  # memberVersions.nix): a release then keeps the dummy, and the deps derivation, as they were.
  # A replacement lock is normalised too when its text is at hand without building anything.
  # (The lock chosenCargoLock picks; a parsed lock has no text to normalise.)
  chosenLock = chosenCargoLock args;
  lockText =
    if chosenLock ? cargoLock then
      (if builtins.isPath chosenLock.cargoLock then builtins.readFile chosenLock.cargoLock else null)
    else
      chosenLock.cargoLockContents or null;
  lockKnown = cargoLock == null || lockText != null;
  # What the manifests are read from at evaluation time: a path src, or a cleanSourceWith
  # result over one (lib.fileset.toSource's too), read from its origin through its filter
  # (workspaceManifests), so no file outside the source is ever read.
  view =
    if builtins.isPath src then
      src
    else if builtins.isAttrs src && src ? origSrc && builtins.isPath src.origSrc then
      { inherit (src) origSrc filter; }
    else
      null;
  root = view.origSrc or view;
  normalised =
    if root != null && lockKnown then
      memberVersions {
        src = view;
        inherit lockText;
      }
    else
      null;
  replacedFiles =
    if normalised == null then
      [ ]
    else
      map (m: if m.dir == "" then "Cargo.toml" else "${m.dir}/Cargo.toml") normalised.manifests
      ++ [ "Cargo.lock" ];
  isReplaced = path: builtins.elem (lib.removePrefix (toString root + "/") (toString path)) replacedFiles;
  skeleton =
    if filtered then
      lib.cleanSourceWith {
        inherit src;
        filter = path: type: isSkeletonFile path type && !(isReplaced path);
        name = srcName;
      }
    else
      src;
  writeNormalised = lib.optionalString (normalised != null) (
    lib.concatMapStrings (m: ''
      cp ${builtins.toFile "Cargo.toml" m.text} "$NIX_BUILD_TOP/skeleton/${if m.dir == "" then "" else "${m.dir}/"}Cargo.toml"
    '') normalised.manifests
    + ''
      cp ${builtins.toFile "Cargo.lock" normalised.lock} "$NIX_BUILD_TOP/skeleton/Cargo.lock"
    ''
  );
  # gantry's own filters map to the helper's; a user's function is evaluated here on every
  # key path of the workspace's manifests, and the helper drops the paths it rejected.
  filterFlag =
    if cleanCargoTomlFilter == null then
      ""
    else if cleanCargoTomlFilter ? gantryFlag then
      lib.optionalString (cleanCargoTomlFilter.gantryFlag != "") " ${cleanCargoTomlFilter.gantryFlag}"
    else
      " --drop-keys ${builtins.toFile "dropped-key-paths.json" (builtins.toJSON droppedKeyPaths)}";
  customManifests = if view != null then workspaceManifests view else null;
  droppedKeyPaths =
    let
      rejected =
        path: value:
        if !(cleanCargoTomlFilter path) then
          [ path ]
        else if builtins.isAttrs value then
          lib.concatMap (name: rejected (path ++ [ name ]) value.${name}) (builtins.attrNames value)
        else if builtins.isList value then
          lib.concatMap (rejected path) value
        else
          [ ];
      top = parsed: lib.concatMap (name: rejected [ name ] parsed.${name}) (builtins.attrNames parsed);
    in
    if customManifests == null then
      throw "mkDummySrc: cleanCargoTomlFilter is a function of your own, which gantry applies to the workspace's manifests at evaluation time; that needs `src` to be a path (not a derivation) whose root Cargo.toml names its members plainly or with globs in the last path component. Pass such a path, or use filters.cargoTomlConservative or filters.cargoTomlAggressive, which the helper applies at build time."
    else
      lib.sort (a: b: builtins.toJSON a < builtins.toJSON b) (
        lib.unique (lib.concatMap (m: top (builtins.fromTOML m.text)) customManifests)
      );
  optionFlags =
    filterFlag
    + lib.optionalString filtered " --manifests-only"
    + lib.optionalString (dummyrs != null) " --dummy-rs ${dummyrs}"
    + lib.optionalString (dummyBuildrs != null) " --dummy-build-rs ${dummyBuildrs}";
in
# A replacement cargoLock goes in before the helper runs, so it is normalised like the rest.
runCommand srcName { nativeBuildInputs = [ gantry-helper ]; } (
  (
    if cargoLock == null && normalised == null then
      ''
        gantry dummy-src${optionFlags} ${skeleton} "$out"
      ''
    else
      ''
        cp -r --no-preserve=mode ${skeleton} "$NIX_BUILD_TOP/skeleton"
        ${writeNormalised}
        ${lib.optionalString (cargoLock != null && normalised == null) ''cp --no-preserve=mode ${cargoLock} "$NIX_BUILD_TOP/skeleton/Cargo.lock"''}
        gantry dummy-src${optionFlags} "$NIX_BUILD_TOP/skeleton" "$out"
      ''
  )
  + extraDummyScript
)
