# gantry's setup hooks: shell that sets variables and calls the helper, wrapped with
# makeSetupHook. `@gantry@` in a hook is the helper binary's path. `public` are crane's hook
# names, in the library's scope; `internal` are used by gantry's functions only.
{ makeSetupHook, gantry-helper }:

let
  # A hook, with the hooks whose functions it calls propagated (`needs`): it gets them from
  # its own inputs, never by the chance of what else a derivation lists.
  hookNeeding =
    needs: name:
    makeSetupHook {
      inherit name;
      propagatedBuildInputs = needs;
      substitutions.gantry = "${gantry-helper}/bin/gantry";
    } (./. + "/${name}.sh");
  hook = hookNeeding [ ];
  configureCargoVendoredDepsHook = hook "configureCargoVendoredDepsHook";
in
{
  internal = {
    # Exports mkCrossToolchainEnv's variables (in the derivations it is used for only); it
    # calls no helper.
    crossToolchainEnvHook = makeSetupHook { name = "crossToolchainEnvHook"; } ./crossToolchainEnvHook.sh;
  };
  public = {
    inherit configureCargoVendoredDepsHook;
    cargoHelperFunctionsHook = hook "cargoHelperFunctionsHook";
    configureCargoCommonVarsHook = hook "configureCargoCommonVarsHook";
    inheritCargoArtifactsHook = hook "inheritCargoArtifactsHook";
    installCargoArtifactsHook = hook "installCargoArtifactsHook";
    installFromCargoBuildLogHook = hook "installFromCargoBuildLogHook";
    remapPathPrefixHook = hook "remapPathPrefixHook";
    # remapPathPrefixToVendoredDir calls gantryVendorDir.
    remapSourcePathPrefixHook = hookNeeding [ configureCargoVendoredDepsHook ] "remapSourcePathPrefixHook";
    replaceCargoLockHook = hook "replaceCargoLockHook";
    removeReferencesToVendoredSourcesHook = hook "removeReferencesToVendoredSourcesHook";
    removeReferencesToRustToolchainHook = hook "removeReferencesToRustToolchainHook";
  };
}
