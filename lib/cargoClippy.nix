# cargoClippy: `cargo clippy` of the workspace on inherited dependency artifacts (by default
# the implicit deps build of the same arguments: buildDepsOnly without the caller's install
# step); add `-- -D warnings` to cargoClippyExtraArgs to fail on any warning.
{
  mkCargoDerivation,
  implicitCargoArtifacts,
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
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoClippyExtraArgs" ]);
    pnameSuffix = "-clippy";
    buildPhaseCargoCommand = "cargoWithProfile clippy ${cargoExtraArgs} ${cargoClippyExtraArgs}";
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ clippy ];
  }
)
