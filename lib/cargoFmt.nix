# cargoFmt: `cargo fmt -- --check` of the source: fails naming every unformatted file. Needs
# neither dependencies nor vendored sources.
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
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    pnameSuffix = "-fmt";
    buildPhaseCargoCommand = ''
      if [ ! -f Cargo.toml ]; then
        echo "cargoFmt: no Cargo.toml in the source ($PWD): src must be the root of a Cargo project" >&2
        exit 1
      fi
      cargo fmt ${cargoExtraArgs} -- --check ${rustFmtExtraArgs}
    '';
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ rustfmt ];
  }
)
