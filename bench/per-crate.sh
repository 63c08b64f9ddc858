#!/usr/bin/env bash
# Per-crate dependency artifacts (buildDepsPerCrate) against buildDepsOnly on real projects
# from crates.io, through Nix on the offline stand-in (sandbox on). Not a test. Measures, per
# project, with the store holding nothing of the project's dependency builds at the start:
#   - cold: buildDepsOnly, and buildDepsPerCrate (plan + pieces + final step)
#   - after bumping a leaf dependency (unicode-ident) and a widely used one (serde) to their
#     next patch release in Cargo.lock: derivations built and seconds, for both
#   - after editing a source file: derivations built and seconds of buildPackage
# Writes a markdown section (measure 4 of docs/benchmarks.md; bench/run.sh includes it) to
# the output file (default: standard output).
#
# Usage: bench/per-crate.sh [--smoke] [--output FILE]
#   --smoke   the smallest project, no bumps (keeps the script working)
# Environment: BENCH_DIR (default /tmp/gantry-bench-per-crate),
#   PROJECTS (default "hexyl@0.16.0 ripgrep@14.1.1"), LEAF (unicode-ident), WIDE (serde),
#   CHART_DIR (where the chart goes; default BENCH_DIR), CHART_NAME (default bench-bumps),
#   BUILD_ARGS (a Nix attribute set, `pkgs` in scope, added to every build's arguments:
#   e.g. the C libraries a project's -sys crates link; bench/cargo.sh), EDIT (default true:
#   also measure buildPackage after a source edit), BUMP_DEPS_ONLY (default true: also
#   build buildDepsOnly after each bump; its one derivation compiles every dependency again,
#   as cold, which a long project may leave unmeasured)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args /dev/stdout "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-per-crate}
projects=${PROJECTS:-hexyl@0.16.0 ripgrep@14.1.1}
leaf=${LEAF:-unicode-ident}
wide=${WIDE:-serde}
edit=${EDIT:-true}
bump_deps_only=${BUMP_DEPS_ONLY:-true}
if $smoke; then projects=${projects%% *}; fi

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home
mkdir -p "$work"


# build SRC ATTR: "<derivations built> <seconds>", evaluation (with the plan, built by IFD)
# included.
build() {
  local start count drv
  start=$(now)
  drv=$(nix-instantiate --quiet -E "$(project_builds "$1")" -A "$2" 2>"$work/eval.log") ||
    { cat "$work/eval.log" >&2; return 1; }
  count=$(nix-store --realise --dry-run "$drv" 2>&1 | sed -n '/will be built:$/,/will be fetched/p' | grep -c '\.drv$' || true)
  nix-store --realise "$drv" >/dev/null 2>"$work/build.log" || { tail -30 "$work/build.log" >&2; return 1; }
  echo "${count:-0} $(since "$start")"
}

# outputs SRC: the store paths of SRC's dependency builds (plan, pieces, assembly, final
# steps) and package.
outputs() {
  local drvs
  drvs=$(for attr in perCrate depsOnly package packageDepsOnly; do nix-instantiate --quiet -E "$(project_builds "$1")" -A "$attr" 2>/dev/null; done)
  # shellcheck disable=SC2086
  (echo "$drvs" && nix-store -qR $drvs | grep -E -- '-(piece-[^/]*|pieces|plan-0\.0\.0|deps-0\.0\.0)\.drv$') |
    xargs -r nix-store -q --outputs | sort -u
}

# forget SRC [KEEP]: deletes SRC's outputs from the store, except those KEEP's build shares,
# so that building SRC measures what it adds to KEEP (downloads stay).
forget() {
  local delete path
  delete=$(comm -23 <(outputs "$1") <(if [ -n "${2-}" ]; then outputs "$2"; fi))
  # One at a time, as often as the chain is deep (package → final step → assembly → pieces):
  # a path still referred to is not deleted, and among others would stop the whole deletion.
  for _ in 1 2 3 4; do
    for path in $delete; do nix-store --delete "$path" >/dev/null 2>&1 || true; done
  done
}

# row LINE: a table row, also logged as soon as it is measured.
rows=() bars=()
row() {
  rows+=("$1")
  echo "bench: $1" >&2
}
for project in $projects; do
  name=${project%@*}
  version=${project#*@}
  src=$(fetch "$name" "$version")
  echo "bench: $project: cold" >&2
  # Earlier runs' variants too: their outputs refer to the project's pieces.
  for variant in "$work"/*/"${src##*/}"; do
    if [ "$variant" != "$src" ]; then forget "$variant"; fi
  done
  forget "$src"
  # The crates' downloads are not part of either build's time.
  build "$src" vendor >/dev/null
  read -r _ only_cold < <(build "$src" depsOnly)
  read -r per_count per_cold < <(build "$src" perCrate)
  row "| $project | cold | $only_cold | $per_cold ($per_count derivations) |"
  if ! $smoke; then
    for crate in "$leaf" "$wide"; do
      bumped=$(variant "$src" "bump-$crate")
      what=$(bump "$bumped" "$crate")
      forget "$bumped" "$src"
      echo "bench: $project: $what" >&2
      only="not measured (1 derivation, compiling every dependency)"
      if $bump_deps_only; then
        read -r only_count only_time < <(build "$bumped" depsOnly)
        only="$only_time ($only_count derivations)"
        bars+=("$project, bump $crate: buildDepsOnly=$only_time")
      fi
      read -r count time < <(build "$bumped" perCrate)
      row "| $project | bump $what | $only | $time ($count derivations) |"
      bars+=("$project, bump $crate: per crate=$time")
    done
  fi
  read -r _ _ < <(build "$src" package)
  if $edit; then
    edited=$(variant "$src" edited)
    echo "// edited by bench/per-crate.sh" >>"$edited/$(crate_root "$edited")"
    forget "$edited" "$src"
    read -r count time < <(build "$edited" package)
    row "| $project | source edit (buildPackage) | same deps | $time ($count derivations) |"
  fi
done

charts=${CHART_DIR:-$work}
chart=${CHART_NAME:-bench-bumps}.svg
if [ ${#bars[@]} -gt 0 ]; then
  svg_bars "$charts/$chart" "Rebuild after a dependency bump (seconds)" s "${bars[@]}"
fi

{
  echo "## 4. Dependency bumps: buildDepsPerCrate against buildDepsOnly"
  echo
  echo "Written by \`bench/per-crate.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine); one run each (seconds, evaluation included; derivations counted by \`nix-store --realise --dry-run\`). Bumps move a crate to its next patch release in Cargo.lock."
  echo
  echo "| project | step | buildDepsOnly | buildDepsPerCrate |"
  echo "|---|---|---:|---:|"
  printf '%s\n' "${rows[@]}"
  if [ ${#bars[@]} -gt 0 ]; then
    echo
    echo "![rebuild after a dependency bump]($chart)"
  fi
} >"$output"
echo "bench: per-crate section written to $output" >&2
