# cargoRustcInfo: cargo's cache of what rustc says of itself and of the target
# (`target/.rustc_info.json`: `rustc -vV`, the target's cfg and file names), made once in the
# pieces' environment, with their profile and cargo configuration, by a piece's project that
# holds no crate; every piece of buildDepsPerCrate starts from it. Without it each piece's
# first cargo run asks rustc again: about 40 ms of a trivial piece's 0.3 s. cargo keys the
# cache by the rustc binary and each entry by the exact query (rustflags included), and asks
# again on any mismatch: a cache that does not fit costs that query, never a wrong build.
# Internal to buildDepsPerCrate.
{
  mkCargoDerivation,
  gantry-helper,
}:

{
  environment,
  # A piece's spec (see buildCargoPiece) whose profile and cargo configuration the pieces
  # share; its crates are left out.
  spec,
}:
mkCargoDerivation (
  environment
  // {
    pname = "rustc-info";
    version = "0.0.0";
    src = null;
    cargoVendorDir = "";
    cargoArtifacts = null;
    doInstallCargoArtifacts = false;
    doCheck = false;
    dontFixup = true;
    gantryPieceSpec = builtins.toJSON (spec // { crates = [ ]; lock = [ ]; });
    passAsFile = [ "gantryPieceSpec" ];
    unpackPhase = ''
      runHook preUnpack
      mkdir -p piece
      cd piece
      runHook postUnpack
    '';
    # The project alone (no crate of its own: its selection is the project's library).
    buildPhaseCargoCommand = ''
      ${gantry-helper}/bin/gantry piece-project --vendor-at "$(gantryVendorDir)" --build-top "$NIX_BUILD_TOP" \
        --crate rustc-info@0.0.0 --selection "$NIX_BUILD_TOP/piece-selection" "$gantryPieceSpecPath" . >>"$CARGO_HOME/config.toml"
      cargoWithProfile build --offline
    '';
    installPhaseCommand = ''
      cp "''${CARGO_TARGET_DIR:-target}/.rustc_info.json" "$out"
    '';
  }
)
