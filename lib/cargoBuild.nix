# cargoBuild: `cargo build` of the workspace on inherited dependency artifacts (by default
# those of buildDepsOnly with the same arguments). As in crane, tests run only when the caller
# sets `doCheck`, and the name ends in `-build`.
{ mkCargoDerivation, implicitCargoArtifacts }:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoBuildExtraArgs ? "",
  cargoExtraArgs ? "--locked",
  cargoTestCommand ? "cargoWithProfile test",
  cargoTestExtraArgs ? "",
  ...
}:

mkCargoDerivation (
  removeAttrs args [
    "cargoBuildCommand"
    "cargoBuildExtraArgs"
    "cargoExtraArgs"
    "cargoTestCommand"
    "cargoTestExtraArgs"
  ]
  // {
    cargoArtifacts = implicitCargoArtifacts args;
    doCheck = args.doCheck or false;
    pnameSuffix = args.pnameSuffix or "-build";
    buildPhaseCargoCommand =
      args.buildPhaseCargoCommand or "${cargoBuildCommand} ${cargoExtraArgs} ${cargoBuildExtraArgs}";
    checkPhaseCargoCommand =
      args.checkPhaseCargoCommand or "${cargoTestCommand} ${cargoExtraArgs} ${cargoTestExtraArgs}";
  }
)
