# mkDummySrc: the project's skeleton with every target it has stubbed, made at build time by
# `gantry dummy-src` (no IFD when src is a derivation). A path src is first reduced to
# manifests, lock files and cargo configs, so editing code leaves the dummy (and so the
# dependency build) unchanged; which crate roots cargo could discover there exist is read at
# evaluation time (directory listings, never contents) and recreated as empty files, so the
# helper stubs the same targets as for the whole tree. The output is named like src so the
# build directory, which cargo's fingerprints see, matches the real build's.
{
  lib,
  runCommand,
  gantry-helper,
  replacementCargoLock,
  chosenCargoLock,
  memberVersions,
  workspaceManifests,
  findCargoFiles,
  sourceView,
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
  # Build output and version control data hold no part of the project's skeleton.
  isSkippedDir = base: base == "target" || base == ".git";
  # The files the helper keeps of a tree (helpers/src/dummy_src.rs, Skeleton::read): every
  # manifest and lock, cargo configs, the root's toolchain file. The member-versions-agree-*
  # checks compare the two: a path src's dummy (this filter, then the helper) must equal the
  # dummy of the same tree given whole to the helper.
  isSkeletonFile =
    path: type:
    let
      base = baseNameOf path;
    in
    type == "directory" && !(isSkippedDir base)
    || base == "Cargo.toml"
    || base == "Cargo.lock"
    || ((base == "rust-toolchain" || base == "rust-toolchain.toml") && dirOf path == toString root)
    || (baseNameOf (dirOf path) == ".cargo" && (base == "config" || base == "config.toml"));
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
  # What is read at evaluation time (manifests, the listings of crate-root directories): a
  # path src, or a cleanSourceWith/fileset result over one through its filter (sourceView).
  view = sourceView src;
  root = view.root or null;
  # Only a source whose directory is at hand is reduced: its crate roots can be listed.
  filtered = root != null;
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
  # The packages whose crate roots are listed: the workspace's, read from its manifests, or,
  # when those cannot be found without guessing (no root manifest, as with a workspace in a
  # subdirectory, or unusual member globs), every Cargo.toml of the tree. A package missing
  # here (a `[patch]` path, say) gets a library stub from the helper.
  packageDirs =
    if customManifests != null then
      map (m: m.dir) customManifests
    else
      let
        manifests = map (p: lib.removePrefix "${toString root}/" (toString p)) (findCargoFiles root).cargoTomls;
        dirOfManifest = rel: if rel == "Cargo.toml" then "" else lib.removeSuffix "/Cargo.toml" rel;
      in
      lib.filter (dir: !(lib.any isSkippedDir (lib.splitString "/" dir))) (
        map dirOfManifest (builtins.filter (rel: view.visible rel "regular") manifests)
      );
  # The files cargo discovers as crate roots that exist (src/lib.rs, src/main.rs,
  # src/bin/*.rs, src/bin/*/main.rs), relative to src; which of them are targets is the
  # helper's decision (autolib, autobins, declared targets). Adding or removing one changes
  # the dummy, as in crane; editing one does not.
  presentCrateRoots = lib.optionals filtered (lib.concatMap (
    dir:
    let
      at = rel: if dir == "" then rel else "${dir}/${rel}";
      listing =
        rel:
        let
          path = root + "/${at rel}";
        in
        if builtins.pathExists path && builtins.readFileType path == "directory" && view.visible (at rel) "directory" then
          lib.filterAttrs (name: type: view.visible (at "${rel}/${name}") type) (builtins.readDir path)
        else
          { };
      isFile = type: type == "regular" || type == "symlink";
      srcDir = listing "src";
      binDir = listing "src/bin";
      bin =
        name: type:
        if isFile type && lib.hasSuffix ".rs" name then
          [ (at "src/bin/${name}") ]
        else if
          type == "directory"
          && builtins.pathExists (root + "/${at "src/bin/${name}/main.rs"}")
          && view.visible (at "src/bin/${name}/main.rs") "regular"
        then
          [ (at "src/bin/${name}/main.rs") ]
        else
          [ ];
    in
    lib.optional (isFile (srcDir."lib.rs" or "")) (at "src/lib.rs")
    ++ lib.optional (isFile (srcDir."main.rs" or "")) (at "src/main.rs")
    ++ lib.concatLists (lib.mapAttrsToList bin binDir)
  ) packageDirs);
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
    + lib.optionalString (dummyrs != null) " --dummy-rs ${dummyrs}"
    + lib.optionalString (dummyBuildrs != null) " --dummy-build-rs ${dummyBuildrs}";
in
# A replacement cargoLock goes in before the helper runs, so it is normalised like the rest.
runCommand srcName { nativeBuildInputs = [ gantry-helper ]; } (
  (
    if !filtered && cargoLock == null then
      ''
        gantry dummy-src${optionFlags} ${skeleton} "$out"
      ''
    else
      ''
        cp -r --no-preserve=mode ${skeleton} "$NIX_BUILD_TOP/skeleton"
        ${writeNormalised}
        ${lib.optionalString (cargoLock != null && normalised == null) ''cp --no-preserve=mode ${cargoLock} "$NIX_BUILD_TOP/skeleton/Cargo.lock"''}
        for root in ${lib.escapeShellArgs presentCrateRoots}; do
          mkdir -p "$NIX_BUILD_TOP/skeleton/$(dirname "$root")"
          touch "$NIX_BUILD_TOP/skeleton/$root"
        done
        gantry dummy-src${optionFlags} "$NIX_BUILD_TOP/skeleton" "$out"
      ''
  )
  + extraDummyScript
)
