# cargoLlvmCov: test coverage by cargo-llvm-cov, its report written to $out (an lcov file by
# default). Needs a toolchain with the llvm-tools component.
{
  mkCargoDerivation,
  implicitCargoArtifacts,
  cargo-llvm-cov,
}:

args@{
  cargoExtraArgs ? "--locked",
  cargoLlvmCovCommand ? "test",
  cargoLlvmCovExtraArgs ? "--lcov --output-path $out",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoExtraArgs"
    "cargoLlvmCovCommand"
    "cargoLlvmCovExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoLlvmCovCommand" "cargoLlvmCovExtraArgs" ]);
    pnameSuffix = "-llvm-cov";
    doInstallCargoArtifacts = false;
    installPhaseCommand = "";
    buildPhaseCargoCommand = "cargoWithProfile llvm-cov ${cargoLlvmCovCommand} ${cargoExtraArgs} ${cargoLlvmCovExtraArgs}";
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ cargo-llvm-cov ];
  }
)
