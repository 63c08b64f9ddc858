# cargoNextest: the workspace's tests run by cargo-nextest in the check phase, on inherited
# dependency artifacts (by default buildDepsOnly's of the same arguments). With
# `partitions = N > 1`, one derivation builds the tests into a nextest archive and N
# derivations each run one partition of it (`partitionType` count or hash); the result joins
# them, so together they run every test exactly once. `withLlvmCov` runs it under
# cargo-llvm-cov (unpartitioned only), writing the report to $out/coverage. Progress is a
# counter next to each test (NEXTEST_SHOW_PROGRESS, crane's default), readable in a log.
{
  lib,
  runCommand,
  mkCargoDerivation,
  implicitCargoArtifacts,
  cargo-nextest,
  cargo-llvm-cov,
}:

args@{
  cargoExtraArgs ? "",
  cargoLlvmCovExtraArgs ? "--lcov --output-path $out/coverage",
  cargoNextestArchiveExtraArgs ? "",
  cargoNextestExtraArgs ? "",
  cargoNextestPartitionsExtraArgs ? "",
  doInstallCargoArtifacts ? true,
  partitions ? 1,
  partitionType ? "count",
  withLlvmCov ? false,
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoExtraArgs"
    "cargoLlvmCovExtraArgs"
    "cargoNextestArchiveExtraArgs"
    "cargoNextestExtraArgs"
    "cargoNextestPartitionsExtraArgs"
    "partitions"
    "partitionType"
    "withLlvmCov"
  ];
  # The caller's cargoExtraArgs (features…) reach the deps build too.
  cargoArtifacts = implicitCargoArtifacts (
    cleaned // lib.optionalAttrs (args ? cargoExtraArgs) { inherit cargoExtraArgs; }
  );

  # One nextest derivation: `command` is nextest's subcommand, `extra` its last arguments.
  nextest =
    {
      suffix,
      command,
      extra,
      overrides ? { },
    }:
    mkCargoDerivation (
      cleaned
      // {
        inherit cargoArtifacts doInstallCargoArtifacts;
        pnameSuffix = "-nextest${suffix}";
        doCheck = args.doCheck or true;
        buildPhaseCargoCommand =
          args.buildPhaseCargoCommand or ''
            mkdir -p $out
            ${lib.optionalString withLlvmCov "cargo llvm-cov --version"}
            cargo nextest --version
          '';
        checkPhaseCargoCommand = lib.concatStringsSep " " [
          (if withLlvmCov then "cargo llvm-cov nextest ${cargoLlvmCovExtraArgs}" else "cargo nextest ${command}")
          "\${CARGO_PROFILE:+--cargo-profile $CARGO_PROFILE}"
          cargoExtraArgs
          cargoNextestExtraArgs
          extra
        ];
        nativeBuildInputs =
          (args.nativeBuildInputs or [ ])
          ++ [ cargo-nextest ]
          ++ lib.optional withLlvmCov cargo-llvm-cov;
      }
      # A caller's own value, top-level or in `env`, wins.
      // lib.optionalAttrs (!(args ? NEXTEST_SHOW_PROGRESS || args.env or { } ? NEXTEST_SHOW_PROGRESS)) {
        NEXTEST_SHOW_PROGRESS = "counter";
      }
      // overrides
    );

  archive = nextest {
    suffix = "";
    command = "archive";
    extra = "--archive-format tar-zst --archive-file $out/archive.tar.zst ${cargoNextestArchiveExtraArgs}";
  };
  partition =
    n:
    nextest {
      suffix = "-p${toString n}";
      command = "run";
      extra = lib.concatStringsSep " " (
        [
          "--archive-format tar-zst --archive-file ${archive}/archive.tar.zst"
          "--workspace-remap ."
          "--partition ${partitionType}:${toString n}/${toString partitions}"
        ]
        ++ lib.optional (cargoNextestPartitionsExtraArgs != "") cargoNextestPartitionsExtraArgs
      );
      overrides = {
        cargoArtifacts = null;
        cargoVendorDir = null;
        doInstallCargoArtifacts = false;
        CARGO_PROFILE = "";
      };
    };
in
if !(builtins.isInt partitions) || partitions < 1 then
  throw "cargoNextest: partitions is ${builtins.toJSON partitions}; it must be a whole number, 1 or more (1 runs everything in one derivation)"
else if !(builtins.elem partitionType [ "count" "hash" ]) then
  throw "cargoNextest: partitionType is ${builtins.toJSON partitionType}; use \"count\" or \"hash\""
else if partitions == 1 then
  nextest {
    suffix = "";
    command = "run";
    extra = cargoNextestPartitionsExtraArgs;
  }
else if withLlvmCov then
  throw "cargoNextest: withLlvmCov cannot be combined with partitions (coverage needs every test in one run)"
else
  runCommand "cargo-nextest-tests"
    {
      doInstallCargoArtifacts = if doInstallCargoArtifacts then "1" else "";
      buildInputs = lib.genList (i: partition (i + 1)) partitions;
    }
    ''
      if [ "$doInstallCargoArtifacts" = 1 ]; then
        cp --recursive ${archive} $out
      else
        mkdir -p $out
      fi
    ''
