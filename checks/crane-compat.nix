# crane's behaviour where gantry once differed: the dependency build a builder makes for
# itself, mkCargoDerivation's configure phase, cargoBuild's defaults, the attributes crane
# reads (cargoBuildExtraArgs, cargoCheckExtraArgs, cargoNextestArchiveExtraArgs,
# NEXTEST_SHOW_PROGRESS), the scope's names (stdenvSelector, craneLib, craneUtils, writeTOML's
# family), cargoFmt's output as cargoArtifacts, and requireFreshDependencies refusing to pass
# on a run that shows nothing. Real crates (checks/projects/crane-compat, checks-demo) built
# through Nix; what cargo did is read from the binaries, the outputs or cargo's failures.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib)
    buildDepsOnly
    buildPackage
    cargoBuild
    cargoClippy
    cargoFmt
    cargoNextest
    ;
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints;
  has = name: pkgs ? ${name};
  src = ./projects/crane-compat;
  demo = ./projects/checks-demo;

  # buildPackage without cargoArtifacts, with an install step, postInstall, outputs and test
  # arguments of its own: none of them may reach the dependency build it makes, which must
  # still find the real build's dependencies fresh. preBuild needs the real sources, so it
  # runs only where CRANE_BUILD_DEPS_ONLY is unset (crane's documented marker).
  # Mirrors crane's checks of buildPackage with custom install hooks (checks/default.nix).
  ownInstall = buildPackage {
    inherit src;
    requireFreshDependencies = true;
    outputs = [
      "out"
      "doc"
    ];
    installPhaseCommand = ''
      mkdir -p $out
      cp -r "$postBuildInstallFromCargoBuildLogOut"/. "$out"/
      echo installed-by-caller >$out/marker
    '';
    postInstall = ''
      test -x $out/bin/crane-compat
      mkdir -p $doc
      echo docs >$doc/readme
    '';
    cargoTestExtraArgs = "-- --exact tests::formats_with_the_dev_dependency";
    preBuild = ''
      if [ -z "''${CRANE_BUILD_DEPS_ONLY-}" ]; then
        grep -q "formatted by itoa" src/main.rs ||
          { echo "preBuild: these are not the real sources, yet CRANE_BUILD_DEPS_ONLY is unset" >&2; exit 1; }
      fi
    '';
  };
  ownDeps = ownInstall.cargoArtifacts;

  # A setup hook claiming the configure phase the way cmake's and meson's do: when no
  # configurePhase is set.
  fakeCmake = pkgs.makeSetupHook { name = "fake-cmake-hook"; } (
    pkgs.writeText "fake-cmake-hook.sh" ''
      fakeCmakeConfigurePhase() {
        echo "fake cmake took over the configure phase" >&2
        exit 1
      }
      if [ -z "''${dontUseCmakeConfigure-}" ] && [ -z "''${configurePhase-}" ]; then
        configurePhase=fakeCmakeConfigurePhase
      fi
    ''
  );

  # A stdenv that leaves a mark in every derivation it makes.
  markedStdenv =
    p:
    p.stdenv
    // {
      mkDerivation = attrs: p.stdenv.mkDerivation (attrs // { GANTRY_STDENV_MARK = "selected"; });
    };
  expectMark = ''
    [ "''${GANTRY_STDENV_MARK-}" = selected ] ||
      { echo "the derivation was not made by the selected stdenv" >&2; exit 1; }
  '';
  selected = gantryLib.overrideScope (final: prev: { stdenvSelector = markedStdenv; });

  # cargoBuild of checks-demo on its deps, requiring fresh dependencies, with `extra` cargo
  # arguments.
  requireFreshWith =
    extra:
    cargoBuild {
      src = demo;
      cargoArtifacts = buildDepsOnly { src = demo; };
      cargoExtraArgs = "--locked ${extra}";
      requireFreshDependencies = true;
    };

  tomlData = {
    package.name = "x";
    build.jobs = 2;
  };
  remarshalLib = gantryLib.overrideScope (final: prev: { writeTOML = final.writeTOMLViaRemarshal; });
in
{
  checks = {
    deps-implicit-ignores-install =
      assert lib.assertMsg (lib.hasInfix "--no-run" ownDeps.checkPhase)
        "the implicit deps build lost --no-run: ${ownDeps.checkPhase}";
      assert lib.assertMsg (!(ownDeps ? doc)) "the implicit deps build has the caller's outputs";
      pkgs.runCommand "deps-implicit-ignores-install" { } ''
        [ "$(${ownInstall}/bin/crane-compat)" = plain ]
        grep -q installed-by-caller ${ownInstall}/marker
        grep -q docs ${ownInstall.doc}/readme
        test -f ${ownDeps}/gantry-artifacts.json
        touch $out
      '';

    # The check builders' own deps builds leave the caller's install step out too: a
    # preInstall that only holds for the real sources (the dummy's main.rs is a stub).
    check-builders-implicit-deps-ignore-install = gantryLib.cargoTest {
      src = ./projects/nested-deps;
      preInstall = "grep -q 'hello from nested-deps' src/main.rs";
      requireFreshDependencies = true;
    };

    # mirrors crane's configurePhase default (CHANGELOG 0.7.0): cmake in nativeBuildInputs.
    configure-phase-only-hooks = cargoBuild {
      src = ./projects/no-deps;
      nativeBuildInputs = [ fakeCmake ];
      preConfigure = "touch preconfigure-ran";
      postConfigure = "test -f preconfigure-ran";
    };

    # cargoBuild as crane's: tests only with doCheck (the `broken` feature's test fails).
    cargo-build-no-tests-by-default =
      let
        drv = cargoBuild {
          src = demo;
          cargoExtraArgs = "--locked --features broken";
        };
      in
      assert lib.assertMsg (drv.pname == "checks-demo-build") "cargoBuild's pname is ${drv.pname}";
      drv;

    # cargoBuildExtraArgs reaches buildPackage's build and its implicit deps build (else the
    # deps lack itoa and requireFreshDependencies fails).
    build-extra-args = runsAndPrints "build-extra-args" (buildPackage {
      inherit src;
      cargoBuildExtraArgs = "--features extra";
      requireFreshDependencies = true;
    }) "crane-compat" "extra 42";

    # buildDepsOnly checks every target (crane's cargoCheckExtraArgs): clippy --all-targets
    # then finds the dev-dependency checked; without doCheck nothing is added.
    deps-check-all-targets =
      let
        noCheck = buildDepsOnly {
          inherit src;
          doCheck = false;
        };
      in
      assert lib.assertMsg (!(lib.hasInfix "--all-targets" noCheck.buildPhase))
        "buildDepsOnly with doCheck = false still checks --all-targets";
      cargoClippy {
        inherit src;
        cargoArtifacts = buildDepsOnly { inherit src; };
        requireFreshDependencies = true;
      };

    # The scope's stdenvSelector makes every derivation, the implicit deps build included;
    # a per-call `stdenv` still works.
    stdenv-selector = selected.buildPackage {
      inherit src;
      preBuild = expectMark;
    };
    stdenv-per-call = buildDepsOnly {
      inherit src;
      stdenv = markedStdenv;
      preBuild = expectMark;
    };

    # crane's scope names: the library itself, its helper, writeTOML's implementations.
    crane-scope-names =
      assert lib.assertMsg (
        builtins.attrNames gantryLib.craneLib == builtins.attrNames gantryLib
        && gantryLib.craneLib.gantry-helper.drvPath == gantryLib.gantry-helper.drvPath
      ) "craneLib is not the library";
      assert lib.assertMsg (gantryLib.craneUtils.drvPath == gantryLib.gantry-helper.drvPath)
        "craneUtils is not the helper";
      pkgs.runCommand "crane-scope-names" { } ''
        cmp ${gantryLib.writeTOML "a.toml" tomlData} ${gantryLib.writeTOMLViaCraneUtils "b.toml" tomlData}
        cmp ${gantryLib.writeTOML "a.toml" tomlData} ${remarshalLib.writeTOML "c.toml" tomlData}
        grep -qx 'jobs = 2' ${remarshalLib.writeTOML "c.toml" tomlData}
        ${gantryLib.craneUtils}/bin/gantry --version
        touch $out
      '';

    # cargoFmt's output is an (empty) artifacts layer, usable as cargoArtifacts.
    cargo-fmt-as-artifacts = cargoBuild {
      src = ./projects/no-deps;
      cargoArtifacts = cargoFmt { src = ./projects/no-deps; };
    };
  }
  // lib.optionalAttrs (has "cargo-nextest") {
    # (preCheck runs in the implicit deps build too, which runs no nextest.)
    cargo-nextest-show-progress = cargoNextest {
      src = demo;
      preCheck = ''
        if [ -z "''${CRANE_BUILD_DEPS_ONLY-}" ] && [ "$NEXTEST_SHOW_PROGRESS" != counter ]; then
          echo "NEXTEST_SHOW_PROGRESS is '$NEXTEST_SHOW_PROGRESS'" >&2
          exit 1
        fi
      '';
    };
    cargo-nextest-own-progress = cargoNextest {
      src = demo;
      env.NEXTEST_SHOW_PROGRESS = "none";
      preCheck = ''[ "$NEXTEST_SHOW_PROGRESS" = none ]'';
    };
  }
  // lib.optionalAttrs (has "cargo-nextest" && has "cargo-llvm-cov") {
    # crane's quick-start coverage: withLlvmCov with one count partition.
    cargo-nextest-llvm-cov-count =
      let
        report = cargoNextest {
          src = demo;
          withLlvmCov = true;
          partitions = 1;
          partitionType = "count";
        };
      in
      pkgs.runCommand "nextest-llvm-cov-count" { } ''
        grep -q '^SF:.*src/lib.rs' ${report}/coverage
        touch $out
      '';
  };

  expectFailure = {
    # `configurePhase = null` gives stdenv's back, which the setup hook then claims.
    configure-phase-null = {
      drv = cargoBuild {
        src = ./projects/no-deps;
        nativeBuildInputs = [ fakeCmake ];
        configurePhase = null;
      };
      message = "fake cmake took over the configure phase";
    };
    # With doCheck, cargoBuild runs the tests.
    cargo-build-do-check = {
      drv = cargoBuild {
        src = demo;
        cargoExtraArgs = "--locked --features broken";
        doCheck = true;
      };
      message = "the `broken` feature adds this failing test";
    };
    # requireFreshDependencies never passes for want of evidence: a caller's non-JSON format…
    fresh-deps-human-format = {
      drv = requireFreshWith "--message-format human";
      message = "requireFreshDependencies cannot be checked: cargo ran with --message-format human";
    };
    # …or a run that compiled and checked no unit at all.
    fresh-deps-no-units = {
      drv = requireFreshWith "--examples";
      message = "requireFreshDependencies cannot be checked: cargo reported no compiler-artifact message";
    };
  }
  // lib.optionalAttrs (has "cargo-nextest") {
    # The archive holds what cargoNextestArchiveExtraArgs selects: the `broken` test.
    cargo-nextest-archive-extra-args = {
      drv = cargoNextest {
        src = demo;
        partitions = 2;
        cargoNextestArchiveExtraArgs = "--features broken";
      };
      message = "the `broken` feature adds this failing test";
    };
  };
}
