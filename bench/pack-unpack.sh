#!/usr/bin/env bash
# Benchmark of `gantry pack` / `gantry unpack` against GNU tar piped through
# the zstd CLI, on a real cargo target directory. Not a test: it prints a
# markdown table and fails only if a command fails.
#
# Usage: bench/pack-unpack.sh [--smoke]
#   --smoke     tiny project without dependencies, one run (for CI)
# Environment:
#   BENCH_DIR   cache for the sample project, its target directory and the
#               release build of gantry (default /tmp/gantry-bench)
#   REPEAT      runs per measurement, the median is reported (default 3)
set -euo pipefail

smoke=false
case "${1:-}" in
  --smoke) smoke=true ;;
  "") ;;
  *)
    echo "usage: $0 [--smoke]" >&2
    exit 2
    ;;
esac

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
bench_dir=${BENCH_DIR:-/tmp/gantry-bench}
repeat=${REPEAT:-3}
if $smoke; then
  repeat=1
fi

if ! command -v zstd >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y zstd >&2
  else
    echo "the zstd command is missing (Debian: apt-get install zstd)" >&2
    exit 1
  fi
fi

# GNU time gives peak memory; without it only wall time is reported.
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null; then
  gnu_time=/usr/bin/time
fi

# The sample project: its release target directory is what gets packed.
# About fifty crates from crates.io; the smoke variant has none.
if $smoke; then
  project=$bench_dir/smoke
  dependencies=()
else
  project=$bench_dir/sample
  dependencies=("clap --features derive" "serde --features derive" serde_json regex toml
    rand anyhow itertools)
fi
target=$project/target
# The marker records what was built, so that editing the list rebuilds.
marker="${dependencies[*]}"
if [[ ! -e $project/.built || $(<"$project/.built") != "$marker" ]]; then
  rm -rf "$project"
  mkdir -p "$bench_dir"
  cargo new --quiet --name bench-sample "$project"
  for dependency in "${dependencies[@]}"; do
    # Word splitting is wanted: a crate name and its flags.
    # shellcheck disable=SC2086
    (cd "$project" && cargo add --quiet $dependency)
  done
  echo "building the sample project in $project ..." >&2
  cargo build --quiet --release --manifest-path "$project/Cargo.toml"
  echo "$marker" >"$project/.built"
fi

echo "building gantry ..." >&2
CARGO_TARGET_DIR=$bench_dir/gantry-target \
  cargo build --quiet --release --manifest-path "$repo/Cargo.toml" --bin gantry
gantry=$bench_dir/gantry-target/release/gantry

work=$bench_dir/work
rm -rf "$work"
mkdir -p "$work"

# run_timed LABEL OUTPUT COMMAND: runs COMMAND (a bash snippet) REPEAT
# times, each time after removing OUTPUT, and records the median wall time
# in seconds and peak RSS in MiB as results[LABEL] = "wall rss".
declare -A results
run_timed() {
  local label=$1 output=$2 command=$3
  local walls=() rsss=() wall rss
  for _ in $(seq "$repeat"); do
    rm -rf "$output"
    if [[ -n $gnu_time ]]; then
      "$gnu_time" -f '%e %M' -o "$work/time" bash -c "$command"
      read -r wall rss <"$work/time"
      rsss+=("$(awk -v kib="$rss" 'BEGIN { printf "%.1f", kib / 1024 }')")
    else
      local start
      start=$(now)
      bash -c "$command"
      wall=$(since "$start")
    fi
    walls+=("$wall")
  done
  results[$label]="$(median "${walls[@]}") $(if [[ ${#rsss[@]} -gt 0 ]]; then median "${rsss[@]}"; else echo n/a; fi)"
}


export target gantry work

run_timed "pack gantry" "$work/layer" \
  '"$gantry" pack "$target" "$work/layer"'
run_timed "pack tar" "$work/tar.tar.zst" \
  'tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -c -C "$target" . |
     zstd -T0 -q -o "$work/tar.tar.zst"'

# Both unpack the same archive, gantry's, into a fresh directory.
run_timed "unpack gantry" "$work/dest" \
  '"$gantry" unpack "$work/layer" "$work/dest"'
run_timed "unpack tar" "$work/dest" \
  'mkdir "$work/dest" && zstd -d -q -c "$work/layer/target.tar.zst" | tar -x -C "$work/dest"'

# The round trip must give back the same files.
diff -r --no-dereference "$target" "$work/dest" >/dev/null

files=$(find "$target" | wc -l)
raw=$(du -sb "$target" | cut -f1)

echo
echo "Target directory: $target ($files entries, $(mib "$raw") MiB); median of $repeat run(s); $(nproc) cores."
echo
echo "| operation | tool | wall (s) | peak RSS (MiB) | archive (MiB) |"
echo "|---|---|---:|---:|---:|"
row() {
  local wall rss
  read -r wall rss <<<"${results[$1]}"
  echo "| ${1%% *} | $2 | $wall | $rss | $3 |"
}
row "pack gantry" "gantry pack (+ sha256 manifest)" "$(mib "$(stat -c %s "$work/layer/target.tar.zst")")"
row "pack tar" "tar \| zstd -T0" "$(mib "$(stat -c %s "$work/tar.tar.zst")")"
row "unpack gantry" "gantry unpack" ""
row "unpack tar" "zstd -d \| tar -x" ""
