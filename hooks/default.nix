# gantry's setup hooks: shell that sets variables and calls the helper, wrapped with
# makeSetupHook. `@gantry@` in a hook is the helper binary's path.
{ makeSetupHook, gantry-helper }:

let
  hook =
    name:
    makeSetupHook {
      inherit name;
      substitutions.gantry = "${gantry-helper}/bin/gantry";
    } (./. + "/${name}.sh");
in
{
  cargoHelperFunctionsHook = hook "cargoHelperFunctionsHook";
  configureCargoCommonVarsHook = hook "configureCargoCommonVarsHook";
  configureCargoVendoredDepsHook = hook "configureCargoVendoredDepsHook";
  inheritCargoArtifactsHook = hook "inheritCargoArtifactsHook";
  installCargoArtifactsHook = hook "installCargoArtifactsHook";
  installFromCargoBuildLogHook = hook "installFromCargoBuildLogHook";
  remapPathPrefixHook = hook "remapPathPrefixHook";
  remapSourcePathPrefixHook = hook "remapSourcePathPrefixHook";
  replaceCargoLockHook = hook "replaceCargoLockHook";
  removeReferencesToVendoredSourcesHook = hook "removeReferencesToVendoredSourcesHook";
  removeReferencesToRustToolchainHook = hook "removeReferencesToRustToolchainHook";
}
