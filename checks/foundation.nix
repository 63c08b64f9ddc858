# The foundation's checks: the helper builds through Nix from crates.io sources, and the
# first library functions behave as documented (docs/API.md).
{
  pkgs,
  lib,
  gantryLib,
  gantrySrc,
}:

let
  inherit (gantryLib) gantry-helper cleanCargoToml crateNameFromCargoToml filters writeTOML;
  fixtures = gantrySrc + "/helpers/tests/fixtures/clean-toml";
  workspace = builtins.fromTOML (builtins.readFile (gantrySrc + "/Cargo.toml"));

  # cleanCargoToml (Nix, evaluation time) against `gantry clean-toml` (Rust, build time) on
  # every fixture and both filters, compared as sorted JSON.
  cleanTomlComparisons = lib.listToAttrs (
    lib.concatMap (
      case:
      map (
        filter:
        let
          nixResult = cleanCargoToml {
            cargoToml = fixtures + "/${case}/Cargo.toml";
            cleanCargoTomlFilter = filters.${"cargoToml" + filter.nix};
          };
        in
        lib.nameValuePair "clean-toml-${case}-${filter.nix}" (
          pkgs.runCommand "clean-toml-${case}-${filter.nix}" {
            nativeBuildInputs = [ gantry-helper pkgs.jq pkgs.diffutils ];
            nixJson = builtins.toJSON nixResult;
            rawJson = builtins.toJSON (builtins.fromTOML (builtins.readFile (fixtures + "/${case}/Cargo.toml")));
            passAsFile = [ "nixJson" "rawJson" ];
          } ''
            gantry clean-toml --json ${filter.flag} ${fixtures + "/${case}/Cargo.toml"} | jq -S . > helper.json
            jq -S . < "$nixJsonPath" > nix.json
            diff -u nix.json helper.json
            # Every fixture loses something to every filter, so equality is not vacuous.
            jq -S . < "$rawJsonPath" > raw.json
            if cmp -s raw.json helper.json; then
              echo "fixture ${case} is unchanged by the filter: the comparison proves nothing" >&2
              exit 1
            fi
            touch $out
          ''
        )
      ) [
        { nix = "Conservative"; flag = ""; }
        { nix = "Aggressive"; flag = "--aggressive"; }
      ]
    ) (builtins.attrNames (lib.filterAttrs (_: t: t == "directory") (builtins.readDir fixtures)))
  );

  # vendorCargoDeps of a lock holding one package `a 0.1.0` with these attributes.
  vendorOne =
    attrs:
    gantryLib.vendorCargoDeps {
      cargoLockParsed = {
        version = 3;
        package = [ ({ name = "a"; version = "0.1.0"; } // attrs) ];
      };
    };

  nameOf = text: crateNameFromCargoToml { cargoTomlContents = text; };
  crateNameCases = [
    { toml = ''[package]
name = "a"
version = "1.2.3"''; want = { pname = "a"; version = "1.2.3"; }; }
    { toml = ''[package]
name = "a"
version.workspace = true
[workspace.package]
version = "4.5.6"''; want = { pname = "a"; version = "4.5.6"; }; }
    { toml = ''[package]
name = "a"
version = "1.0.0"
[package.metadata.crane]
name = "renamed"''; want = { pname = "renamed"; version = "1.0.0"; }; }
    { toml = ''[workspace]
members = [ "x" ]
[workspace.package]
version = "0.3.0"''; want = { pname = "cargo-package"; version = "0.3.0"; }; }
    { toml = ''[workspace]
members = [ "x" ]''; want = { pname = "cargo-package"; version = "0.0.1"; }; }
  ];
  crateNameFailures = builtins.filter (c: nameOf c.toml != c.want) crateNameCases;
in
{
  checks = cleanTomlComparisons // {
    # The helper builds through Nix (one fixed-output fetch per crates.io crate) and runs.
    helper-version = pkgs.runCommand "helper-version" { nativeBuildInputs = [ gantry-helper ]; } ''
      test "$(gantry --version)" = "gantry ${workspace.workspace.package.version}"
      touch $out
    '';

    write-toml = pkgs.runCommand "write-toml" { nativeBuildInputs = [ pkgs.diffutils ]; } ''
      diff -u ${./fixtures/write-toml/expected.toml} ${
        writeTOML "demo.toml" (import ./fixtures/write-toml/input.nix)
      }
      touch $out
    '';

    crate-name-from-cargo-toml =
      if crateNameFailures == [ ] then
        pkgs.runCommand "crate-name-from-cargo-toml" { } "touch $out"
      else
        throw "crateNameFromCargoToml: failed cases: ${builtins.toJSON crateNameFailures}";

    # A custom filter works like crane's: keep everything but package.version.
    clean-toml-custom-filter =
      let
        cleaned = cleanCargoToml {
          cargoTomlContents = ''
            [package]
            name = "a"
            version = "1.0.0"
            description = "kept by this filter"
          '';
          cleanCargoTomlFilter = path: path != [ "package" "version" ];
        };
      in
      assert cleaned == { package = { name = "a"; description = "kept by this filter"; }; };
      pkgs.runCommand "clean-toml-custom-filter" { } "touch $out";
  };

  expectFailure = {
    crate-name-without-cargo-toml = {
      drv = pkgs.runCommand "x" { inherit (crateNameFromCargoToml { src = ./fixtures/empty; }) pname; } "";
      message = "no Cargo.toml at";
    };
    vendor-without-cargo-lock = {
      drv = gantryLib.vendorCargoDeps { src = ./fixtures/empty; };
      message = "run `cargo generate-lockfile`";
    };
    vendor-unknown-registry = {
      drv = vendorOne {
        source = "registry+https://example.org/index";
        checksum = "0000000000000000000000000000000000000000000000000000000000000000";
      };
      message = "comes from the registry registry+https://example.org/index, which gantry does not know";
    };
    vendor-registry-crate-without-checksum = {
      drv = vendorOne { source = "registry+https://github.com/rust-lang/crates.io-index"; };
      message = "has no checksum in Cargo.lock";
    };
    vendor-git-source-without-commit = {
      drv = vendorOne { source = "git+https://example.org/repo?branch=main"; };
      message = "pins no commit";
    };
    vendor-unknown-source-kind = {
      drv = vendorOne { source = "path+file:///somewhere"; };
      message = "a kind of source gantry cannot vendor";
    };
    write-toml-null = {
      drv = writeTOML "null.toml" { package.metadata.x = null; };
      message = "package.metadata.x";
    };
  };
}
