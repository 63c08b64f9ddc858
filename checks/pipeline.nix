# The build pipeline on real crates from crates.io: buildDepsOnly, then cargoBuild /
# buildPackage inheriting its artifacts with every dependency unit fresh (enforced by
# requireFreshDependencies, which fails the build naming any recompiled dependency).
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib) buildDepsOnly buildPackage cargoBuild mkDummySrc;

  # Runs `bin` from a package and compares its output.
  runsAndPrints =
    name: pkg: bin: expected:
    pkgs.runCommand "${name}-runs" { } ''
      out_text=$(${pkg}/bin/${bin})
      if [ "$out_text" != ${lib.escapeShellArg expected} ]; then
        echo "${bin} printed '$out_text', expected ${lib.escapeShellArg expected}" >&2
        exit 1
      fi
      touch $out
    '';

  nestedSrc = ./projects/nested-deps;
  nestedDeps = buildDepsOnly { src = nestedSrc; };

  # A rustc wrapper that fails on any compilation (version queries pass through): a build
  # using it proves that cargo found every unit fresh.
  noCompileWrapper = pkgs.writeShellScript "rustc-must-not-compile" ''
    previous=
    for arg in "$@"; do
      # cargo's target-info probe uses the crate name ___ and compiles nothing.
      if [ "$previous" = --crate-name ] && [ "$arg" != ___ ]; then
        echo "rustc-must-not-compile: cargo tried to compile $arg: $*" >&2
        exit 1
      fi
      previous=$arg
    done
    exec "$@"
  '';

  chainFirst = cargoBuild {
    src = nestedSrc;
    cargoArtifacts = nestedDeps;
    doInstallCargoArtifacts = true;
    requireFreshDependencies = true;
    # Arguments after `--` reach the test binaries, not cargo.
    cargoTestExtraArgs = "-- --test-threads=1";
  };
  chainSecond = cargoBuild {
    src = nestedSrc;
    cargoArtifacts = chainFirst;
    RUSTC_WRAPPER = noCompileWrapper;
    requireFreshDependencies = true;
    doCheck = false;
  };
in
{
  checks = {
    no-deps = runsAndPrints "no-deps" (buildPackage { src = ./projects/no-deps; }) "no-deps" "hello from no-deps";

    nested-deps = runsAndPrints "nested-deps" (buildPackage {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
      requireFreshDependencies = true;
    }) "nested-deps" ''{"message":"hello from nested-deps","answer":42}'';

    # Several members: a proc-macro member, a member with a build script (and a
    # build-dependency), workspace inheritance and a path dependency with a version.
    workspace =
      let
        src = ./projects/workspace;
      in
      runsAndPrints "workspace" (buildPackage {
        inherit src;
        cargoArtifacts = buildDepsOnly { inherit src; };
        requireFreshDependencies = true;
      }) "app" "generated-7 42";

    # cargoBuild → cargoBuild: the second step compiles nothing at all.
    chain-recompiles-nothing = chainSecond;
  };

  expectFailure = {
    # Different RUSTFLAGS than the dependency build: dependencies must be recompiled, and
    # requireFreshDependencies turns that into an error naming them.
    rebuilt-dependency-is-named = {
      drv = cargoBuild {
        src = nestedSrc;
        cargoArtifacts = nestedDeps;
        requireFreshDependencies = true;
        RUSTFLAGS = "-C debug-assertions=on";
        doCheck = false;
      };
      message = "dependency units were recompiled although dependency artifacts were inherited";
    };
    artifacts-not-an-artifacts-output = {
      drv = cargoBuild {
        src = ./projects/no-deps;
        cargoArtifacts = pkgs.writeText "not-artifacts" "";
      };
      message = "holds no target.tar.zst";
    };
    dummy-src-without-cargo-toml = {
      drv = mkDummySrc { src = ./fixtures/empty; };
      message = "no Cargo.toml in";
    };
  };
}
