# buildDepsPerCrate: buildDepsOnly with every dependency crate compiled in a derivation of
# its own (a piece), so a Cargo.lock change rebuilds only the pieces it touches and projects
# share pieces. The plan (which units, with which features) comes from cargo's unit graph of
# the project: built at evaluation time by default (import from derivation), or read from
# `piecesPlan`, a copy committed to the repository, checked against the lock file. The pieces
# are assembled into one artifacts layer (links, no copies) and a buildDepsOnly run over it
# builds what no piece holds (workspace members, path dependencies, and what depends on
# them), so the result is used as cargoArtifacts like buildDepsOnly's.
{
  lib,
  runCommand,
  buildDepsOnly,
  buildCargoPiece,
  cargoPiecesPlan,
  cargoLockPackages,
  crateNameFromCargoToml,
  mkDummySrc,
  vendorCargoDeps,
  downloadCargoPackage,
  vendorGitDeps,
  workspaceManifests,
  sourceView,
  gantry-helper,
}:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoCheckCommand ? "cargoWithProfile check",
  cargoExtraArgs ? "--locked",
  cargoTestCommand ? "cargoWithProfile test",
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
  # buildDepsOnly's check pass (crane's `cargoCheckCommand`, skipped with "true") compiles the
  # dependencies' metadata units, which cargoClippy and cargoDoc use: pieces hold them too.
  checkUnits = cargoCheckCommand != "true";

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
  # What of the workspace's manifests decides which units cargo compiles with which features
  # (dependency tables, features, proc-macro libs, the resolver), read without a walk of the
  # tree (workspaceManifests); not versions, so a member's version bump keeps it, nor the
  # version requirement of a path dependency on a member. A source that is a derivation
  # cannot be read at evaluation time: its manifests are not compared (the lock still is).
  view = if args ? src then sourceView args.src else null;
  manifests = if view == null then null else workspaceManifests view;
  dependencyTable = lib.mapAttrs (_: d: if builtins.isAttrs d && d ? path then removeAttrs d [ "version" ] else d);
  dependencyTables =
    t:
    lib.mapAttrs (_: dependencyTable) (
      lib.filterAttrs (name: _: builtins.elem name (import ./dependencyTableNames.nix)) t
    );
  relevant =
    m:
    let
      toml = builtins.fromTOML m.text;
    in
    {
      inherit (m) dir;
      tables = dependencyTables toml;
      target = lib.mapAttrs (_: dependencyTables) (toml.target or { });
      features = toml.features or null;
      lib = toml.lib or null;
      edition = toml.package.edition or null;
      resolver = toml.package.resolver or toml.workspace.resolver or null;
      workspaceDependencies = dependencyTable (toml.workspace.dependencies or { });
      patch = lib.mapAttrs (_: dependencyTable) (toml.patch or { });
      replace = toml.replace or null;
    };
  manifestsDigest = if manifests == null then "unread" else digest (map relevant manifests);
  # The plan is stale when either changes; a plan made before manifests were compared has
  # the lock's digest alone.
  lockHash = "${lockDigest}+${manifestsDigest}";
  dummySrc = args.dummySrc or (mkDummySrc args);
  cargoVendorDir = args.cargoVendorDir or (vendorCargoDeps args);

  planDrv = cargoPiecesPlan {
    inherit
      pname
      cargoVendorDir
      cargoBuildCommand
      cargoExtraArgs
      cargoTestCommand
      environment
      lockHash
      mergePrivateLeaves
      ;
    src = dummySrc;
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
      in
      if committed.lockHash or null == lockHash then
        committed
      else if committedLock != lockDigest then
        throw "buildDepsPerCrate: ${shown} was made for another Cargo.lock (its dependencies changed since); ${regenerate}"
      else
        throw "buildDepsPerCrate: ${shown} was made for other manifests (a dependency, feature or proc-macro setting in a Cargo.toml of the workspace changed since); ${regenerate}";

  # The checkouts of git packages, the same derivations as vendorCargoDeps's: a piece's git
  # crate is its crate's directory in its checkout.
  gitDeps = vendorGitDeps { inherit lockPackages outputHashes overrideVendorGitCheckout; };
  lockByKey = builtins.listToAttrs (map (p: lib.nameValuePair "${p.name} ${p.version} ${p.source or ""}" p) lockPackages);
  lockEntry =
    key:
    let
      p = lockByKey.${key} or (throw "buildDepsPerCrate: the plan names ${key}, which Cargo.lock lacks; regenerate the plan");
    in
    {
      inherit (p) name version source;
      checksum = p.checksum or null;
      dependencies = p.dependencies or [ ];
      path = if gitDeps.isGit p then gitDeps.packagePath p else overrideVendorCargoPackage p (downloadCargoPackage p);
    };
  described = p: { inherit (p) name version source features host target; };

  pieces = lib.mapAttrs (
    id: piece:
    buildCargoPiece {
      inherit piece environment checkUnits;
      spec = {
        inherit id;
        crates = map described ([ piece ] ++ map (d: plan.pieces.${d}) piece.closure) ++ piece.merged or [ ];
        lock = map lockEntry piece.lock;
        inherit (plan) profile cargoConfig;
        inherit checkUnits;
      };
      closure = map (d: pieces.${d}) piece.closure;
    }
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
