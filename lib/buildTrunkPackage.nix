# buildTrunkPackage: a wasm web app built by `trunk build` (crane's): trunk compiles the crate
# for wasm32-unknown-unknown, runs wasm-bindgen (the JS glue) and wasm-opt (in a release
# build, unless index.html turns it off), and writes `dist/` beside the index, which is
# installed as $out. The dependency
# artifacts are buildDepsOnly's of the same arguments for wasm32-unknown-unknown (without
# tests) unless `cargoArtifacts` is given. trunk is told, through its TRUNK_TOOLS_*
# variables, the versions of the wasm-bindgen, wasm-opt and sass on PATH, so it uses them
# instead of downloading its own; trunk's own cargo runs go through gantry's `cargo`
# (gantryCargoProgram), so they are reported and held to requireFreshDependencies.
{
  lib,
  pkgs,
  binaryen,
  trunk,
  wasm-bindgen-cli,
  cargoLockPackages,
  implicitCargoArtifacts,
  mkCargoDerivation,
  removeReferencesToVendoredSourcesHook,
}:

args@{
  trunkExtraArgs ? "",
  trunkExtraBuildArgs ? "",
  trunkIndexPath ? "./index.html",
  ...
}:

let
  cleanedArgs = removeAttrs args [
    "installPhase"
    "installPhaseCommand"
    "trunkExtraArgs"
    "trunkExtraBuildArgs"
    "trunkIndexPath"
    "wasm-bindgen-cli"
  ];
  # dart-sass compiles a page's SCSS (only run for a `rel="scss"` link): taken when the
  # package set has it (nixpkgs does; the offline stand-in does not).
  sass = lib.optional (pkgs ? dart-sass) pkgs.dart-sass;
  # wasm-bindgen refuses a module built against another bindgen schema with a message naming
  # schema versions, not packages; the lock says which release the build needs, so a
  # wasm-bindgen-cli of another version is named while evaluating (a warning: releases of one
  # schema do work together). The lock is the one vendorCargoDeps reads.
  bindgen = args.wasm-bindgen-cli or wasm-bindgen-cli;
  lockBindgens = map (p: p.version) (
    builtins.filter (p: p.name == "wasm-bindgen") (
      lib.optionals (!(args ? cargoVendorDir)) (cargoLockPackages args)
    )
  );
  checkedBindgen =
    lib.warnIf (bindgen ? version && lockBindgens != [ ] && !(builtins.elem bindgen.version lockBindgens))
      "buildTrunkPackage: Cargo.lock has wasm-bindgen ${lib.concatStringsSep " and " lockBindgens}, and wasm-bindgen-cli is ${bindgen.version}; wasm-bindgen fails on a module of another bindgen schema: pass wasm-bindgen-cli of the lock's version (nixpkgs: wasm-bindgen-cli_${
        builtins.replaceStrings [ "." ] [ "_" ] (builtins.head lockBindgens)
      })"
      bindgen;
in
mkCargoDerivation (
  cleanedArgs
  // {
    pnameSuffix = "-trunk";
    cargoArtifacts = implicitCargoArtifacts (
      cleanedArgs
      // {
        CARGO_BUILD_TARGET = args.CARGO_BUILD_TARGET or "wasm32-unknown-unknown";
        doCheck = args.doCheck or false;
      }
    );
    # A distributable directory, not a place for cargo's target directory.
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    preConfigure = ''
      echo "configuring trunk's tools (the ones on PATH, never downloaded)"
      if command -v sass >/dev/null; then
        TRUNK_TOOLS_SASS=$(sass --version | head -n1)
        export TRUNK_TOOLS_SASS
      fi
      TRUNK_TOOLS_WASM_BINDGEN=$(wasm-bindgen --version | cut -d' ' -f2)
      TRUNK_TOOLS_WASM_OPT="version_$(wasm-opt --version | cut -d' ' -f3)"
      export TRUNK_TOOLS_WASM_BINDGEN TRUNK_TOOLS_WASM_OPT
      echo "TRUNK_TOOLS_SASS=''${TRUNK_TOOLS_SASS-} TRUNK_TOOLS_WASM_BINDGEN=$TRUNK_TOOLS_WASM_BINDGEN TRUNK_TOOLS_WASM_OPT=$TRUNK_TOOLS_WASM_OPT"
      ${args.preConfigure or ""}
    '';
    buildPhaseCargoCommand =
      args.buildPhaseCargoCommand or ''
        gantryCargoProgram
        local profileArgs=""
        if [[ "$CARGO_PROFILE" == "release" ]]; then
          # With a value: trunk 0.20 and later take a bare --release's next argument (the
          # index path) as its value.
          profileArgs="--release=true"
        fi
        trunk ${trunkExtraArgs} build $profileArgs ${trunkExtraBuildArgs} "${trunkIndexPath}"
      '';
    installPhaseCommand =
      args.installPhaseCommand or ''
        cp -r "$(dirname "${trunkIndexPath}")/dist" $out
      '';
    nativeBuildInputs =
      (args.nativeBuildInputs or [ ])
      ++ [
        binaryen
        trunk
        checkedBindgen
        # References to the vendored sources in the output are false ones.
        removeReferencesToVendoredSourcesHook
      ]
      ++ sass;
  }
)
