# The dummy source stubs exactly the targets the project has (crane's mkDummySrc): a
# binary-only package gets no library stub, a library-only one no binary stub, binaries in
# src/bin keep their own paths, and a member named `examples` builds. Each case runs
# buildDepsOnly, then buildPackage on its artifacts with requireFreshDependencies, runs the
# binaries and compares the dummy's stubbed crate roots with the expected list. Also
# buildDepsOnly from `dummySrc` alone, and a workspace below the source's root.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (import ./support.nix { inherit pkgs lib; }) freshPackage;
  inherit (gantryLib)
    buildDepsOnly
    buildPackage
    cleanCargoSource
    mkDummySrc
    ;

  # Shell: fails unless the stubbed crate roots of `dummy` below `dir` (every .rs file but
  # the dummy build scripts) are exactly `expected` (paths relative to the dummy's root).
  stubsAre =
    name: dummy: dir: expected:
    ''
      (cd ${dummy} && find ${if dir == "" then "." else dir} -name '*.rs' ! -name gantry-dummy-build.rs | sed 's|^\./||' | LC_ALL=C sort) > got
      printf '%s' ${lib.escapeShellArg (lib.concatMapStrings (p: p + "\n") (lib.sort (a: b: a < b) expected))} > want
      diff -u want got || { echo "${name}: the dummy's crate roots differ from the expected ones (-want +got)" >&2; exit 1; }
    '';

  # Shell: fails unless each binary of `runs` (name → expected output) prints its text.
  printsAll =
    pkg: runs:
    lib.concatStrings (
      lib.mapAttrsToList (bin: expected: ''
        out_text=$(${pkg}/bin/${bin})
        [ "$out_text" = ${lib.escapeShellArg expected} ] || { echo "${bin} printed '$out_text', expected ${lib.escapeShellArg expected}" >&2; exit 1; }
      '') runs
    );

  # buildDepsOnly, then buildPackage with every dependency unit fresh.
  pipeline = freshPackage gantryLib;

  check =
    name: args:
    {
      dir ? "",
      stubs,
      runs,
    }:
    pkgs.runCommand name { } ''
      ${stubsAre name (mkDummySrc args) dir stubs}
      ${printsAll (pipeline args) runs}
      touch $out
    '';

  targets = {
    pname = "dummy-targets";
    src = ./projects/dummy-targets;
  };
  binPathsStubs = [
    "bin-paths/src/bin/alpha.rs"
    "bin-paths/src/bin/beta/main.rs"
    "bin-paths/tools/gamma.rs"
  ];

  nestedSrc = ./projects/nested-deps;
  depsFromDummy = buildDepsOnly { dummySrc = mkDummySrc { src = nestedSrc; }; };

  # mirrors crane checks/default.nix workspaceRootNotAtSourceRoot (its project: checks/workspace-not-at-root)
  notAtRoot = ./projects/workspace-not-at-root;
  notAtRootArgs = {
    pname = "workspace-not-at-root";
    version = "0.0.1";
    src = cleanCargoSource notAtRoot;
    postUnpack = ''
      cd $sourceRoot/workspace
      sourceRoot="."
    '';
    cargoLock = notAtRoot + "/workspace/Cargo.lock";
    cargoToml = notAtRoot + "/workspace/Cargo.toml";
  };
  notAtRootStubs = {
    stubs = [
      "workspace/hello/src/lib.rs"
      "workspace/print/src/main.rs"
    ];
    runs.print = "hello from a workspace below the root 3";
  };

  # Code edits keep the deps derivation; a new library changes it (its stub is new).
  editedDeps = version: (buildDepsOnly { src = ./fixtures/code-edits + "/${version}/edited"; }).drvPath;
  facts = [
    {
      ok = editedDeps "v1" == editedDeps "v2";
      what = "editing src/main.rs and adding a module changes the deps derivation";
    }
    {
      ok = editedDeps "v1" != editedDeps "v3";
      what = "adding src/lib.rs leaves the deps derivation (and so the dummy) unchanged";
    }
  ];
  failedFacts = map (f: f.what) (builtins.filter (f: !f.ok) facts);

  # Two decisions are made twice: the members' versions, normalised at evaluation time for a
  # path src (lib/memberVersions.nix, so a release keeps the deps derivation) and at build
  # time by the helper (helpers/src/dummy_src/versions.rs, for every src); and which files
  # make the skeleton (mkDummySrc.nix's filter, the helper's Skeleton::read). They must agree:
  # the dummy of a path src (Nix, then the helper) is byte for byte the dummy of the same
  # tree given as a derivation (the helper alone).
  versionsAgree =
    name: path:
    let
      viaNix = mkDummySrc { src = path; };
      helperOnly = mkDummySrc { src = pkgs.runCommand (baseNameOf path) { } "cp -r ${path} $out"; };
    in
    pkgs.runCommand name { } ''
      diff -r ${viaNix} ${helperOnly} || {
        echo "${name}: the evaluation-time and the helper's normalisation of member versions disagree (above: path src vs derivation src)" >&2
        exit 1
      }
      touch $out
    '';
in
{
  checks = {
    member-versions-agree-release = versionsAgree "member-versions-agree-release" ./projects/releases/v2/release;
    member-versions-agree-workspace = versionsAgree "member-versions-agree-workspace" ./projects/workspace;
    # Registry dependencies as inline tables with versions, next to none with a path.
    member-versions-agree-nested-deps = versionsAgree "member-versions-agree-nested-deps" ./projects/nested-deps;
    dummy-src-bin-only = check "dummy-src-bin-only" targets {
      dir = "bin-only";
      stubs = [ "bin-only/src/main.rs" ];
      runs.bin-only = "bin-only 7";
    };
    dummy-src-lib-only = check "dummy-src-lib-only" targets {
      dir = "lib-only";
      stubs = [ "lib-only/src/lib.rs" ];
      runs.alpha = "alpha 1";
    };
    # src/bin/x.rs and src/bin/x/main.rs are stubbed where they are, and a declared path too;
    # a source given as a store path (not reduced at evaluation time) gets the same stubs.
    dummy-src-bin-paths = pkgs.runCommand "dummy-src-bin-paths" { } ''
      ${stubsAre "dummy-src-bin-paths" (mkDummySrc { src = "${./projects/dummy-targets}"; }) "bin-paths" binPathsStubs}
      ${stubsAre "dummy-src-bin-paths" (mkDummySrc targets) "bin-paths" binPathsStubs}
      ${printsAll (pipeline targets) {
        alpha = "alpha 1";
        beta = "beta 2";
        gamma = "gamma 3";
      }}
      touch $out
    '';
    # mirrors crane checks/default.nix illegalBin (its project: checks/illegal-bin)
    dummy-src-examples-member = check "dummy-src-examples-member" {
      pname = "examples-member";
      src = ./projects/dummy-src-examples-member;
    } {
      stubs = [
        "app/src/main.rs"
        "examples/foo.rs"
      ];
      runs.app = "app beside examples 2";
    };
    dummy-src-code-edits =
      if failedFacts != [ ] then
        throw "dummy-src.nix: ${lib.concatStringsSep "; " failedFacts}"
      else
        pkgs.runCommand "dummy-src-code-edits" { } "touch $out";

    # The crate name, lock and vendored sources come from the dummy: the very derivation
    # `src` gives.
    deps-only-dummy-src-without-src =
      assert lib.assertMsg (
        depsFromDummy.drvPath == (buildDepsOnly { src = nestedSrc; }).drvPath
      ) "dummy-src.nix: buildDepsOnly { dummySrc } differs from buildDepsOnly { src } of the same project";
      pkgs.runCommand "deps-only-dummy-src-without-src" { } ''
      ${printsAll (buildPackage {
        src = nestedSrc;
        cargoArtifacts = depsFromDummy;
        requireFreshDependencies = true;
      }) { nested-deps = ''{"message":"hello from nested-deps","answer":42}''; }}
      touch $out
    '';

    workspace-not-at-root = check "workspace-not-at-root" notAtRootArgs notAtRootStubs;
    # The same with Cargo.lock only given as cargoLock (filtered out of src): the dependency
    # build gets it in the subdirectory too.
    workspace-not-at-root-replaced-lock = check "workspace-not-at-root-replaced-lock" (
      notAtRootArgs
      // {
        src = lib.cleanSourceWith {
          src = cleanCargoSource notAtRoot;
          filter = path: _type: baseNameOf path != "Cargo.lock";
        };
      }
    ) notAtRootStubs;
  };

  expectFailure = { };
}
