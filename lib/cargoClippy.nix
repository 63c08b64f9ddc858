# cargoClippy: `cargo clippy` of the workspace on inherited dependency artifacts (by default
# buildDepsOnly's of the same arguments); add `-- -D warnings` to cargoClippyExtraArgs to
# fail on any warning.
{
  mkCargoDerivation,
  buildDepsOnly,
  clippy,
}:

args@{
  cargoClippyExtraArgs ? "--all-targets",
  cargoExtraArgs ? "--locked",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoClippyExtraArgs"
    "cargoExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = args.cargoArtifacts or (buildDepsOnly (removeAttrs args [ "cargoClippyExtraArgs" ]));
    pnameSuffix = "-clippy";
    buildPhaseCargoCommand = "cargoWithProfile clippy ${cargoExtraArgs} ${cargoClippyExtraArgs}";
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ clippy ];
  }
)
