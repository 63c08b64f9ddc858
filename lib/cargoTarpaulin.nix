# cargoTarpaulin: test coverage by cargo-tarpaulin, its report written to $out. Tarpaulin
# compiles with its own flags, so dependencies are rebuilt from the inherited sources.
{
  mkCargoDerivation,
  implicitCargoArtifacts,
  cargo-tarpaulin,
}:

args@{
  cargoExtraArgs ? "",
  cargoTarpaulinExtraArgs ? "--skip-clean --out xml --output-dir $out",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoExtraArgs"
    "cargoTarpaulinExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoTarpaulinExtraArgs" ]);
    pnameSuffix = "-tarpaulin";
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    buildPhaseCargoCommand = ''
      mkdir -p $out
      cargoWithProfile tarpaulin ${cargoExtraArgs} ${cargoTarpaulinExtraArgs}
    '';
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ cargo-tarpaulin ];
  }
)
