# buildPackage: cargoBuild that captures cargo's JSON build log in $cargoBuildLog; right after
# the build, installFromCargoBuildLogHook installs the workspace members' binaries (bin/) and
# cdylib/dylib/staticlib libraries (lib/) it names into $postBuildInstallFromCargoBuildLogOut,
# so a later `cargo test` cannot replace them, and the install phase moves them to $out
# (crane's contract: a buildPhaseCargoCommand of one's own writes $cargoBuildLog, or sets
# doNotPostBuildInstallCargoBinaries and an installPhaseCommand). Store paths of the vendored
# sources and of the toolchain are then scrubbed from $out (doNotRemoveReferencesToVendorDir,
# doNotRemoveReferencesToRustToolchain turn that off).
# Unlike cargoBuild (and as in crane), tests run unless `doCheck = false`, and the name has
# no suffix.
{
  lib,
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
      '';
    installPhaseCommand =
      args.installPhaseCommand or ''
        if [ -n "''${postBuildInstallFromCargoBuildLogOut-}" ] && [ -d "$postBuildInstallFromCargoBuildLogOut" ]; then
          echo "installing $postBuildInstallFromCargoBuildLogOut to $out"
          mkdir -p "$out"
          cp -r "$postBuildInstallFromCargoBuildLogOut"/. "$out"/
        else
          echo ${lib.escapeShellArg ''
            gantry: nothing was installed after the build ($postBuildInstallFromCargoBuildLogOut is
            unset or names no directory), so buildPackage has nothing to put in $out. With
            doNotPostBuildInstallCargoBinaries = true, give an installPhaseCommand of your own; or
            install after a build of your own with:
                postBuildInstallFromCargoBuildLogOut=$(mktemp -d)
                installFromCargoBuildLog "$postBuildInstallFromCargoBuildLogOut" "$cargoBuildLog"
          ''} >&2
          false
        fi
      '';
  }
)
