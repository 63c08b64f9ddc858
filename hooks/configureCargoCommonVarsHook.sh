# shellcheck shell=bash
# Common cargo settings for a Nix build (each only when not already set): CARGO_HOME inside
# the build, parallelism from NIX_BUILD_CORES, no incremental artifacts (they are large and
# useless in a store), and the release profile.
configureCargoCommonVars() {
    export CARGO_HOME=${CARGO_HOME:-$PWD/.cargo-home}
    mkdir -p "$CARGO_HOME"
    export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-$NIX_BUILD_CORES}
    export RUST_TEST_THREADS=${RUST_TEST_THREADS:-$NIX_BUILD_CORES}
    export CARGO_BUILD_INCREMENTAL=${CARGO_BUILD_INCREMENTAL:-false}
    export CARGO_PROFILE=${CARGO_PROFILE-release}
}

postPatchHooks+=(configureCargoCommonVars)
