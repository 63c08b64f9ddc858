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
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly args);
    doCheck = args.doCheck or true;
    buildPhaseCargoCommand = args.buildPhaseCargoCommand or "${cargoBuildCommand} ${cargoExtraArgs}";
    checkPhaseCargoCommand =
      args.checkPhaseCargoCommand or "${cargoTestCommand} ${cargoExtraArgs} ${cargoTestExtraArgs}";
  }
)
