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
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints noCompileWrapper;

  nestedSrc = ./projects/nested-deps;
  nestedDeps = buildDepsOnly { src = nestedSrc; };

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

  # Store paths the installed binaries must not mention: the vendor directory, every crate
  # it links to, and the toolchain (rustc, cargo and the sysroot). `strings` lists what a
  # binary holds; with `expectFound` at least one must be there (proving the check sees them).
  storeReferences =
    name: pkg: expectFound:
    let
      vendorDir = gantryLib.vendorCargoDeps { src = nestedSrc; };
    in
    pkgs.runCommand name {
      nativeBuildInputs = [ pkgs.binutils pkgs.rustc pkgs.cargo ];
    } ''
      references=(${vendorDir})
      for crate in ${vendorDir}/crates-io/*; do references+=("$(readlink -f "$crate")"); done
      for tool in rustc cargo; do
        references+=("$(command -v $tool)" "$(readlink -f "$(command -v $tool)")")
      done
      references+=("$(rustc --print sysroot)")
      strings ${pkg}/bin/* > strings.txt
      found=()
      for reference in "''${references[@]}"; do
        hash=''${reference#"$NIX_STORE"/}
        hash=''${hash:0:32}
        if grep -qF "$hash" strings.txt; then found+=("$reference"); fi
      done
      echo "checked ''${#references[@]} store paths; found in the binary: ''${found[*]:-none}"
      ${
        if expectFound then
          ''[ ''${#found[@]} -gt 0 ] || { echo "no store path found although references were kept: the check cannot see them" >&2; exit 1; }''
        else
          ''[ ''${#found[@]} -eq 0 ] || { echo "the installed binary still refers to: ''${found[*]}" >&2; exit 1; }''
      }
      touch $out
    '';
in
{
  checks = {
    # buildPackage scrubs the vendored sources and the toolchain from what it installs…
    no-store-references = storeReferences "no-store-references" (buildPackage {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
    }) false;
    # …which is why its binaries hold none: without the scrubbing they do.
    store-references-when-kept = storeReferences "store-references-when-kept" (buildPackage {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
      doNotRemoveReferencesToVendorDir = true;
      doNotRemoveReferencesToRustToolchain = true;
    }) true;

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
        cargoArtifacts = pkgs.runCommand "not-artifacts" { } "mkdir $out";
      };
      message = "not an artifacts directory";
    };
    dummy-src-without-cargo-toml = {
      drv = mkDummySrc { src = ./fixtures/empty; };
      message = "no Cargo.toml in";
    };
  };
}
