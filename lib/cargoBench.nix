# cargoBench: `cargo bench` of the workspace on inherited dependency artifacts (by default
# buildDepsOnly's of the same arguments).
{ mkCargoDerivation, buildDepsOnly }:

args@{
  cargoExtraArgs ? "",
  cargoBenchExtraArgs ? "",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoExtraArgs"
    "cargoBenchExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly (removeAttrs args [ "cargoBenchExtraArgs" ]));
    pnameSuffix = "-bench";
    buildPhaseCargoCommand = "cargoWithProfile bench ${cargoExtraArgs} ${cargoBenchExtraArgs}";
  }
)
