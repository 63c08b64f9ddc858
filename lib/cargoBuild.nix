# cargoBuild: `cargo build` of the workspace on inherited dependency artifacts (by default
# those of buildDepsOnly with the same arguments).
{ mkCargoDerivation, buildDepsOnly }:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoExtraArgs ? "--locked",
  cargoTestCommand ? "cargoWithProfile test",
  cargoTestExtraArgs ? "",
  ...
}:

mkCargoDerivation (
  removeAttrs args [
    "cargoBuildCommand"
    "cargoExtraArgs"
    "cargoTestCommand"
    "cargoTestExtraArgs"
  ]
  // {
    # The deps build keeps its own test arguments (`--no-run`).
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly (removeAttrs args [ "cargoTestExtraArgs" ]));
    doCheck = args.doCheck or true;
    buildPhaseCargoCommand = args.buildPhaseCargoCommand or "${cargoBuildCommand} ${cargoExtraArgs}";
    checkPhaseCargoCommand =
      args.checkPhaseCargoCommand or "${cargoTestCommand} ${cargoExtraArgs} ${cargoTestExtraArgs}";
  }
)
