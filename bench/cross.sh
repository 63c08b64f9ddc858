#!/usr/bin/env bash
# Cross compilation (issue 17): gantry's builds for other platforms against plain
# `cargo build --release --target` with the same C compilers and variables, as ratios. Not a
# test. The project is the cross checks' (checks/projects/cross-app: libz-sys compiling its
# bundled zlib for the target, serde's derive built for the build machine, serde_json),
# built through Nix on the offline stand-in (sandbox on), for each platform (a `pkgsCross`
# attribute; default musl64 and aarch64-multiplatform) as crane's examples/cross-rust-overlay
# does it (bench/cross.nix), and by plain cargo in the same run, rounds interleaved so the
# shared machine's load falls on all alike:
#   1. cold: an empty target dir for cargo; for gantry the store holding none of the
#      project's builds (its crates' sources stay): buildDepsOnly + buildPackage (crane's
#      default deps build: `cargo check`, then `cargo build`), the same without the check
#      pass (`cargoCheckCommand = "true"`: the work `cargo build` does), and
#      buildDepsPerCrate (its plan, pieces and final step) + buildPackage
#   2. edit: one line added to src/main.rs; cargo builds again in its target dir, gantry
#      builds buildPackage of the edited source on the same dependency build, and says how
#      many dependency units it compiled (requireFreshDependencies: none, or it fails)
# gantry's times include evaluation (and, per crate, the plan that evaluation builds).
# Plain cargo gets mkCrossToolchainEnv's variables (CARGO_BUILD_TARGET, linkers,
# CC_/CXX_/AR_<triple>, HOST_/TARGET_ CC, …) and the two C compilers it puts on PATH (the
# stand-in's, from the store), `--release --locked --offline --target <triple>`,
# non-incremental.
# Writes a markdown section (docs/benchmarks.md includes it as measure 7) to the output file.
#
# Usage: bench/cross.sh [--smoke] [--output FILE]
#   --smoke   one round, the first platform, buildDepsOnly only (keeps the script working)
# Environment: BENCH_DIR (default /tmp/gantry-bench-cross), REPEAT (rounds, default 3),
#   PLATFORMS (default "musl64 aarch64-multiplatform").
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args "$repo/bench/results/cross.md" "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-cross}
repeat=${REPEAT:-3}
platforms=${PLATFORMS:-musl64 aarch64-multiplatform}
if $smoke; then
  repeat=1
  platforms=${platforms%% *}
fi

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home CARGO_INCREMENTAL=0
mkdir -p "$work"

src=$(variant "$repo/checks/projects/cross-app" src)
edited=$(variant "$src" edited)
echo "// edited by bench/cross.sh" >>"$edited/src/main.rs"
# Plain cargo's copy, edited in place.
plain=$(variant "$src" cargo)
(cd "$plain" && cargo fetch --locked -q)

# drv SRC PLATFORM ATTR: the derivation of bench/cross.nix's ATTR.
drv() {
  nix-instantiate --quiet "$repo/bench/cross.nix" --arg root "$repo" --arg src "$1" --argstr platform "$2" -A "$3" 2>"$work/eval.log" ||
    { tail -n 30 "$work/eval.log" >&2; return 1; }
}
# timed SRC PLATFORM ATTR LOG: seconds to evaluate and build ATTR, its log in $work/LOG.
timed() {
  local start d
  start=$(now)
  d=$(drv "$1" "$2" "$3")
  nix-store --realise "$d" >/dev/null 2>"$work/$4" || { tail -n 30 "$work/$4" >&2; return 1; }
  since "$start"
}
# compiled LOG: the dependency units the final build compiled, from gantry's freshness report.
compiled() { sed -n 's/.*gantry: freshness: .*(\([0-9]*\) dependency units compiled).*/\1/p' "$work/$1" | head -1; }

# forget PLATFORM ATTR…: deletes the outputs of the project's builds for PLATFORM (dependency
# builds, plans, pieces, packages of the ATTRs; the crates' sources stay), the edited
# source's too.
forget() {
  local drvs paths platform=$1
  shift
  drvs=$(for s in "$src" "$edited"; do for attr in "$@"; do drv "$s" "$platform" "$attr"; done; done)
  # shellcheck disable=SC2086
  paths=$(nix-store -qR $drvs | grep -E -- '/[a-z0-9]{32}-(cross-app-[^/]*|[^/]*-piece-[^/]*)\.drv$' | xargs -r nix-store -q --outputs | sort -u)
  # With what refers to them (other builds sharing the pieces, e.g. the cross checks'), one
  # at a time, as often as the chain is deep (package → deps → assembly → pieces): a path
  # still referred to is not deleted, and among others would stop the whole deletion.
  # shellcheck disable=SC2086
  paths=$(if [ -n "$paths" ]; then nix-store -q --referrers-closure $paths | sort -u; fi)
  for _ in 1 2 3 4 5; do
    for path in $paths; do nix-store --delete "$path" >/dev/null 2>&1 || true; done
  done
  for path in $paths; do
    if [ -e "$path" ]; then
      echo "bench: $path is still in the store (a GC root?): the cold builds would not be cold" >&2
      return 1
    fi
  done
}

# Per platform: cargo's environment (mkCrossToolchainEnv's variables and compilers) and the
# measures of every round.
# The machine's load (1-minute average) at the start and the end, for the report.
load_start=$(cut -d' ' -f1 /proc/loadavg)
declare -A triple=() cargo_env=() values=()
for platform in $platforms; do
  compilers=$(nix-build --quiet --no-out-link "$repo/bench/cross.nix" --arg root "$repo" --arg src "$src" --argstr platform "$platform" -A compilers)
  environment=$(nix-instantiate --eval --json "$repo/bench/cross.nix" --arg root "$repo" --arg src "$src" --argstr platform "$platform" -A environment | jq -r .)
  cargo_env[$platform]="PATH=$compilers/bin:$PATH $(tr '\n' ' ' <<<"$environment")"
  triple[$platform]=$(sed -n 's/^CARGO_BUILD_TARGET=//p' <<<"$environment")
done
add() { values[$1]+=" $2"; }
# record KEY SRC PLATFORM ATTR LOG: adds the seconds of `timed` to KEY (its failure stops the run).
record() {
  local seconds
  seconds=$(timed "${@:2}")
  add "$1" "$seconds"
}
# plain_cargo PLATFORM: cargo build for the platform, in the plain copy.
plain_cargo() {
  # shellcheck disable=SC2086
  (cd "$plain" && env ${cargo_env[$1]} CARGO_TARGET_DIR="$work/target-$1" \
    cargo build -q --release --locked --offline --target "${triple[$1]}")
}

for round in $(seq "$repeat"); do
  for platform in $platforms; do
    echo "bench: round $round of $repeat, $platform: plain cargo" >&2
    rm -rf "$work/target-$platform"
    cp "$src/src/main.rs" "$plain/src/main.rs"
    sync
    start=$(now)
    plain_cargo "$platform"
    add "$platform.cargo.cold" "$(since "$start")"
    echo "// edited by bench/cross.sh, round $round" >>"$plain/src/main.rs"
    start=$(now)
    plain_cargo "$platform"
    add "$platform.cargo.edit" "$(since "$start")"

    echo "bench: round $round of $repeat, $platform: gantry, buildDepsOnly" >&2
    if $smoke; then forget "$platform" package; else forget "$platform" package packageBuildOnly perCratePackage; fi
    sync
    record "$platform.deps.deps" "$src" "$platform" deps deps.log
    record "$platform.deps.package" "$src" "$platform" package package.log
    record "$platform.deps.edit" "$edited" "$platform" package edit.log
    add "$platform.deps.compiled" "$(compiled edit.log)"
    $smoke && continue

    echo "bench: round $round of $repeat, $platform: gantry, buildDepsOnly without the check pass" >&2
    record "$platform.buildOnly.deps" "$src" "$platform" depsBuildOnly deps.log
    record "$platform.buildOnly.package" "$src" "$platform" packageBuildOnly package.log

    echo "bench: round $round of $repeat, $platform: gantry, buildDepsPerCrate" >&2
    record "$platform.perCrate.deps" "$src" "$platform" perCrate deps.log
    record "$platform.perCrate.package" "$src" "$platform" perCratePackage package.log
    record "$platform.perCrate.edit" "$edited" "$platform" perCratePackage edit.log
    add "$platform.perCrate.compiled" "$(compiled edit.log)"
  done
done

# m KEY: the median of a measure; s KEY: its spread.
# shellcheck disable=SC2086
m() { median ${values[$1]}; }
# shellcheck disable=SC2086
s() { spread ${values[$1]}; }
cold_rows=() edit_rows=()
for platform in $platforms; do
  p=$platform
  cargo_cold=$(m "$p.cargo.cold") cargo_edit=$(m "$p.cargo.edit")
  kinds=(deps)
  $smoke || kinds+=(buildOnly perCrate)
  for kind in "${kinds[@]}"; do
    case $kind in
    deps) label="buildDepsOnly" ;;
    buildOnly) label="buildDepsOnly, no check pass" ;;
    perCrate) label="buildDepsPerCrate" ;;
    esac
    total=$(sum "$(m "$p.$kind.deps")" "$(m "$p.$kind.package")")
    cold_rows+=("| $p (${triple[$p]}) | $label | $cargo_cold ($(s "$p.cargo.cold")) | $(m "$p.$kind.deps") ($(s "$p.$kind.deps")) | $(m "$p.$kind.package") ($(s "$p.$kind.package")) | $total | $(ratio "$total" "$cargo_cold") |")
    if [ -n "${values[$p.$kind.edit]:-}" ]; then
      edit_rows+=("| $p (${triple[$p]}) | $label | $cargo_edit ($(s "$p.cargo.edit")) | $(m "$p.$kind.edit") ($(s "$p.$kind.edit")) | $(ratio "$(m "$p.$kind.edit")" "$cargo_edit") | $(m "$p.$kind.compiled") |")
    fi
  done
done

{
  echo "## 7. Cross compilation"
  echo
  echo "Written by \`bench/cross.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine), $(nix --version); medians of $repeat round(s), spread in parentheses, seconds. The machine was shared with other builds while it ran (load average $load_start at the start, $(cut -d' ' -f1 /proc/loadavg) at the end): compare the ratios (each round measures every column in turn), not the seconds. The project is the cross checks' (checks/projects/cross-app: libz-sys compiling its bundled zlib for the target, serde's derive for the build machine, serde_json; $(grep -c '^\[\[package\]\]' "$src/Cargo.lock") lock packages), built by gantry as crane's examples/cross-rust-overlay does (the library over \`pkgsCross.<platform>\`, bench/cross.nix), and by plain cargo with \`--release --locked --target <triple>\` and mkCrossToolchainEnv's variables and C compilers, non-incremental. gantry's times include evaluation (per crate, the plan evaluation builds)."
  echo
  echo "### Cold build"
  echo
  echo "cargo from an empty target dir; gantry with none of the project's builds in the store (the crates' sources stay). buildDepsOnly runs crane's \`cargo check\` then \`cargo build\`; without the check pass (\`cargoCheckCommand = \"true\"\`) it does the work of \`cargo build\`."
  echo
  echo "| platform | gantry's dependency build | cargo build | dependency build | buildPackage | gantry total | ratio |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${cold_rows[@]}"
  echo
  echo "### Rebuild after a one-line edit of src/main.rs"
  echo
  echo "cargo in its target dir; gantry's buildPackage of the edited source on the same dependency build (requireFreshDependencies)."
  echo
  echo "| platform | gantry's dependency build | cargo | gantry | ratio | dependency units recompiled |"
  echo "|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${edit_rows[@]}"
} >"$output"
echo "bench: cross section written to $output" >&2
