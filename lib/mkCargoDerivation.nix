# mkCargoDerivation: stdenv.mkDerivation with gantry's cargo hooks. The build phase runs
# buildPhaseCargoCommand, the check phase checkPhaseCargoCommand, the install phase
# installPhaseCommand; the configure phase only runs its hooks (crane), so a cmake or meson in
# nativeBuildInputs does not take it over. The target directory is inherited from
# cargoArtifacts and installed as an artifacts layer when doInstallCargoArtifacts is set.
{
  lib,
  pkgs,
  stdenvSelector,
  cargo,
  rustc,
  cargoHelperFunctionsHook,
  configureCargoCommonVarsHook,
  configureCargoVendoredDepsHook,
  inheritCargoArtifactsHook,
  installCargoArtifactsHook,
  remapPathPrefixHook,
  remapSourcePathPrefixHook,
  replaceCargoLockHook,
  crateNameFromCargoToml,
  mkCrossToolchainEnv,
  replacementCargoLock,
  vendorCargoDeps,
}:

args@{
  cargoArtifacts,
  buildPhaseCargoCommand,
  checkPhaseCargoCommand ? "",
  installPhaseCommand ? "mkdir -p $out",
  pnameSuffix ? "",
  doInstallCargoArtifacts ? true,
  ...
}:

let
  crateName = crateNameFromCargoToml args;
  # Evaluated only when the caller gives neither: reading Cargo.toml needs src.
  pname = args.pname or crateName.pname;
  version = args.version or crateName.version;
  # Given as cargoLock, cargoLockContents or cargoLockParsed; replaceCargoLockHook puts it in.
  lockFile = replacementCargoLock args;
  # The scope's stdenvSelector chooses the stdenv; a per-call `stdenv` (a function of pkgs,
  # or one stdenv for every package set) still works, with crane's deprecation warning.
  selectStdenv =
    if !(args ? stdenv) then
      stdenvSelector
    else
      lib.warn
        "mkCargoDerivation: the `stdenv` attribute is deprecated (as in crane); choose the stdenv for the whole library instead: gantryLib.overrideScope (final: prev: { stdenvSelector = p: p.clangStdenv; })"
        (if lib.isFunction args.stdenv then args.stdenv else _: args.stdenv);
  chosenStdenv = selectStdenv pkgs;
  # What cross compiling needs (nothing for a native pkgs), from the stdenv chosen in each
  # package set.
  crossEnv = lib.optionalAttrs (args.doIncludeCrossToolchainEnv or true) (mkCrossToolchainEnv selectStdenv);
in
chosenStdenv.mkDerivation (
  removeAttrs crossEnv [ "nativeBuildInputs" ]
  // removeAttrs args [
    "buildPhaseCargoCommand"
    "checkPhaseCargoCommand"
    "installPhaseCommand"
    "pnameSuffix"
    "cargoLock"
    "cargoLockContents"
    "cargoLockParsed"
    # Functions and sets for mkDummySrc and vendorCargoDeps, not something a builder could see.
    "stdenv"
    "cleanCargoTomlFilter"
    "outputHashes"
    "overrideVendorCargoPackage"
    "overrideVendorGitCheckout"
    "registries"
    "cargoConfigs"
    # vendorCargoDeps' one-hash mode, not this derivation's output hash.
    "hash"
  ]
  // {
    pname = "${pname}${pnameSuffix}";
    inherit version cargoArtifacts doInstallCargoArtifacts;
    cargoVendorDir = args.cargoVendorDir or (vendorCargoDeps args);
    cargoLock = lockFile;
    doRemapSourcePathPrefix = args.doRemapSourcePathPrefix or false;

    # Order matters: common vars (CARGO_HOME) before the artifacts are inherited.
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ (crossEnv.nativeBuildInputs or [ ]) ++ [
      cargo
      rustc
      cargoHelperFunctionsHook
      configureCargoCommonVarsHook
      configureCargoVendoredDepsHook
      inheritCargoArtifactsHook
      installCargoArtifactsHook
      remapPathPrefixHook
      remapSourcePathPrefixHook
      replaceCargoLockHook
    ];

    buildPhase =
      args.buildPhase or ''
        runHook preBuild
        cargo --version
        ${buildPhaseCargoCommand}
        runHook postBuild
      '';

    # Hooks only: a setup hook claiming the configure phase (cmake's, meson's) leaves it
    # alone when it is set. `configurePhase = null` gives stdenv's back.
    configurePhase =
      args.configurePhase or ''
        runHook preConfigure
        runHook postConfigure
      '';

    checkPhase =
      args.checkPhase or ''
        runHook preCheck
        ${checkPhaseCargoCommand}
        runHook postCheck
      '';

    installPhase =
      args.installPhase or ''
        runHook preInstall
        ${installPhaseCommand}
        runHook postInstall
      '';
  }
)
