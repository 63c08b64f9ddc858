# cargoTest: `cargo test` of the workspace in the check phase, on inherited dependency
# artifacts (by default buildDepsOnly's of the same arguments).
{ mkCargoDerivation, buildDepsOnly }:

args@{
  cargoExtraArgs ? "--locked",
  cargoTestExtraArgs ? "",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoExtraArgs"
    "cargoTestExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly (removeAttrs args [ "cargoTestExtraArgs" ]));
    doCheck = args.doCheck or true;
    pnameSuffix = args.pnameSuffix or "-test";
    buildPhaseCargoCommand = "";
    checkPhaseCargoCommand = "cargoWithProfile test ${cargoExtraArgs} ${cargoTestExtraArgs}";
  }
)
