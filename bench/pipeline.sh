#!/usr/bin/env bash
# Benchmark of gantry's pipeline on a real project from crates.io (ripgrep, which ships its
# Cargo.lock): buildDepsOnly, then buildPackage on its artifacts, through Nix on the offline
# stand-in, against a plain `cargo build --release --locked` of the same tree; plus
# `gantry pack`/`unpack` of the deps' target directory. Not a test: it prints a markdown
# table with ratios and fails only if a command fails.
#
# Usage: bench/pipeline.sh
# Environment:
#   BENCH_DIR   work directory (default /tmp/gantry-bench-pipeline)
#   CRATE       crate@version to build (default ripgrep@14.1.1)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${BENCH_DIR:-/tmp/gantry-bench-pipeline}
crate=${CRATE:-ripgrep@14.1.1}
name=${crate%@*}
version=${crate#*@}

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v bytes="$1" 'BEGIN { printf "%.1f", bytes / 1048576 }'; }

mkdir -p "$work"
src=$work/$name-$version
if [[ ! -f $src/Cargo.lock ]]; then
  rm -rf "$src"
  curl -sSfL "https://static.crates.io/crates/$name/$version/download" | tar -xz -C "$work"
fi
[[ -f $src/Cargo.lock ]] || { echo "$crate ships no Cargo.lock" >&2; exit 1; }

# Plain cargo, sources fetched beforehand (not timed), fresh target directory.
export CARGO_HOME=$work/cargo-home
(cd "$src" && cargo fetch --locked -q)
rm -rf "$work/cargo-target"
start=$(now)
(cd "$src" && CARGO_TARGET_DIR=$work/cargo-target cargo build --release --locked --offline -q)
cargo_s=$(elapsed "$start" "$(now)")

# Through Nix: vendoring first (fetches, not timed), then deps and final build, timed.
# doCheck = false on both sides: plain `cargo build` runs no tests either.
cat >"$work/bench.nix" <<EOF
let
  pkgs = import $repo/checks/offline-pkgs { };
  gantryLib = import $repo/lib { inherit pkgs; };
  src = $src;
  deps = gantryLib.buildDepsOnly { inherit src; doCheck = false; };
in
{
  helper = gantryLib.gantry-helper;
  vendor = gantryLib.vendorCargoDeps { inherit src; };
  inherit deps;
  package = gantryLib.buildPackage {
    inherit src;
    cargoArtifacts = deps;
    doCheck = false;
    requireFreshDependencies = true;
  };
}
EOF
build() { nix-build --no-out-link "$work/bench.nix" -A "$1"; }
helper=$(build helper)/bin/gantry
build vendor >/dev/null
# A new measurement needs new derivations: a marker in the name would change the build
# directory, so the store paths are deleted instead.
for attr in package deps; do
  path=$(nix-instantiate "$work/bench.nix" -A "$attr" 2>/dev/null | xargs nix-store -q --outputs)
  nix-store --delete "$path" >/dev/null 2>&1 || true
done
start=$(now)
deps=$(build deps)
deps_s=$(elapsed "$start" "$(now)")
start=$(now)
package=$(build package)
final_s=$(elapsed "$start" "$(now)")
"$package/bin/rg" --version | head -1

# The deps' artifacts: unpack and pack again with the helper.
rm -rf "$work/unpacked" "$work/layer"
start=$(now)
"$helper" unpack "$deps" "$work/unpacked"
unpack_s=$(elapsed "$start" "$(now)")
start=$(now)
"$helper" pack "$work/unpacked" "$work/layer" 2>/dev/null
pack_s=$(elapsed "$start" "$(now)")
raw=$(du -sb "$work/unpacked" | cut -f1)
packed=$(stat -c %s "$deps/target.tar.zst")

total_s=$(awk -v a="$deps_s" -v b="$final_s" 'BEGIN { printf "%.1f", a + b }')
echo
echo "$crate, $(nproc) cores, $(cargo --version)"
echo
echo "| step | wall (s) | vs cargo build --release |"
echo "|---|---:|---:|"
echo "| cargo build --release --locked (fresh target dir) | $cargo_s | 1.00 |"
echo "| buildDepsOnly (cargo check + build of the dummy, pack) | $deps_s | $(ratio "$deps_s" "$cargo_s") |"
echo "| buildPackage on the deps (unpack, build, install) | $final_s | $(ratio "$final_s" "$cargo_s") |"
echo "| both | $total_s | $(ratio "$total_s" "$cargo_s") |"
echo "| gantry unpack of the deps' artifacts | $unpack_s | $(ratio "$unpack_s" "$cargo_s") |"
echo "| gantry pack of the same target dir | $pack_s | $(ratio "$pack_s" "$cargo_s") |"
echo
echo "deps target dir $(mib "$raw") MiB, target.tar.zst $(mib "$packed") MiB ($(ratio "$raw" "$packed")x smaller)"
