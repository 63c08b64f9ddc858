# buildPackage: cargoBuild that captures cargo's JSON build log and installs the workspace
# members' binaries (bin/) and cdylib/staticlib libraries (lib/) from it, copied right after
# the build so a later `cargo test` cannot replace them.
{
  lib,
  cargoBuild,
  installFromCargoBuildLogHook,
}:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoExtraArgs ? "--locked",
  ...
}:

cargoBuild (
  args
  // {
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ installFromCargoBuildLogHook ];
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
