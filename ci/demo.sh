#!/usr/bin/env bash
# gantry's main job on a fresh machine, on a project nobody here wrote: ripgrep 14.1.1 from
# crates.io (its .crate ships Cargo.lock), built through Nix with gantry (offline stand-in,
# sandbox on), the way a crane user's flake does it:
#   1. buildDepsOnly, then buildPackage on its artifacts; `rg --version` and a search run
#   2. one source file edited, buildPackage again: no dependency compiled again (the
#      freshness line of the build log says so)
#   3. buildDepsPerCrate (each dependency crate in the store on its own), then one
#      dependency bumped in Cargo.lock (itoa, used by serde_json only): only its pieces
#      and their dependents are built again, listed by name
# A table of steps, seconds and units compiled closes it. Sets Nix up first if needed
# (ci/setup-nix.sh). Environment: DEMO_DIR (default /tmp/gantry-demo), DEMO_CRATE
# (default ripgrep@14.1.1), DEMO_BUMP (default itoa).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=setup-nix.sh
. "$root/ci/setup-nix.sh"
# shellcheck source=../bench/common.sh
. "$root/bench/common.sh"

work=${DEMO_DIR:-/tmp/gantry-demo}
project=${DEMO_CRATE:-ripgrep@14.1.1}
bump_crate=${DEMO_BUMP:-itoa}
export CARGO_HOME=$work/cargo-home
mkdir -p "$work"
rows=()
trap 'echo "demo: FAILED at: ${step:-setup} (log: $work/step.log)" >&2' ERR

say() { printf '\n== %s\n' "$*" >&2; }
# drv SRC ATTR: the derivation of ATTR of ci/demo.nix for SRC.
drv() { nix-instantiate --quiet "$root/ci/demo.nix" --arg root "$root" --arg src "$1" -A "$2" 2>"$work/eval.log" || { cat "$work/eval.log" >&2; return 1; }; }
# to_build DRV: the names of the derivations building DRV would build.
to_build() { nix-store --realise --dry-run "$1" 2>&1 | sed -n '/will be built:$/,/will be fetched/p' | grep '\.drv$' | sed 's|.*/[a-z0-9]\{32\}-||; s|\.drv$||' || true; }
# build STEP SRC ATTR: builds, records the row (seconds, units compiled from gantry's
# freshness line) and sets `built` to the output path.
build() {
  step=$1
  local start derivation out fresh units pending
  start=$(now)
  derivation=$(drv "$2" "$3")
  pending=$(to_build "$derivation" | grep -c . || true)
  out=$(nix-store --realise "$derivation" 2>"$work/step.log") || { tail -40 "$work/step.log" >&2; return 1; }
  fresh=$(grep -h 'gantry: freshness:' "$work/step.log" | tail -1 || true)
  units=$(sed -n 's/.*, \([0-9]*\) compiled (\([0-9]*\) dependency units compiled).*/\1 (\2 dependencies)/p' <<<"$fresh")
  if [ "$pending" -eq 0 ]; then units="none: in the store already"; fi
  rows+=("| $1 | $(since "$start") | $pending | ${units:-every unit: no artifacts inherited} |")
  if [ -n "$fresh" ]; then echo "   ${fresh#*gantry: }" >&2; fi
  built=$out
}

name=${project%@*} version=${project#*@}
say "fetching $project from crates.io"
src=$(fetch "$name" "$version")
echo "   $src" >&2

say "1. buildDepsOnly, then buildPackage (cold: every dependency compiled once)"
build "buildDepsOnly (dependencies)" "$src" deps
build "buildPackage" "$src" package
pkg=$built
"$pkg/bin/rg" --version | head -1
echo "   rg -c 'fn main' over ripgrep's own sources: $("$pkg/bin/rg" -c 'fn main' "$src" | wc -l) files"

say "2. one source file edited: buildPackage again on the same dependency build"
edited=$(variant "$src" edited)
echo "// edited by ci/demo.sh" >>"$edited/$(crate_root "$edited")"
[ "$(drv "$edited" deps)" = "$(drv "$src" deps)" ] && echo "   same buildDepsOnly derivation: nothing to rebuild there" >&2
build "buildPackage after an edit" "$edited" package
pkg=$built
"$pkg/bin/rg" --version | head -1

say "3. per-crate dependency artifacts (buildDepsPerCrate), then $bump_crate bumped in Cargo.lock"
build "buildDepsPerCrate (cold)" "$src" perCrate
bumped=$(variant "$src" "bump-$bump_crate")
what=$(bump "$bumped" "$bump_crate")
echo "   $what; to build again:" >&2
to_build "$(drv "$bumped" perCratePackage)" | sed 's/^/     /' >&2
build "buildDepsPerCrate after bumping $bump_crate" "$bumped" perCrate
build "buildPackage on the per-crate artifacts" "$bumped" perCratePackage
pkg=$built
"$pkg/bin/rg" --version | head -1

trap - ERR
say "summary ($project, $(nproc) cores; seconds include evaluation)"
{
  echo "| step | seconds | derivations built | units compiled (by the last cargo run) |"
  echo "|---|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
}
