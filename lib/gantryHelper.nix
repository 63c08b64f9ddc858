# The `gantry` helper binary, built from this repository's own sources and Cargo.lock with
# crates vendored by vendorCargoDeps. It cannot use buildPackage: buildPackage needs it.
{
  lib,
  stdenv,
  cargo,
  rustc,
  vendorCargoDeps,
}:

let
  root = ./..;
  # Only what the build reads: a change to tests, docs or Nix files keeps the helper.
  src = lib.cleanSourceWith {
    name = "gantry-helper-source";
    src = root;
    filter =
      path: type:
      let
        rel = lib.removePrefix (toString root + "/") (toString path);
      in
      builtins.elem rel [ "Cargo.toml" "Cargo.lock" "helpers" "helpers/Cargo.toml" "helpers/src" ]
      || lib.hasPrefix "helpers/src/" rel;
  };
  workspace = builtins.fromTOML (builtins.readFile ../Cargo.toml);
in
stdenv.mkDerivation {
  pname = "gantry";
  version = workspace.workspace.package.version;
  inherit src;

  nativeBuildInputs = [
    cargo
    rustc
  ];
  cargoVendorDir = vendorCargoDeps { cargoLock = ../Cargo.lock; };

  configurePhase = ''
    runHook preConfigure
    export CARGO_HOME="$NIX_BUILD_TOP/.cargo-home"
    mkdir -p "$CARGO_HOME"
    cp "$cargoVendorDir/config.toml" "$CARGO_HOME/config.toml"
    # Panic messages name the source files of the crates they come from, below the vendored
    # directories: store paths that would put every vendored crate in the helper's closure,
    # and so among the inputs of every derivation using it (more to set up in each sandbox: a
    # piece of buildDepsPerCrate had 102 input paths, 64 of them the helper's crates).
    for dir in $(sed -n 's/^directory = "\(.*\)"$/\1/p' "$CARGO_HOME/config.toml"); do
      export RUSTFLAGS="''${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=$dir=/gantry-vendored"
    done
    runHook postConfigure
  '';

  buildPhase = ''
    runHook preBuild
    cargo build --release --offline --locked --package gantry --bin gantry --jobs "$NIX_BUILD_CORES"
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    install -Dm755 target/release/gantry "$out/bin/gantry"
    # cargo runs RUSTC_WORKSPACE_WRAPPER by path, without arguments of its own.
    mkdir -p "$out/libexec/gantry"
    printf '#!%s\nexec %s dummy-rustc "$@"\n' ${stdenv.shell} "$out/bin/gantry" \
      >"$out/libexec/gantry/dummy-rustc"
    chmod 755 "$out/libexec/gantry/dummy-rustc"
    runHook postInstall
  '';

  meta = {
    description = "gantry's helper: dummy sources, vendoring, target-dir archives, build logs";
    mainProgram = "gantry";
  };
}
