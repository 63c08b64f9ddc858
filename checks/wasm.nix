# wasm32-unknown-unknown in crane's forms (issue 17), with a toolchain holding that target
# (rust-overlay's `rust-bin …override { targets = [ "wasm32-unknown-unknown" ]; }`):
# - buildTrunkPackage of a web app (wasm-bindgen and itoa from crates.io), as crane's
#   checks/trunk.nix builds it: on buildDepsOnly's artifacts for the wasm target
#   (trunkSimple) and on its own default ones (trunkSimpleNoArtifacts); `dist/` holds the
#   .wasm module (through wasm-opt: the page asks for `data-wasm-opt="z"`), wasm-bindgen's
#   JS glue and the index.html loading it; trunk takes the tools on PATH, downloading none;
# - a cdylib through buildPackage, which installFromCargoBuildLog installs as
#   lib/<name>.wasm (crane's hook installs every non-rlib file of a cdylib);
# - in all three the final build recompiles no dependency unit (requireFreshDependencies),
#   trunk's own cargo run included;
# - a toolchain without the wasm32 standard library fails with one line naming the target
#   and how to add it (expectFailure).
# Needs rust-bin, trunk and wasm-bindgen-cli in the package set (the stand-in has them once
# ci/install-tools.sh installed the tools); skipped without.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (import ./support.nix { inherit pkgs lib; }) freshPackage;
  missingFrom = builtins.filter (name: !(pkgs ? ${name}));
  # The cdylib needs the toolchain only, the trunk apps the tools too.
  missing = missingFrom [ "rust-bin" ];
  missingTrunk = missingFrom [
    "rust-bin"
    "trunk"
    "wasm-bindgen-cli"
  ];
  wasmLib = gantryLib.overrideToolchain (
    p: p.rust-bin.stable.latest.minimal.override { targets = [ "wasm32-unknown-unknown" ]; }
  );

  # crane's examples/trunk: the target forced for the dependency build, no tests (a wasm
  # test harness cannot run here).
  appArgs = {
    src = ./projects/trunk-app;
    strictDeps = true;
    CARGO_BUILD_TARGET = "wasm32-unknown-unknown";
    doCheck = false;
  };
  # The wasm-bindgen-cli of the version in the app's Cargo.lock, as nixpkgs names it
  # (wasm-bindgen-cli_0_2_126): the lock is the one place saying which.
  wasmBindgenVersion =
    (lib.findFirst (p: p.name == "wasm-bindgen") (throw "checks/projects/trunk-app/Cargo.lock has no wasm-bindgen")
      (builtins.fromTOML (builtins.readFile ./projects/trunk-app/Cargo.lock)).package
    ).version;
  wasm-bindgen-cli = pkgs."wasm-bindgen-cli_${builtins.replaceStrings [ "." ] [ "_" ] wasmBindgenVersion}";
  app = wasmLib.buildTrunkPackage (
    appArgs
    // {
      inherit wasm-bindgen-cli;
      cargoArtifacts = wasmLib.buildDepsOnly appArgs;
      requireFreshDependencies = true;
      # trunk's cargo run went through gantry's cargo (gantryCargoProgram): it left its
      # messages log, so requireFreshDependencies judged it.
      postBuild = ''
        [ -n "$(find "$NIX_BUILD_TOP" -maxdepth 1 -name '.gantry-cargo-*.json')" ] ||
          { echo "trunk's cargo run did not go through gantry's cargo" >&2; exit 1; }
        # wasm-opt (binaryen's, from PATH) wrote the module trunk put in dist/.
        [ -f "''${CARGO_TARGET_DIR:-target}/wasm-opt/release/trunk-app_bg.wasm" ] ||
          { echo "trunk did not run wasm-opt" >&2; exit 1; }
      '';
    }
  );
  # No cargoArtifacts: buildTrunkPackage's own buildDepsOnly, for wasm32-unknown-unknown
  # although the caller did not name the target.
  appDefaultArtifacts = wasmLib.buildTrunkPackage {
    src = ./projects/trunk-app;
    strictDeps = true;
    inherit wasm-bindgen-cli;
    requireFreshDependencies = true;
  };

  cdylibArgs = {
    src = ./projects/wasm-cdylib;
    strictDeps = true;
    CARGO_BUILD_TARGET = "wasm32-unknown-unknown";
    doCheck = false;
  };
  cdylib = freshPackage wasmLib cdylibArgs;

  # crane's checks/trunk.nix gives wasm-bindgen-cli through overrideScope: the scope's is
  # the one on the build's PATH (a marker package here; evaluated, not built).
  scopeWasmBindgen = pkgs.writeTextDir "share/scope-wasm-bindgen" "";
  viaScope = (wasmLib.overrideScope (_: _: { wasm-bindgen-cli = scopeWasmBindgen; })).buildTrunkPackage {
    src = ./projects/trunk-app;
    cargoArtifacts = null;
  };
  viaScopeInputs = map (d: d.outPath or d) viaScope.drvAttrs.nativeBuildInputs;

  # `file` is a wasm module: its first four bytes are wasm's magic number, "\0asm".
  isWasm = file: ''
    [ "$(head -c 4 ${file} | od -An -tx1 | tr -d ' \n')" = 0061736d ] ||
      { echo "${file} is not a wasm module" >&2; exit 1; }
  '';
  # trunk's dist/: index.html, one .wasm module and the JS glue, the page loading the glue.
  distChecked =
    name: dist:
    pkgs.runCommand name { } ''
      ls -l ${dist}
      [ -f ${dist}/index.html ] || { echo "no index.html" >&2; exit 1; }
      wasm=(${dist}/trunk-app-*_bg.wasm)
      js=(${dist}/trunk-app-*.js)
      [ ''${#wasm[@]} = 1 ] && [ -f "''${wasm[0]}" ] || { echo "no trunk-app-*_bg.wasm" >&2; exit 1; }
      [ ''${#js[@]} = 1 ] && [ -f "''${js[0]}" ] || { echo "no trunk-app-*.js" >&2; exit 1; }
      ${isWasm "\"\${wasm[0]}\""}
      # wasm-bindgen's glue: it imports console.log for the module and starts it.
      grep -q 'console' "''${js[0]}" || { echo "''${js[0]} is not wasm-bindgen's glue" >&2; exit 1; }
      grep -qF "$(basename "''${js[0]}")" ${dist}/index.html || { echo "index.html does not load the glue" >&2; exit 1; }
      touch $out
    '';
in
{
  checks = lib.optionalAttrs (missingTrunk == [ ]) {
    wasm-trunk-app = distChecked "wasm-trunk-app" app;
    wasm-trunk-app-default-artifacts = distChecked "wasm-trunk-app-default-artifacts" appDefaultArtifacts;
    wasm-trunk-scope-wasm-bindgen-cli = pkgs.runCommand "wasm-trunk-scope-wasm-bindgen-cli" { } (
      if builtins.elem scopeWasmBindgen.outPath viaScopeInputs then
        "touch $out"
      else
        "echo 'buildTrunkPackage did not take wasm-bindgen-cli from the scope' >&2; exit 1"
    );
  }
  // lib.optionalAttrs (missing == [ ]) {
    wasm-cdylib = pkgs.runCommand "wasm-cdylib" { } ''
      ls -lR ${cdylib}
      [ "$(cd ${cdylib} && find . -type f)" = ./lib/wasm_cdylib.wasm ] ||
        { echo "expected lib/wasm_cdylib.wasm and nothing else" >&2; exit 1; }
      ${isWasm "${cdylib}/lib/wasm_cdylib.wasm"}
      touch $out
    '';
  };

  expectFailure = lib.optionalAttrs (missingTrunk == [ ]) {
    # A toolchain without the wasm32 standard library: trunk's cargo run (through gantry's
    # cargo, no dependency build first) fails with the one line naming the target and the fix.
    wasm-trunk-target-missing = {
      drv = (gantryLib.overrideToolchain (p: p.rust-bin.stable.latest.minimal)).buildTrunkPackage {
        src = ./projects/trunk-app;
        strictDeps = true;
        inherit wasm-bindgen-cli;
        cargoArtifacts = null;
      };
      message = "the Rust toolchain has no standard library for the target wasm32-unknown-unknown";
    };
    # A wasm-bindgen-cli of another release than Cargo.lock's wasm-bindgen: named while
    # evaluating, with the package to pass (gantry's addition; crane's trunk-outdated-bindgen
    # check passes the lock's own old release, which this leaves alone). The build then
    # fails on purpose.
    wasm-trunk-bindgen-mismatch-warns = {
      drv =
        let
          warned = wasmLib.buildTrunkPackage {
            src = ./projects/trunk-app;
            wasm-bindgen-cli = wasm-bindgen-cli // {
              version = "0.2.85";
            };
            cargoArtifacts = null;
          };
        in
        pkgs.runCommand "wasm-trunk-bindgen-mismatch-warns" {
          evaluated = builtins.unsafeDiscardStringContext warned.drvPath;
        } "echo 'evaluated, the warning is above' >&2; exit 1";
      message = "Cargo.lock has wasm-bindgen ${wasmBindgenVersion}, and wasm-bindgen-cli is 0.2.85; wasm-bindgen fails on a module of another bindgen schema: pass wasm-bindgen-cli of the lock's version (nixpkgs: wasm-bindgen-cli_${builtins.replaceStrings [ "." ] [ "_" ] wasmBindgenVersion})";
    };
  };

  skipped =
    lib.optional (missingTrunk != [ ])
      "wasm-trunk-*: this package set has no ${lib.concatStringsSep ", " missingTrunk} (the stand-in has them once ci/install-tools.sh installed trunk and wasm-bindgen-cli)"
    ++ lib.optional (missing != [ ]) "wasm-cdylib: this package set has no rust-bin (rust-overlay's; the stand-in has one)";
}
