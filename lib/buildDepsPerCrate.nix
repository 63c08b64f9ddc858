# buildDepsPerCrate: buildDepsOnly with every dependency crate compiled in a derivation of
# its own (a piece), so a Cargo.lock change rebuilds only the pieces it touches and projects
# share pieces. The plan (which units, with which features) comes from cargo's unit graph of
# the project: built at evaluation time by default (import from derivation), or read from
# `piecesPlan`, a copy committed to the repository, checked against the lock file. The pieces
# are assembled into one artifacts layer (links, no copies) and a buildDepsOnly run over it
# builds what no piece holds (the workspace's members, and what depends on one), so the
# result is used as cargoArtifacts like buildDepsOnly's. Path packages outside the
# workspace are pieces built from their directories in src.
{
  lib,
  runCommand,
  buildDepsOnly,
  buildCargoPiece,
  cargoRustcInfo,
  cargoPiecesPlan,
  depsOnlyPasses,
  cargoLockPackages,
  crateNameFromCargoToml,
  mkDummySrc,
  vendorCargoDeps,
  downloadCargoPackage,
  vendorGitDeps,
  manifestsDigest,
  sourceView,
  gantry-helper,
}:

args@{
  cargoExtraArgs ? "--locked",
  piecesPlan ? null,
  mergePrivateLeaves ? true,
  overrideVendorCargoPackage ? (p: drv: drv),
  outputHashes ? { },
  overrideVendorGitCheckout ? (ps: drv: drv),
  ...
}:
let
  crateName = crateNameFromCargoToml args;
  pname = args.pname or crateName.pname;
  # The final step's buildDepsOnly runs these; the plan takes their unit graphs. Its check pass
  # (crane's `cargoCheckCommand`, skipped with "true") compiles the dependencies' metadata
  # units, which cargoClippy and cargoDoc use: pieces hold those the pass checks.
  passes = depsOnlyPasses args;
  checkUnits = passes.checks;

  # What pieces are built with, the same as the final build's for what cargo fingerprints
  # (build script environment, flags) and the target given by hand (crane's cross-musl: the
  # plan's units and the pieces are the target's, and flags such as crt-static stay off the
  # build machine's units); anything else stays out so pieces can be shared.
  environment = lib.filterAttrs (name: _: args ? ${name}) {
    inherit (args)
      nativeBuildInputs
      buildInputs
      stdenv
      CARGO_PROFILE
      CARGO_BUILD_TARGET
      RUSTFLAGS
      CARGO_BUILD_RUSTFLAGS
      doRemapSourcePathPrefix
      ;
  };

  lockPackages = cargoLockPackages args;
  digest = value: builtins.hashString "sha256" (builtins.toJSON value);
  # The lock's dependencies (not the members): a member's version bump keeps it.
  lockDigest = digest (builtins.filter (p: p ? source) lockPackages);
  # What of the workspace's manifests decides the units (manifestsDigest); a source that is
  # a derivation cannot be read at evaluation time: its manifests are not compared (the lock
  # still is; a committed plan warns). A workspace not at src's root (entered in postUnpack)
  # is found through cargoToml, a path to its Cargo.toml inside src.
  srcView = if args ? src then sourceView args.src else null;
  workspaceDir =
    let
      dir = toString (dirOf args.cargoToml);
      root = toString srcView.root;
    in
    if srcView != null && args ? cargoToml && builtins.isPath args.cargoToml && lib.hasPrefix "${root}/" dir then
      lib.removePrefix "${root}/" dir
    else
      "";
  view = if srcView == null then null else srcView // { inherit workspaceDir; };
  # The plan is stale when either changes; a plan made before manifests were compared has
  # the lock's digest alone.
  manifests = manifestsDigest view;
  lockHash = "${lockDigest}+${manifests}";
  dummySrc = args.dummySrc or (mkDummySrc args);
  cargoVendorDir = args.cargoVendorDir or (vendorCargoDeps args);

  planDrv = cargoPiecesPlan {
    inherit
      pname
      cargoVendorDir
      passes
      environment
      lockHash
      mergePrivateLeaves
      ;
    src = dummySrc;
    postUnpack = args.postUnpack or null;
  };
  plan =
    if piecesPlan == null then
      builtins.fromJSON (builtins.readFile "${planDrv}/plan.json")
    else
      let
        committed = builtins.fromJSON (builtins.readFile piecesPlan);
        # In a flake, the path is in the store copy of the repository: show it relative.
        relative = builtins.match "${builtins.storeDir}/[^/]+/(.*)" (toString piecesPlan);
        shown = if relative == null then toString piecesPlan else builtins.head relative;
        committedLock = builtins.head (lib.splitString "+" (committed.lockHash or ""));
        regenerate = "regenerate it with: cp \"$(nix-store --realise ${planDrv.drvPath})/plan.json\" ${shown}";
        # Where the plan's build found the workspace (after postUnpack), as a place in src: the
        # manifests compared must be that workspace's. Unknown in a plan by an older gantry.
        plannedAt = lib.concatStringsSep "/" (lib.drop 1 (lib.splitString "/" (committed.workspace.dir or "")));
        place = dir: if dir == "" then "src's root" else dir;
      in
      if committed.workspace.dir or "" != "" && manifests != "unread" && plannedAt != workspaceDir then
        throw "buildDepsPerCrate: ${shown} was made for the workspace at ${place plannedAt} (where the build finds it), but the manifests compared with it are read from ${place workspaceDir}: pass cargoToml = ./${lib.optionalString (plannedAt != "") "${plannedAt}/"}Cargo.toml (a path inside src) so a change to that workspace's manifests is noticed"
      else if committed.lockHash or null == lockHash then
        lib.warnIf (manifests == "unread")
          "buildDepsPerCrate: ${shown} is checked against Cargo.lock only: the workspace's Cargo.toml files cannot be read at evaluation time (src is not a path or source filter over one, or its root has no Cargo.toml: for a workspace in a subdirectory, pass cargoToml = ./sub/dir/Cargo.toml), so a feature change there would go unnoticed"
          committed
      else if committedLock != lockDigest then
        throw "buildDepsPerCrate: ${shown} was made for another Cargo.lock (its dependencies changed since); ${regenerate}"
      else
        throw "buildDepsPerCrate: ${shown} was made for other manifests (a dependency, feature or proc-macro setting in a Cargo.toml of the workspace changed since); ${regenerate}";

  # The checkouts of git packages, the same derivations as vendorCargoDeps's: a piece's git
  # crate is its crate's directory in its checkout.
  gitDeps = vendorGitDeps { inherit lockPackages outputHashes overrideVendorGitCheckout; };
  lockByKey = builtins.listToAttrs (map (p: lib.nameValuePair "${p.name} ${p.version} ${p.source or ""}" p) lockPackages);
  # A lock entry's dependency with its version: Cargo.lock names a dependency by name alone
  # while one version of it is locked, and adds the version once a second one is (a serde bump
  # bringing in syn 3 rewrote `syn` as `syn 2.0.111` in every entry using syn 2, and so the
  # spec of every piece whose lock lines reach one: 119 of cargo-deny's 238 pieces instead of
  # the 73 that use serde). Written with the version always, such a rewrite changes no piece.
  versionsByName = lib.groupBy (p: p.name) lockPackages;
  withVersion = dependency: if lib.hasInfix " " dependency then dependency else "${dependency} ${(builtins.head versionsByName.${dependency}).version}";
  # Path packages outside the workspace (plan.workspace.outside: name -> place below the
  # build directory, whose first component is src's directory). The plan, made on the dummy
  # source, knows them with its versions: the lock's (path packages have no source there)
  # give the real ones. A piece's input is the package's directory as src has it (through
  # src's filter), so an edit there rebuilds its piece and those above it, nothing else.
  outside = plan.workspace.outside or { };
  pathPackage =
    name:
    let
      found = builtins.filter (p: !(p ? source) && p.name == name) lockPackages;
    in
    if builtins.length found == 1 then
      builtins.head found
    else
      throw "buildDepsPerCrate: the plan names the path package ${name}, which Cargo.lock has ${toString (builtins.length found)} of; regenerate the plan";
  pathSource =
    name:
    let
      inSrc = lib.concatStringsSep "/" (lib.drop 1 (lib.splitString "/" outside.${name}));
      root = toString view.root;
    in
    if view == null then
      "${args.src}/${inSrc}"
    else
      builtins.path {
        name = "${name}-source";
        path = view.root + "/${inSrc}";
        filter = path: type: view.visible (lib.removePrefix "${root}/" path) type;
      };
  isPath = p: p.source == "";
  # A crate of the plan with its real version.
  real = p: if isPath p then p // { inherit (pathPackage p.name) version; } else p;
  lockEntry =
    key:
    let
      parts = lib.splitString " " key;
      name = builtins.head parts;
      p = if lib.last parts == "" then pathPackage name else lockByKey.${key} or (throw "buildDepsPerCrate: the plan names ${key}, which Cargo.lock lacks; regenerate the plan");
    in
    {
      inherit (p) name version;
      source = p.source or "";
      checksum = p.checksum or null;
      dependencies = map withVersion (p.dependencies or [ ]);
      path =
        if !(p ? source) then
          pathSource name
        else if gitDeps.isGit p then
          gitDeps.packagePath p
        else
          overrideVendorCargoPackage p (downloadCargoPackage p);
    }
    // lib.optionalAttrs (!(p ? source)) { dir = outside.${name}; };
  # A crate as a piece's spec lists it: the plan's description of it (name, features, role,
  # whether it is checked, whether it is a proc-macro: the helper reads them) without the
  # piece's structure.
  described = p: removeAttrs (real p) [ "merged" "deps" "closure" "lock" ];

  # What every piece's project shares: the project's profile and cargo configuration.
  sharedSpec = {
    inherit (plan) profile cargoConfig;
    inherit checkUnits;
  };
  rustcInfo = cargoRustcInfo {
    inherit environment;
    spec = sharedSpec // { id = "rustc-info"; };
  };

  pieces = lib.mapAttrs (
    id: piece:
    let
      crates = map described ([ piece ] ++ map (d: plan.pieces.${d}) piece.closure ++ piece.merged or [ ]);
    in
    buildCargoPiece (
      {
        inherit environment rustcInfo;
        piece = real piece // { merged = map real piece.merged or [ ]; };
        spec = sharedSpec // {
          inherit id crates;
          lock = map lockEntry piece.lock;
        };
        closure = map (d: pieces.${d}) piece.closure;
      }
      // lib.optionalAttrs (builtins.any isPath crates) { workspaceDir = plan.workspace.dir; }
    )
  ) plan.pieces;

  assembled = runCommand "${pname}-pieces" { } ''
    ${gantry-helper}/bin/gantry assemble "$out" ${lib.concatStringsSep " " (lib.attrValues pieces)}
  '';
in
# Pieces are built without cargoExtraArgs (each piece's project pins its crates): a target
# given there would leave them built for the build machine and recompiled in the final step.
if builtins.match "(.* )?--target([ =].*)?" cargoExtraArgs != null then
  throw "buildDepsPerCrate: --target in cargoExtraArgs is not supported per crate; give the target as CARGO_BUILD_TARGET = \"<triple>\" instead"
else
buildDepsOnly (
  removeAttrs args [
    "piecesPlan"
    "mergePrivateLeaves"
  ]
  // {
    inherit dummySrc cargoVendorDir;
    cargoArtifacts = assembled;
    passthru = (args.passthru or { }) // {
      inherit pieces assembled;
      plan = planDrv;
    };
  }
)
