# cargoTest: `cargo test` of the workspace in the check phase, on inherited dependency
# artifacts (by default the implicit deps build of the same arguments: buildDepsOnly without
# the caller's install step).
{ mkCargoDerivation, implicitCargoArtifacts }:

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
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoTestExtraArgs" ]);
    doCheck = args.doCheck or true;
    pnameSuffix = args.pnameSuffix or "-test";
    buildPhaseCargoCommand = "";
    checkPhaseCargoCommand = "cargoWithProfile test ${cargoExtraArgs} ${cargoTestExtraArgs}";
  }
)
