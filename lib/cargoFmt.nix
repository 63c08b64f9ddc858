# cargoFmt: `cargo fmt -- --check` of the source: fails naming every unformatted file. Needs
# neither dependencies nor vendored sources. Like crane's, it installs an (empty) artifacts
# layer by default, so its output can be the next derivation's cargoArtifacts.
{ mkCargoDerivation, rustfmt }:

args@{
  cargoExtraArgs ? "",
  rustFmtExtraArgs ? "",
  ...
}:
mkCargoDerivation (
  removeAttrs args [
    "cargoExtraArgs"
    "rustFmtExtraArgs"
  ]
  // {
    cargoArtifacts = null;
    cargoVendorDir = null;
    pnameSuffix = "-fmt";
    buildPhaseCargoCommand = ''
      if [ ! -f Cargo.toml ]; then
        echo "cargoFmt: no Cargo.toml in the source ($PWD): src must be the root of a Cargo project" >&2
        exit 1
      fi
      cargo fmt ${cargoExtraArgs} -- --check ${rustFmtExtraArgs}
      # Nothing was compiled: the layer holds an empty target directory.
      mkdir -p "''${CARGO_TARGET_DIR:-target}"
    '';
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ rustfmt ];
  }
)
