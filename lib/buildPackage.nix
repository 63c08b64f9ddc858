# buildPackage: cargoBuild that captures cargo's JSON build log and installs the workspace
# members' binaries (bin/) and cdylib/dylib/staticlib libraries (lib/) from it, copied right after
# the build so a later `cargo test` cannot replace them. Store paths of the vendored sources
# and of the toolchain are then scrubbed from $out (doNotRemoveReferencesToVendorDir,
# doNotRemoveReferencesToRustToolchain turn that off). Unlike cargoBuild (and as in crane),
# tests run unless `doCheck = false`, and the name has no suffix.
{
  implicitCargoArtifacts,
  cargoBuild,
  installFromCargoBuildLogHook,
  removeReferencesToVendoredSourcesHook,
  removeReferencesToRustToolchainHook,
}:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoBuildExtraArgs ? "",
  cargoExtraArgs ? "--locked",
  ...
}:

cargoBuild (
  args
  // {
    cargoArtifacts = implicitCargoArtifacts args;
    doCheck = args.doCheck or true;
    pnameSuffix = args.pnameSuffix or "";
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [
      installFromCargoBuildLogHook
      removeReferencesToVendoredSourcesHook
      removeReferencesToRustToolchainHook
    ];
    buildPhaseCargoCommand =
      args.buildPhaseCargoCommand or ''
        cargoBuildLog=$(mktemp cargoBuildLogXXXX.json)
        ${cargoBuildCommand} --message-format json-render-diagnostics ${cargoExtraArgs} ${cargoBuildExtraArgs} >"$cargoBuildLog"
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
