# buildPackage: cargoBuild that captures cargo's JSON build log and installs the workspace
# members' binaries (bin/) and cdylib/dylib/staticlib libraries (lib/) from it, copied right after
# the build so a later `cargo test` cannot replace them. Store paths of the vendored sources
# and of the toolchain are then scrubbed from $out (doNotRemoveReferencesToVendorDir,
# doNotRemoveReferencesToRustToolchain turn that off).
{
  lib,
  cargoBuild,
  buildDepsOnly,
  installFromCargoBuildLogHook,
  removeReferencesToVendoredSourcesHook,
  removeReferencesToRustToolchainHook,
}:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoExtraArgs ? "--locked",
  ...
}:

cargoBuild (
  args
  // {
    # From the caller's arguments: the commands below are for this build, not the deps'.
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly args);
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [
      installFromCargoBuildLogHook
      removeReferencesToVendoredSourcesHook
      removeReferencesToRustToolchainHook
    ];
    buildPhaseCargoCommand =
      args.buildPhaseCargoCommand or ''
        cargoBuildLog=$(mktemp cargoBuildLogXXXX.json)
        ${cargoBuildCommand} --message-format json-render-diagnostics ${cargoExtraArgs} >"$cargoBuildLog"
        gantryInstallDir=$(mktemp -d "$NIX_BUILD_TOP/gantry-install-XXXX")
        installFromCargoBuildLog "$gantryInstallDir" "$cargoBuildLog"
      '';
    installPhaseCommand =
      args.installPhaseCommand or ''
        mkdir -p $out
        cp -r "$gantryInstallDir"/. "$out"/
      '';
  }
)
