# gantry's Nix test suite: `checks` must build; each `expectFailure` entry must fail with
# its message (checks/run.sh runs both). Runs on the offline stand-in and on real nixpkgs.
{ pkgs, gantry }:

let
  inherit (pkgs) lib;
  gantryLib = gantry.mkLib pkgs;
  # The repository under test (the flake input's source): fixtures shared with the Rust tests.
  gantrySrc = gantry.outPath;
  callTest = file: import file { inherit pkgs lib gantryLib gantrySrc; };

  prefixed = prefix: lib.mapAttrs' (n: v: lib.nameValuePair "${prefix}-${n}" v);

  # Stand-in checks only make sense against the stand-in itself.
  isStandin = pkgs ? rust-toolchain;
  standinChecks = lib.optionalAttrs isStandin (
    prefixed "standin" (import ./offline-pkgs/tests/stdenv.nix { inherit pkgs; })
    // {
      standin-lib =
        let
          result = import ./offline-pkgs/tests/lib.nix { inherit lib; };
        in
        pkgs.runCommand "standin-lib-tests" { } (
          if result.failures == [ ] then
            "echo ${toString result.count} lib tests passed; touch $out"
          else
            "printf '%s\\n' ${lib.escapeShellArgs result.failures} >&2; exit 1"
        );
      # The evaluated cases, then the store paths of toSource results against the
      # entries they must hold (eval only sees the filter).
      standin-fileset =
        let
          result = import ./offline-pkgs/tests/fileset.nix { inherit lib; };
          compare = name: source: ''
            (cd ${source.src} && { find . -mindepth 1 -type d -printf '%P/\n'; find . -mindepth 1 ! -type d -printf '%P\n'; }) | LC_ALL=C sort > got
            printf '%s' ${lib.escapeShellArg (lib.concatMapStrings (e: e + "\n") source.expected)} > want
            diff -u want got || { echo "toSource result ${name} differs (-want +got)" >&2; exit 1; }
          '';
        in
        pkgs.runCommand "standin-fileset-tests" { } (
          if result.failures == [ ] then
            lib.concatStrings (lib.mapAttrsToList compare result.sources)
            + "echo ${toString result.count} fileset tests passed, ${toString (lib.length (lib.attrNames result.sources))} sources as expected; touch $out"
          else
            "printf '%s\\n' ${lib.escapeShellArgs result.failures} >&2; exit 1"
        );
    }
  );
  standinFailures = lib.optionalAttrs isStandin (
    prefixed "standin" (import ./offline-pkgs/tests/failing.nix { inherit pkgs; })
  );

  suites = map callTest [
    ./foundation.nix
    ./pipeline.nix
    ./projects.nix
    ./dummy-src.nix
    ./vendoring.nix
    ./vendoring-crane.nix
    ./check-builders.nix
    ./per-crate.nix
    ./crane-compat.nix
    ./crane-contract.nix
    ./docs.nix
    ./fileset.nix
    ./wasm.nix
    ./cargo.nix
  ]
  # Cross compilation makes libraries over other package sets: it takes mkLib too.
  ++ [ (import ./cross.nix { inherit pkgs lib gantry gantryLib; }) ];
  # The union of the suites' sets of one kind; a name defined twice is an error, never one
  # check silently replacing another.
  merged =
    what: sets:
    lib.foldl' (
      acc: set:
      let
        twice = builtins.attrNames (builtins.intersectAttrs acc set);
      in
      if twice != [ ] then
        throw "checks/default.nix: ${what} named twice: ${lib.concatStringsSep ", " twice}"
      else
        acc // set
    ) { } sets;
  checks = merged "checks" ([ standinChecks ] ++ map (s: s.checks) suites);
in
{
  inherit checks;
  # Checks that take many minutes (cargo itself: checks/cargo.nix), which checks/run.sh runs
  # only with GANTRY_SLOW_CHECKS=1; no name is both a check and a slow check.
  slowChecks = removeAttrs (merged "checks and slow checks" (
    [ checks ] ++ map (s: s.slowChecks or { }) suites
  )) (lib.attrNames checks);
  expectFailure = merged "expectFailure entries" ([ standinFailures ] ++ map (s: s.expectFailure) suites);
  skipped = lib.concatMap (s: s.skipped or [ ]) suites;
  devShell = (lib.findFirst (s: s ? devShell) null suites).devShell;
}
