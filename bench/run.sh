#!/usr/bin/env bash
# gantry's benchmark: real projects from crates.io (their .crate archives ship Cargo.lock),
# built by gantry through Nix (offline stand-in) and by plain cargo in the same run, and
# written to docs/benchmarks.md as tables of medians, spreads and ratios. Not a test: it fails
# only when a command fails. Measures, per project:
#   1. cold build: buildDepsOnly + buildPackage vs `cargo build --release --locked`, with
#      crane's default deps build (cargo check, then cargo build) and with the build alone
#      (`cargoCheckCommand = "true"`, the same work as cargo build)
#   2. rebuild after editing one source file (both non-incremental release), and how many
#      dependency units gantry recompiled (from its freshness report)
#   3. a version bump of the package: whether the deps derivation stays the same
#   5. pack/unpack of the deps' target dir: gantry vs tar|zstd -T0 and zstd -d|tar -x
#      (crane's method), time (medians of 5), size and the helper's peak memory
#   6. evaluation: nix-instantiate time and derivation count of buildPackage
#   4. dependency bumps (a leaf, and serde) and a source edit with buildDepsPerCrate against
#      buildDepsOnly: bench/per-crate.sh, whose section is included
#   7. cross compilation: bench/cross.sh's section, included from its last results
#      (CROSS_MD, default bench/results/cross.md; not run again here)
#
# Usage: bench/run.sh [--smoke] [--output FILE]
#   --smoke    the smallest project once (CI runs this so the script keeps working)
# Environment: BENCH_DIR (default /tmp/gantry-bench-run), REPEAT (default 3),
#   PROJECTS (default "hexyl@0.16.0 ripgrep@14.1.1"), PER_CRATE_MD (measure 4's section from
#   this file instead of running bench/per-crate.sh: for a project whose runs take long).
#   Charts go next to the output, named after it (benchmarks.md: benchmarks-cold.svg, …).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args "$repo/docs/benchmarks.md" "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-run}
repeat=${REPEAT:-3}
# Packing and unpacking take a fraction of a second: more runs for a steadier median.
pack_repeat=5
default_projects="hexyl@0.16.0 ripgrep@14.1.1"
projects=${PROJECTS:-$default_projects}
if $smoke; then
  repeat=1
  pack_repeat=1
  projects=${projects%% *}
fi

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home CARGO_INCREMENTAL=0
mkdir -p "$work"

# peak RSS in MiB and wall seconds of a command: "<seconds> <MiB>"
measure() {
  local start
  # Earlier writes still being flushed would slow whatever runs next.
  sync
  start=$(now)
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/measure.err" ||
    { cat "$work/measure.err" >&2; return 1; }
  echo "$(since "$start") $(awk '{ printf "%.1f", $1 / 1024 }' "$work/rss")"
}

# The Nix expression for a source tree: its deps and the package on them. An edited tree has
# the same deps derivation as the pristine one (the dummy source sees only manifests).
expr() {
  cat <<EOF
let
  pkgs = import $repo/checks/offline-pkgs { };
  gantryLib = import $repo/lib { inherit pkgs; };
  deps = gantryLib.buildDepsOnly { src = $1; doCheck = false; };
  depsBuildOnly = gantryLib.buildDepsOnly { src = $1; doCheck = false; cargoCheckCommand = "true"; };
in
{
  inherit deps depsBuildOnly;
  package = gantryLib.buildPackage { src = $1; cargoArtifacts = deps; doCheck = false; };
  packageBuildOnly = gantryLib.buildPackage { src = $1; cargoArtifacts = depsBuildOnly; doCheck = false; };
}
EOF
}
drv() { nix-instantiate --quiet -E "$(expr "$1")" -A "$2" 2>/dev/null; }
forget() { nix-store --delete $(nix-store -q --outputs "$@") >/dev/null 2>&1 || true; }
# Seconds nix-build takes for the derivation $1, its log in $work/$2.
build_time() {
  local start
  start=$(now)
  nix-build --no-out-link "$1" >/dev/null 2>"$work/$2" || { tail -n 20 "$work/$2" >&2; return 1; }
  since "$start"
}

rows_build=() rows_edit=() rows_bump=() rows_pack=() rows_eval=() bars_cold=() bars_edit=()
charts=$(dirname "$output")
chart_name=$(basename "$output" .md)
mkdir -p "$charts"
for project in $projects; do
  name=${project%@*}
  version=${project#*@}
  src=$(fetch "$name" "$version")
  (cd "$src" && cargo fetch --locked -q)
  # The edit: a comment appended to the crate root.
  root=$(crate_root "$src")
  edited=$(variant "$src" edited)
  echo "// edited by bench/run.sh" >>"$edited/$root"
  bumped=$(variant "$src" bumped)
  sed -i "0,/^version = \"$version\"/s//version = \"$version-bumped\"/" "$bumped/Cargo.toml"
  (cd "$bumped" && cargo update -q --offline -p "$name" 2>/dev/null || cargo generate-lockfile -q --offline)

  cargo_cold=() cargo_edit=() nix_deps=() nix_final=() nix_edit=() edit_deps=() only_deps=() only_final=()
  for _ in $(seq "$repeat"); do
    echo "bench: $project: plain cargo" >&2
    rm -rf "$work/target"
    start=$(now)
    (cd "$src" && CARGO_TARGET_DIR=$work/target cargo build -q --release --locked --offline)
    cargo_cold+=("$(since "$start")")
    # cargo's view of an edit: the crate root is newer than its last build.
    touch "$src/$root"
    start=$(now)
    (cd "$src" && CARGO_TARGET_DIR=$work/target cargo build -q --release --locked --offline)
    cargo_edit+=("$(since "$start")")

    echo "bench: $project: gantry" >&2
    deps=$(drv "$src" deps)
    pkg=$(drv "$src" package)
    edit=$(drv "$edited" package)
    [ "$(drv "$edited" deps)" = "$deps" ] || echo "bench: $project: the edit changed the deps derivation" >&2
    forget "$edit" "$pkg" "$deps"
    nix_deps+=("$(build_time "$deps" deps.log)")
    nix_final+=("$(build_time "$pkg" final.log)")
    nix_edit+=("$(build_time "$edit" edit.log)")
    edit_deps+=("$(sed -n 's/.*gantry: freshness: .*(\([0-9]*\) dependency units compiled).*/\1/p' "$work/edit.log" | head -1)")

    echo "bench: $project: gantry, deps build without the check pass" >&2
    only=$(drv "$src" depsBuildOnly)
    only_pkg=$(drv "$src" packageBuildOnly)
    forget "$only_pkg" "$only"
    only_deps+=("$(build_time "$only" deps.log)")
    only_final+=("$(build_time "$only_pkg" final.log)")
  done
  cold_total=$(sum "$(median "${nix_deps[@]}")" "$(median "${nix_final[@]}")")
  only_total=$(sum "$(median "${only_deps[@]}")" "$(median "${only_final[@]}")")
  rows_build+=("| $project | $(median "${cargo_cold[@]}") ($(spread "${cargo_cold[@]}")) | $(median "${nix_deps[@]}") ($(spread "${nix_deps[@]}")) | $(median "${nix_final[@]}") ($(spread "${nix_final[@]}")) | $cold_total | $(ratio "$cold_total" "$(median "${cargo_cold[@]}")") | $(median "${only_deps[@]}") ($(spread "${only_deps[@]}")) | $(median "${only_final[@]}") | $only_total | $(ratio "$only_total" "$(median "${cargo_cold[@]}")") |")
  bars_cold+=("$project: cargo build=$(median "${cargo_cold[@]}")" "$project: gantry=$cold_total" "$project: gantry, no check pass=$only_total")
  bars_edit+=("$project: cargo=$(median "${cargo_edit[@]}")" "$project: gantry=$(median "${nix_edit[@]}")")
  rows_edit+=("| $project | $(median "${cargo_edit[@]}") ($(spread "${cargo_edit[@]}")) | $(median "${nix_edit[@]}") ($(spread "${nix_edit[@]}")) | $(ratio "$(median "${nix_edit[@]}")" "$(median "${cargo_edit[@]}")") | $(median "${edit_deps[@]}") |")

  # 3. A version bump: the same deps derivation means nothing of it is rebuilt.
  bumped_deps=$(drv "$bumped" deps)
  if [ "$bumped_deps" = "$deps" ]; then same="yes (0 dependency units rebuilt)"; else same="no (all rebuilt)"; fi
  rows_bump+=("| $project | $name $version → $version-bumped | $same |")

  # 5. Pack and unpack the deps' artifacts: gantry's helper against crane's tar | zstd.
  helper=$(nix-build --quiet --no-out-link -E "(import $repo/lib { pkgs = import $repo/checks/offline-pkgs { }; }).gantry-helper")/bin/gantry
  depsOut=$(nix-store -q --outputs "$deps")
  # The deps' target dir, then each tool's own archive of it, packed and unpacked
  # $pack_repeat times.
  rm -rf "$work/unpacked"
  "$helper" unpack "$depsOut" "$work/unpacked"
  packs=() tars=() unpacks=() untars=() pack_rss=() unpack_rss=()
  for _ in $(seq "$pack_repeat"); do
    rm -rf "$work/layer" "$work/tar.tar.zst" "$work/untar" "$work/relayer"
    read -r seconds mib < <(measure "$helper" pack "$work/unpacked" "$work/layer")
    packs+=("$seconds") pack_rss+=("$mib")
    read -r seconds mib < <(measure "$helper" unpack "$work/layer" "$work/relayer")
    unpacks+=("$seconds") unpack_rss+=("$mib")
    read -r seconds _ < <(measure bash -c "tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -c -C '$work/unpacked' . | zstd -T0 -q -o '$work/tar.tar.zst'")
    tars+=("$seconds")
    mkdir -p "$work/untar"
    read -r seconds _ < <(measure bash -c "zstd -d -q -c '$work/tar.tar.zst' | tar -x -C '$work/untar'")
    untars+=("$seconds")
  done
  raw=$(du -sb "$work/unpacked" | cut -f1)
  pack_s=$(median "${packs[@]}") tar_s=$(median "${tars[@]}")
  unpack_s=$(median "${unpacks[@]}") untar_s=$(median "${untars[@]}")
  rows_pack+=("| $project | $(mib "$raw") | $pack_s ($(spread "${packs[@]}")) / $tar_s ($(spread "${tars[@]}")) | $(ratio "$tar_s" "$pack_s")× | $unpack_s ($(spread "${unpacks[@]}")) / $untar_s ($(spread "${untars[@]}")) | $(ratio "$untar_s" "$unpack_s")× | $(mib "$(stat -c %s "$work/layer/target.tar.zst")") / $(mib "$(stat -c %s "$work/tar.tar.zst")") | $(median "${pack_rss[@]}") / $(median "${unpack_rss[@]}") |")

  # 6. Evaluation.
  start=$(now)
  nix-instantiate --quiet -E "$(expr "$src")" -A package >/dev/null 2>&1
  eval_s=$(since "$start")
  rows_eval+=("| $project | $(grep -c '^\[\[package\]\]' "$src/Cargo.lock") | $eval_s | $(nix-store -qR "$pkg" | grep -c '\.drv$') |")
done

# 4. Per-crate pieces, measured by their own script (or taken from an earlier run of it).
per_crate=${PER_CRATE_MD:-$work/per-crate.md}
if [ -z "${PER_CRATE_MD:-}" ]; then
  # shellcheck disable=SC2046
  PROJECTS=$projects CHART_DIR=$charts CHART_NAME=$chart_name-bumps bash "$repo/bench/per-crate.sh" $($smoke && echo --smoke) --output "$per_crate"
fi

svg_bars "$charts/$chart_name-cold.svg" "Cold build (seconds, median)" s "${bars_cold[@]}"
svg_bars "$charts/$chart_name-edit.svg" "Rebuild after editing one file (seconds, median)" s "${bars_edit[@]}"

{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine), $(nix --version); medians of $repeat run(s), spread in parentheses. gantry builds through Nix on the offline stand-in (sandbox on); plain cargo builds the same tree with \`--release --locked\`, non-incremental."
  echo
  if [ "$projects" = "$default_projects" ]; then
    echo "A project of 300+ crates (cargo-deny, C through zstd-sys) is in [benchmarks-large.md](benchmarks-large.md), one run each (its cold builds take minutes): \`PROJECTS=cargo-deny@0.18.9 REPEAT=1 PER_CRATE_MD=bench/results/cargo-deny-per-crate.md bench/run.sh --output docs/benchmarks-large.md\`, measure 4 from \`PROJECTS=cargo-deny@0.18.9 CHART_DIR=docs CHART_NAME=benchmarks-large-bumps bench/per-crate.sh --output bench/results/cargo-deny-per-crate.md\`."
    echo
  fi
  echo "## 1. Cold build (seconds)"
  echo
  echo "gantry with crane's defaults: buildDepsOnly runs \`cargo check\` then \`cargo build\` (the check artifacts serve cargoClippy, cargoDoc, …). Without the check pass (\`cargoCheckCommand = \"true\"\`) it does the same work as \`cargo build\`."
  echo
  echo "| project | cargo build | buildDepsOnly | buildPackage | gantry total | ratio (goal ≤ 1.10) | buildDepsOnly, no check pass | buildPackage | total | ratio (goal ≤ 1.10) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_build[@]}"
  echo
  echo "![cold build]($chart_name-cold.svg)"
  echo
  echo "## 2. Rebuild after editing one source file (seconds)"
  echo
  echo "| project | cargo | gantry (buildPackage on the same deps) | ratio (goal ≤ 1.2) | dependency units recompiled (goal 0) |"
  echo "|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows_edit[@]}"
  echo
  echo "![rebuild after an edit]($chart_name-edit.svg)"
  echo
  echo "## 3. Version bump of the package"
  echo
  echo "| project | bump | same deps derivation |"
  echo "|---|---|---|"
  printf '%s\n' "${rows_bump[@]}"
  echo
  cat "$per_crate"
  echo
  echo "## 5. Artifacts of the dependency build"
  echo
  echo "Each tool packs the deps' target dir into its own archive and unpacks it again: gantry's helper (\`pack\` with its content manifest, \`unpack\` into a fresh directory) against crane's \`tar --sort=name … | zstd -T0\` and \`zstd -d | tar -x\`; medians of $pack_repeat, spread in parentheses."
  echo
  echo "| project | target dir (MiB) | pack s: gantry / tar\\|zstd | pack speed-up (goal ≥ 2×) | unpack s: gantry / zstd\\|tar | unpack speed-up (goal ≥ 2×) | archive MiB: gantry / tar\\|zstd | helper peak RSS MiB: pack / unpack |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_pack[@]}"
  echo
  echo "## 6. Evaluation of buildPackage"
  echo
  echo "| project | lock packages | nix-instantiate (s) | derivations |"
  echo "|---|---:|---:|---:|"
  printf '%s\n' "${rows_eval[@]}"
  if [ -f "${CROSS_MD:-$repo/bench/results/cross.md}" ]; then
    echo
    cat "${CROSS_MD:-$repo/bench/results/cross.md}"
  fi
} >"$output"
echo "bench: wrote $output" >&2
