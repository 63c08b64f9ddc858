#!/usr/bin/env bash
# Benchmark of vendorCargoDeps on real lock files of about 50, 200 and 550 crates (shipped in
# the .crate archives of ripgrep, bat and nu on crates.io): evaluation time
# (`nix-instantiate`), number of derivations in the vendor directory's closure, the time to
# fetch everything (cold: downloads) and to build the vendor directory again when every
# crate is already in the store (warm). Not a test: it prints a markdown table and fails
# only if a command fails.
#
# Usage: bench/vendoring.sh
# Environment:
#   BENCH_DIR   work directory (default /tmp/gantry-bench-vendoring)
#   CRATES      space-separated crate@version list (default below)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${BENCH_DIR:-/tmp/gantry-bench-vendoring}
crates=${CRATES:-ripgrep@14.1.1 bat@0.24.0 nu@0.99.1}

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
# shellcheck source=common.sh
source "$repo/bench/common.sh"


mkdir -p "$work"
rows=()
for crate in $crates; do
  name=${crate%@*}
  version=${crate#*@}
  lock=$work/$name-$version.Cargo.lock
  if [[ ! -f $lock ]]; then
    curl -sSfL "https://static.crates.io/crates/$name/$version/download" |
      tar -xzO "$name-$version/Cargo.lock" >"$lock"
  fi
  packages=$(grep -c '^\[\[package\]\]' "$lock")
  expr="let pkgs = import $repo/checks/offline-pkgs { }; in (import $repo/lib { inherit pkgs; }).vendorCargoDeps { cargoLock = $lock; }"

  start=$(now)
  drv=$(nix-instantiate --quiet -E "$expr" 2>/dev/null)
  eval_s=$(since "$start")
  drvs=$(nix-store -qR "$drv" | grep -c '\.drv$')

  start=$(now)
  out=$(nix-build --quiet --no-out-link -E "$expr" 2>/dev/null)
  cold_s=$(since "$start")

  # Warm: the crates stay, the vendor directory and its per-registry directories go.
  for path in "$out" $(nix-store -q --references "$out" | grep -v -- '-cargo-package-\|\.drv$'); do
    nix-store --delete "$path" >/dev/null 2>&1 || true
  done
  start=$(now)
  nix-build --quiet --no-out-link -E "$expr" >/dev/null 2>&1
  warm_s=$(since "$start")

  rows+=("| $crate | $packages | $eval_s | $drvs | $cold_s | $warm_s |")
done

echo
echo "$(nproc) cores, $(nix --version)"
echo
echo "| lock file | packages | nix-instantiate (s) | derivations | cold build (s) | warm build (s) |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
