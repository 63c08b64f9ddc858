#!/usr/bin/env bash
# Per-crate dependency artifacts (buildDepsPerCrate) against buildDepsOnly on real projects
# from crates.io, through Nix on the offline stand-in (sandbox on). Not a test. Measures, per
# project, with the store holding nothing of the project's dependency builds at the start:
#   - cold: buildDepsOnly, and buildDepsPerCrate (plan + pieces + final step)
#   - after bumping crates to their next patch release in Cargo.lock (default unicode-ident,
#     which many crates use through proc-macro2; serde, used widely; and `top`, a crate that
#     nothing else depends on, chosen from the members' direct dependencies): derivations
#     built and seconds, for both
#   - after editing a source file: buildPackage on either's output, derivations and seconds
# Writes a markdown section (measure 4 of docs/benchmarks.md; bench/run.sh includes it) to
# the output file (default: standard output).
#
# Usage: bench/per-crate.sh [--smoke] [--output FILE]
#   --smoke   the smallest project, no bumps (keeps the script working)
# Environment: BENCH_DIR (default /tmp/gantry-bench-per-crate),
#   PROJECTS (default "hexyl@0.16.0 ripgrep@14.1.1"), BUMPS (default "unicode-ident serde top"),
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
bumps=${BUMPS:-unicode-ident serde top}
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

# top_crate SRC: prints a crate nothing but the workspace's members depends on, compiled for
# this machine, with one version in the lock and a next patch release (SRC's lock is bumped
# to it, as bump does; its "old → new" goes to the file $work/top-bump).
top_crate() {
  local direct used name
  direct=$(cd "$1" && cargo tree -q -e normal --depth 1 --prefix none --workspace | awk 'NF { print $1 }' | sort -u)
  # Names a package from a registry or git (not a member) depends on.
  used=$(awk '
    function flush(  i) { if (source) for (i = 1; i <= n; i++) used[deps[i]] = 1 }
    /^\[\[package\]\]/ { flush(); source = 0; n = 0; inside = 0 }
    /^source = / { source = 1 }
    /^dependencies = \[/ { inside = 1; next }
    inside && /^\]/ { inside = 0 }
    inside { d = $1; gsub(/[",]/, "", d); deps[++n] = d }
    END { flush(); for (u in used) print u }' "$1/Cargo.lock" | sort -u)
  for name in $(comm -23 <(echo "$direct") <(echo "$used")); do
    [ "$(grep -c "^name = \"$name\"$" "$1/Cargo.lock")" = 1 ] || continue
    if bump "$1" "$name" >"$work/top-bump" 2>/dev/null; then
      echo "$name"
      return
    fi
  done
  echo "bench: no crate of $1 that only the members use has a next patch release" >&2
  return 1
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
  row "| $project | cold | $only_cold | $per_cold ($per_count derivations) | $(ratio "$per_cold" "$only_cold") |"
  if ! $smoke; then
    for crate in $bumps; do
      bumped=$(variant "$src" "bump-$crate")
      if [ "$crate" = top ]; then
        crate=$(top_crate "$bumped")
        what="$(cat "$work/top-bump") (nothing else uses it)"
      else
        what=$(bump "$bumped" "$crate")
      fi
      forget "$bumped" "$src"
      echo "bench: $project: $what" >&2
      only="not measured (1 derivation, compiling every dependency)" vs=–
      if $bump_deps_only; then
        read -r only_count only_time < <(build "$bumped" depsOnly)
        only="$only_time ($only_count derivations)"
        bars+=("$project, bump $crate: buildDepsOnly=$only_time")
      fi
      read -r count time < <(build "$bumped" perCrate)
      if $bump_deps_only; then vs=$(ratio "$time" "$only_time"); fi
      row "| $project | bump $what | $only | $time ($count derivations) | $vs |"
      bars+=("$project, bump $crate: per crate=$time")
    done
  fi
  if $edit; then
    # The package on either output, then again after an edit of the crate's root: the final
    # step alone.
    edited=$(variant "$src" edited)
    echo "// edited by bench/per-crate.sh" >>"$edited/$(crate_root "$edited")"
    forget "$edited" "$src"
    read -r _ _ < <(build "$src" packageDepsOnly)
    read -r _ _ < <(build "$src" package)
    read -r only_count only_time < <(build "$edited" packageDepsOnly)
    read -r count time < <(build "$edited" package)
    row "| $project | source edit (buildPackage) | $only_time ($only_count derivations) | $time ($count derivations) | $(ratio "$time" "$only_time") |"
  fi
done

charts=${CHART_DIR:-$work}
mkdir -p "$charts"
chart=${CHART_NAME:-bench-bumps}.svg
if [ ${#bars[@]} -gt 0 ]; then
  svg_bars "$charts/$chart" "Rebuild after a dependency bump (seconds)" s "${bars[@]}"
fi

{
  echo "## 4. Dependency bumps: buildDepsPerCrate against buildDepsOnly"
  echo
  echo "Written by \`bench/per-crate.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine); one run each (seconds, evaluation included; derivations counted by \`nix-store --realise --dry-run\`). Bumps move a crate to its next patch release in Cargo.lock."
  echo
  echo "| project | step | buildDepsOnly | buildDepsPerCrate | per crate / buildDepsOnly |"
  echo "|---|---|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  if [ ${#bars[@]} -gt 0 ]; then
    echo
    echo "![rebuild after a dependency bump]($chart)"
  fi
} >"$output"
echo "bench: per-crate section written to $output" >&2
