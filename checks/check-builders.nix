# The check builders on checks/projects/checks-demo, each after buildDepsOnly (in both
# artifact modes where it inherits artifacts) with no dependency unit recompiled
# (requireFreshDependencies, or a rustc wrapper allowing only the workspace crate), plus the
# failing case of every tool that can fail. The tools are the real ones from crates.io
# (ci/install-tools.sh); without them here, the checks needing them are left out and
# checks/run.sh says so.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (import ./support.nix { inherit pkgs lib; }) artifactModes compileOnlyWrapper;
  src = ./projects/checks-demo;
  has = name: pkgs ? ${name};
  onlyWorkspace = compileOnlyWrapper [ "checks_demo" ];
  allTests = [
    "decimal_large"
    "decimal_max"
    "decimal_zero"
    "double_one"
    "double_then_decimal"
    "double_zero"
  ];

  # An advisory database as a git repository, the way cargo-audit reads one.
  advisoryDb =
    name: dir:
    pkgs.runCommand name { nativeBuildInputs = [ pkgs.git ]; } ''
      cp -r ${dir} $out
      chmod -R u+w $out
      cd $out
      export HOME=$TMPDIR GIT_AUTHOR_DATE=2099-01-01T00:00:00Z GIT_COMMITTER_DATE=2099-01-01T00:00:00Z
      git -c init.defaultBranch=main init -q
      git add -A
      git -c user.name=gantry -c user.email=gantry@localhost commit -q -m "advisories"
    '';

  # Which tests each partition ran, from the files the tests leave in $out/ran.
  recordTests = ''
    export GANTRY_TEST_RECORD=$out/ran
    mkdir -p $GANTRY_TEST_RECORD
  '';
  partitionsRanEveryTestOnce =
    name: joined:
    pkgs.runCommand name { } ''
      ran=$(for p in ${lib.concatMapStringsSep " " toString joined.buildInputs}; do ls "$p/ran"; done | sort | tr '\n' ' ')
      echo "ran: $ran"
      [ "$ran" = "${lib.concatStringsSep " " allTests} " ] ||
        { echo "the partitions did not run every test exactly once" >&2; exit 1; }
      [ "$(ls ${lib.head joined.buildInputs}/ran | wc -l)" -lt ${toString (lib.length allTests)} ] ||
        { echo "one partition ran every test: nothing was partitioned" >&2; exit 1; }
      touch $out
    '';

  perMode =
    mode:
    let
      deps = gantryLib.buildDepsOnly {
        inherit src;
        installCargoArtifactsMode = mode;
      };
      common = {
        inherit src;
        cargoArtifacts = deps;
        installCargoArtifactsMode = mode;
      };
      fresh = common // { requireFreshDependencies = true; };
      doc = gantryLib.cargoDoc fresh;
      nextest = gantryLib.cargoNextest (common // { RUSTC_WRAPPER = onlyWorkspace; });
      partitioned =
        type:
        gantryLib.cargoNextest (
          common
          // {
            partitions = 3;
            partitionType = type;
            RUSTC_WRAPPER = onlyWorkspace;
            preCheck = recordTests;
          }
        );
    in
    lib.mapAttrs' (n: v: lib.nameValuePair "${n}-${mode}" v) (
      {
        cargo-test = gantryLib.cargoTest fresh;
        cargo-doc-test = gantryLib.cargoDocTest fresh;
        cargo-clippy-deny-warnings = gantryLib.cargoClippy (
          fresh // { cargoClippyExtraArgs = "--all-targets -- -D warnings"; }
        );
        cargo-doc = pkgs.runCommand "cargo-doc-installed" { } ''
          test -f ${doc}/share/doc/checks_demo/index.html
          touch $out
        '';
      }
      // lib.optionalAttrs (has "cargo-nextest") {
        cargo-nextest = nextest;
        cargo-nextest-partitions-count = partitionsRanEveryTestOnce "nextest-count" (partitioned "count");
        cargo-nextest-partitions-hash = partitionsRanEveryTestOnce "nextest-hash" (partitioned "hash");
      }
      // lib.optionalAttrs (has "cargo-tarpaulin") {
        cargo-tarpaulin =
          let
            report = gantryLib.cargoTarpaulin common;
          in
          pkgs.runCommand "tarpaulin-report" { } ''
            grep -q 'filename="src/lib.rs"' ${report}/cobertura.xml
            touch $out
          '';
      }
      // lib.optionalAttrs (has "cargo-llvm-cov") {
        cargo-llvm-cov =
          let
            report = gantryLib.cargoLlvmCov common;
          in
          pkgs.runCommand "llvm-cov-report" { } ''
            grep -q '^SF:.*src/lib.rs' ${report}
            touch $out
          '';
      }
    );
  tools = [ "cargo-nextest" "cargo-tarpaulin" "cargo-llvm-cov" "taplo" "cargo-audit" "cargo-deny" ];
in
{
  skipped = map (t: "checks using ${t}: this package set has no ${t} (ci/install-tools.sh installs it)") (
    builtins.filter (t: !(has t)) tools
  );

  # The toolchain plus the checks' inputs (clippy, and cargo-nextest when there).
  devShell = gantryLib.devShell {
    checks = {
      clippy = gantryLib.cargoClippy { inherit src; };
    }
    // lib.optionalAttrs (has "cargo-nextest") { nextest = gantryLib.cargoNextest { inherit src; }; };
  };

  checks =
    lib.mergeAttrsList (map perMode artifactModes)
    // {
      cargo-fmt = gantryLib.cargoFmt { inherit src; };

      # The filter keeps what cargo reads; the store path is named after the crate, so two
      # checkouts differing in directory name and unrelated files give one store path.
      clean-cargo-source =
        let
          a = gantryLib.cleanCargoSource ./fixtures/filter-a;
          b = gantryLib.cleanCargoSource ./fixtures/filter-b;
        in
        assert lib.assertMsg ("${a}" == "${b}") "a README or notes file changed the cleaned source (${a} vs ${b})";
        assert lib.assertMsg (lib.hasSuffix "-filtered" "${a}") "the cleaned source is not named after its crate: ${a}";
        assert lib.assertMsg (lib.hasSuffix "-filtered" (gantryLib.path ./fixtures/filter-a)) "path is not named after the crate";
        pkgs.runCommand "clean-cargo-source" { } ''
          test -f ${a}/Cargo.toml && test -f ${a}/src/main.rs
          touch $out
        '';
    }
    // lib.optionalAttrs (has "taplo") { taplo-fmt = gantryLib.taploFmt { inherit src; }; }
    // lib.optionalAttrs (has "cargo-audit") {
      cargo-audit = gantryLib.cargoAudit {
        inherit src;
        advisory-db = advisoryDb "advisory-db-clean" ./fixtures/advisory-db-clean;
      };
    }
    // lib.optionalAttrs (has "cargo-deny") { cargo-deny = gantryLib.cargoDeny { inherit src; }; };

  expectFailure = {
    cargo-test-failing = {
      drv = gantryLib.cargoTest { inherit src; cargoTestExtraArgs = "--features broken"; };
      message = "the `broken` feature adds this failing test";
    };
    cargo-clippy-warning = {
      drv = gantryLib.cargoClippy { inherit src; cargoClippyExtraArgs = "--all-targets -- -D warnings -W clippy::pedantic"; };
      message = "must_use";
    };
    cargo-fmt-unformatted = {
      drv = gantryLib.cargoFmt { src = ./fixtures/unformatted; };
      message = "src/main.rs";
    };
    cargo-fmt-without-cargo-toml = {
      drv = gantryLib.cargoFmt { src = ./fixtures/empty; };
      message = "no Cargo.toml";
    };
    cargo-nextest-zero-partitions = {
      drv = gantryLib.cargoNextest { inherit src; partitions = 0; };
      message = "partitions is 0";
    };
    cargo-audit-not-a-database = {
      drv = gantryLib.cargoAudit { inherit src; advisory-db = ./fixtures/empty; };
      message = "is not an advisory database";
    };
  }
  // lib.optionalAttrs (has "taplo") {
    taplo-fmt-unformatted = {
      drv = gantryLib.taploFmt { src = ./fixtures/unformatted; };
      message = "Cargo.toml";
    };
  }
  // lib.optionalAttrs (has "cargo-audit") {
    cargo-audit-advisory = {
      drv = gantryLib.cargoAudit { inherit src; advisory-db = advisoryDb "advisory-db" ./fixtures/advisory-db; };
      message = "RUSTSEC-2099-0001";
    };
  }
  // lib.optionalAttrs (has "cargo-deny") {
    cargo-deny-licence = {
      drv = gantryLib.cargoDeny {
        inherit src;
        cargoDenyExtraArgs = "--config ${./fixtures/deny-gpl-only.toml}";
        cargoDenyChecks = "licenses";
      };
      message = "rejected";
    };
  }
  // lib.optionalAttrs (!has "cargo-nextest") {
    missing-tool-is-named = {
      drv = gantryLib.cargoNextest { inherit src; };
      message = "needs the package cargo-nextest";
    };
  };
}
