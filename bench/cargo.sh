#!/usr/bin/env bash
# cargo itself, the seed's own example: crate `cargo` 0.89.0 from crates.io (its .crate
# ships its Cargo.lock: 384 packages; C through openssl-sys, curl-sys, libgit2-sys,
# libssh2-sys, libz-sys, libsqlite3-sys, libnghttp2-sys), built through Nix on the offline
# stand-in with the C libraries nixpkgs' own cargo links from the system (openssl, curl,
# zlib, curl also native for its curl-config; libgit2-sys 0.18 needs libgit2 1.9 and rusqlite
# asks for its bundled sqlite, so both build their own copy, as in nixpkgs). Not a test.
# Measures with bench/per-crate.sh, both without the check pass (`cargoCheckCommand =
# "true"`): buildDepsOnly and buildDepsPerCrate cold, then buildDepsPerCrate after a leaf
# bump (serde_ignored, which only cargo uses) and a wide one (serde); then both
# binaries (buildPackage on each) run `cargo --version` and `cargo new` + `cargo build
# --offline` of a tiny crate with the host's rustc.
#
# Usage: bench/cargo.sh [--smoke] [--output FILE]
#   --smoke   cold builds only, no bumps
# Environment: BENCH_DIR (default /tmp/gantry-bench-cargo)
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args "$repo/bench/results/cargo.md" "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-cargo}
export BENCH_DIR=$work PROJECTS=cargo@0.89.0 BUMPS="serde_ignored serde" EDIT=false
# Without the check pass (the same work as `cargo build`) and without buildDepsOnly again
# after each bump: a cold build of each takes many minutes on the shared machine.
export BUMP_DEPS_ONLY=false BUILD_ARGS='{
  nativeBuildInputs = [ pkgs.pkg-config pkgs.curl ];
  buildInputs = [ pkgs.openssl pkgs.curl pkgs.zlib ];
  cargoCheckCommand = "true";
}'

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
mkdir -p "$work"

bash "$repo/bench/per-crate.sh" $($smoke && echo --smoke) --output "$work/per-crate.md"

# runs NAME ATTR: builds ATTR (buildPackage on one of the dependency builds) and has its
# cargo make and build a new crate offline; prints a table row.
src=$(fetch cargo 0.89.0)
runs() {
  local bin dir
  bin=$(nix-build --no-out-link --quiet -E "$(project_builds "$src")" -A "$2")/bin/cargo
  dir=$work/run-$2
  rm -rf "$dir"
  mkdir -p "$dir"
  (
    cd "$dir"
    export CARGO_HOME=$dir/cargo-home
    version=$("$bin" --version)
    "$bin" new --quiet hello
    cd hello
    "$bin" build --offline --quiet
    echo "| $1 | \`$version\` | $(./target/debug/hello) |"
  )
}
rows=("$(runs "buildDepsOnly + buildPackage" packageDepsOnly)" "$(runs "buildDepsPerCrate + buildPackage" package)")

{
  echo "# cargo 0.89.0: buildDepsPerCrate against buildDepsOnly"
  echo
  echo "Written by \`bench/cargo.sh\`$($smoke && echo ' --smoke'). Both dependency builds without the check pass (\`cargoCheckCommand = \"true\"\`), with the system's openssl, curl and zlib; after a bump, buildDepsOnly (one derivation compiling every dependency again, as cold) is not built again. The machine was shared with other sessions' builds during the run (others compiling on the same 2 cores), so absolute times are noisy."
  echo
  sed '1,2d; /^!\[/d' "$work/per-crate.md"
  echo
  echo "The binaries, each running \`cargo --version\` (crate 0.89.0 is Rust 1.88's cargo), then \`cargo new hello\` and \`cargo build --offline\` in it and the built program:"
  echo
  echo "| built with | cargo --version | hello prints |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | cat -s >"$output"
echo "bench: written to $output" >&2
