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
  inherit (import ./support.nix { inherit pkgs lib; }) noCompileWrapper storeReferences;

  nestedSrc = ./projects/nested-deps;
  nestedDeps = buildDepsOnly { src = nestedSrc; };

  chainFirst = cargoBuild {
    src = nestedSrc;
    cargoArtifacts = nestedDeps;
    doInstallCargoArtifacts = true;
    requireFreshDependencies = true;
    # Arguments after `--` reach the test binaries, not cargo.
    doCheck = true;
    cargoTestExtraArgs = "-- --test-threads=1";
  };
  chainSecond = cargoBuild {
    src = nestedSrc;
    cargoArtifacts = chainFirst;
    RUSTC_WRAPPER = noCompileWrapper;
    requireFreshDependencies = true;
    doCheck = false;
  };

  # A mixed chain: zstd deps → symlink layer → incremental zstd layer → symlink layer, the
  # last two compiling nothing. The last layer's unchanged files must be symlinks into the
  # first symlink layer (reached through the zstd layer's `prev`).
  mixedStep =
    artifacts: mode: extra:
    cargoBuild (
      {
        src = nestedSrc;
        cargoArtifacts = artifacts;
        doInstallCargoArtifacts = true;
        installCargoArtifactsMode = mode;
        requireFreshDependencies = true;
        doCheck = false;
      }
      // extra
    );
  mixedFirst = mixedStep nestedDeps "use-symlink" { };
  mixedSecond = mixedStep mixedFirst "use-zstd" { RUSTC_WRAPPER = noCompileWrapper; };
  mixedThird = mixedStep mixedSecond "use-symlink" { RUSTC_WRAPPER = noCompileWrapper; };
  mixedChain = pkgs.runCommand "mixed-chain" { nativeBuildInputs = [ pkgs.jq ]; } ''
    [ "$(readlink ${mixedSecond}/prev)" = ${mixedFirst} ] || { echo "the zstd layer's prev is not the symlink layer" >&2; exit 1; }
    [ "$(jq -r .kind ${mixedSecond}/gantry-artifacts.json)" = zstd ]
    [ "$(jq -r .incremental ${mixedSecond}/gantry-artifacts.json)" = true ]
    links=$(find ${mixedThird}/target -type l -lname '${mixedFirst}/*' | wc -l)
    files=$(find ${mixedThird}/target -type f | wc -l)
    echo "last layer: $links files linked into the first symlink layer, $files stored"
    [ "$links" -gt 0 ] || { echo "nothing deduplicated against the first symlink layer" >&2; exit 1; }
    touch $out
  '';

  resolvedVendorPaths.preBuild = ''
    for dir in "$(gantryVendorDir)"/*; do
      RUSTFLAGS="''${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=$dir=$(readlink -f "$dir")"
    done
    export RUSTFLAGS
  '';
in
{
  checks = {
    # buildPackage scrubs the vendored sources and the toolchain from what it installs…
    # Cargo hands rustc the vendored sources below $NIX_BUILD_TOP/gantry-vendor, so binaries
    # name store paths only where something resolved those links (a build script
    # canonicalizing a path, say): `resolvedVendorPaths` makes rustc record every vendored
    # source by its resolved store path.
    no-store-references = storeReferences false "no-store-references" (buildPackage (resolvedVendorPaths // {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
    }));
    # …which is why its binaries hold none: without the scrubbing they do.
    store-references-when-kept = storeReferences true "store-references-when-kept" (buildPackage (resolvedVendorPaths // {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
      doNotRemoveReferencesToVendorDir = true;
      doNotRemoveReferencesToRustToolchain = true;
    }));

    # cargoBuild → cargoBuild: the second step compiles nothing at all.
    chain-recompiles-nothing = chainSecond;
    chain-mixed-artifact-modes = mixedChain;
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
    custom-filter-needs-a-path-src = {
      drv = mkDummySrc {
        src = pkgs.runCommand "generated-src" { } "cp -r ${nestedSrc} $out";
        cleanCargoTomlFilter = path: true;
      };
      message = "cleanCargoTomlFilter is a function of your own";
    };
    dummy-src-without-cargo-toml = {
      drv = mkDummySrc { src = ./fixtures/empty; };
      message = "no Cargo.toml in";
    };
  };
}
