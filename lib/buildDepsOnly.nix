# buildDepsOnly: builds every dependency of the workspace from mkDummySrc's skeleton and
# installs cargo's target directory, for cargoBuild/buildPackage to inherit.
{
  gantry-helper,
  depsOnlyPasses,
  mkCargoDerivation,
  mkDummySrc,
  crateNameFromCargoToml,
  replacementCargoLock,
  vendorCargoDeps,
}:

args:

let
  # Without `src`, the crate name, the lock file and the vendored sources come from `dummySrc`
  # (as in crane; read at evaluation time, so import from derivation when it is one). With
  # both, they come from `src`: the same name and dependencies, without building the dummy
  # to evaluate.
  sourceArgs = if args ? src || !(args ? dummySrc) then args else args // { src = args.dummySrc; };
  crateName = crateNameFromCargoToml sourceArgs;
  dummySrc = args.dummySrc or (mkDummySrc args);
  passes = depsOnlyPasses args;
  cleanedArgs = removeAttrs args [
    "cargoBuildCommand"
    "cargoBuildExtraArgs"
    "cargoCheckCommand"
    "cargoCheckExtraArgs"
    "cargoExtraArgs"
    "cargoTestCommand"
    "cargoTestExtraArgs"
    "dummySrc"
    "dummyrs"
    "dummyBuildrs"
    "extraDummyScript"
    # Replaced by the dummy's own copy (normalised with the members), below.
    "cargoLock"
    "cargoLockContents"
    "cargoLockParsed"
    # Only the artifacts are installed: other outputs would stay empty.
    "outputs"
  ];
in
mkCargoDerivation (
  cleanedArgs
  // {
    src = dummySrc;
    # The replacement lock, normalised with the members' versions, is at the dummy's root;
    # replaceCargoLockHook copies it where the build runs, which a postUnpack may have moved
    # into the workspace's subdirectory (crane's workspace-not-at-root).
    cargoLock = if replacementCargoLock args != null then "${dummySrc}/Cargo.lock" else null;
    pname = args.pname or crateName.pname;
    # Not the project's version: like the dummy's member versions it is 0.0.0 unless given,
    # so a release keeps this derivation.
    version = args.version or "0.0.0";
    pnameSuffix = "-deps";
    # Usually none; buildDepsPerCrate starts from its assembled pieces.
    cargoArtifacts = args.cargoArtifacts or null;
    doInstallCargoArtifacts = true;
    # The vendored sources come from the real lock file, shared with the final build.
    cargoVendorDir = args.cargoVendorDir or (vendorCargoDeps sourceArgs);
    inherit (passes) doCheck;
    # crane's way for hooks and scripts to tell the dependency build from the real one
    # (a caller's own value is kept).
    env = (if args ? CRANE_BUILD_DEPS_ONLY then { } else { CRANE_BUILD_DEPS_ONLY = 1; }) // (args.env or { });
    # The members are stubs compiled only for cargo to see the real unit graph; their binaries
    # need no LTO (seconds each). Cargo keeps this wrapper out of the dependencies'
    # fingerprints. Set RUSTC_WORKSPACE_WRAPPER yourself (even to "") to replace it.
    RUSTC_WORKSPACE_WRAPPER =
      args.RUSTC_WORKSPACE_WRAPPER or "${gantry-helper}/libexec/gantry/dummy-rustc";
    buildPhaseCargoCommand =
      args.buildPhaseCargoCommand or ''
        ${passes.check.command} ${passes.check.args}
        ${passes.build.command} ${passes.build.args}
      '';
    checkPhaseCargoCommand =
      args.checkPhaseCargoCommand or "${passes.test.command} ${passes.test.args}";
  }
)
