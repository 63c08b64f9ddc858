# cargoBench: `cargo bench` of the workspace on inherited dependency artifacts (by default the
# implicit deps build of the same arguments: buildDepsOnly without the caller's install step).
{ mkCargoDerivation, implicitCargoArtifacts }:

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
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoBenchExtraArgs" ]);
    pnameSuffix = "-bench";
    buildPhaseCargoCommand = "cargoWithProfile bench ${cargoExtraArgs} ${cargoBenchExtraArgs}";
  }
)
