#!/usr/bin/env bash
# Per-crate pieces shared through a Nix binary cache (issue 18, "Beyond one machine"), with
# Nix's own machinery only: `nix copy` to a signed file:// cache, empty stores that
# substitute from it. Not a test. Through Nix on the offline stand-in, sandbox on:
#   1. FIRST (ripgrep) built per crate (buildDepsPerCrate) in the main store, for its
#      Cargo.lock and for the lock with BUMP moved to its next patch release.
#   2. Bytes a cache holds for the two lock versions: gantry's outputs of the per-crate build
#      (pieces, their assembly, the final step) against buildDepsOnly's archive, each kind
#      pushed into a cache of its own, the first lock then the second; the paths they refer
#      to (toolchain, sources) counted apart.
#   3. A cache holding every output FIRST's per-crate build used or made (what a CI cache in
#      front of a binary cache of nixpkgs serves: toolchain, stdenv, helper, sources, pieces),
#      signed with a throwaway key made by `nix key generate-secret`. Then, each in a new,
#      empty chroot store under BENCH_DIR with that cache as its only substituter: FIRST
#      with the bumped lock (fails if no piece comes from the cache), and SECOND (hexyl);
#      each built per crate, its binary run; pieces fetched against pieces built, by name.
# Writes a markdown report to the output file (default: standard output).
#
# Usage: bench/binary-cache.sh [--smoke] [--output FILE]
#   --smoke   no bytes measure and no SECOND: the bumped lock from the cache only
# Environment: BENCH_DIR (default /tmp/gantry-bench-binary-cache; everything written goes
#   there, the main store aside; the caches and stores are deleted when the run succeeds), FIRST (default ripgrep@14.1.1), SECOND (hexyl@0.16.0),
#   BUMP (itoa), COMPRESSION (the caches' NAR compression, default zstd).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args /dev/stdout "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-binary-cache}
first=${FIRST:-ripgrep@14.1.1}
second=${SECOND:-hexyl@0.16.0}
bump_crate=${BUMP:-itoa}
compression=${COMPRESSION:-zstd}

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home
mkdir -p "$work"

# drv SRC ATTR [NIX OPTIONS…]: the derivation of ATTR of ci/demo.nix for SRC (deps: on
# buildDepsOnly; perCrate: buildDepsPerCrate, whose plan evaluation builds (IFD);
# perCratePackage: buildPackage on it, with requireFreshDependencies).
drv() {
  local src=$1 attr=$2
  shift 2
  nix-instantiate --quiet "$@" "$repo/ci/demo.nix" --arg root "$repo" --arg src "$src" -A "$attr" 2>"$work/eval.log" ||
    { tail -30 "$work/eval.log" >&2; return 1; }
}

# realise [NIX OPTIONS…] DRV…: builds, the log in $work/build.log; prints the outputs.
realise() {
  nix-store --realise "$@" 2>"$work/build.log" || { tail -30 "$work/build.log" >&2; return 1; }
}

# gantry_outputs DRV: the outputs of gantry's derivations in DRV's build closure: the pieces,
# their assembly and the final step (the plan is built at evaluation: IFD).
gantry_outputs() {
  nix-store -qR "$1" | grep -E -- '-(piece-[^/]*|pieces|deps-0\.0\.0)\.drv$' |
    xargs -r nix-store -q --outputs | sort -u
}

# push CACHE PATH…: copies the paths' closures into the file:// cache CACHE, signed.
push() {
  local cache=$1
  shift
  nix copy --to "file://$cache?compression=$compression&secret-key=$work/key.sec" "$@"
}

# cache_size CACHE: "<compressed bytes> <NAR bytes> <store paths>" of what CACHE holds.
cache_size() {
  cat "$1"/*.narinfo 2>/dev/null |
    awk '/^FileSize:/ { f += $2 } /^NarSize:/ { n += $2; c++ } END { printf "%d %d %d\n", f, n, c }'
}

# names LIST: store paths or derivations as "<name>" (hash and .drv dropped), one a line.
names() { if [ -n "$1" ]; then sed 's|.*/[a-z0-9]\{32\}-||; s|\.drv$||' <<<"$1" | sort; fi; }
# pieces LIST: the piece names of LIST as "crate version …" on one line.
pieces() { names "$1" | { grep -- '-piece-' || true; } | sed 's/-piece-/ /' | paste -sd, - | sed 's/,/, /g'; }

# narinfo_sizes CACHE HASHES…: "<compressed bytes> <NAR bytes>" of those store paths in CACHE.
narinfo_sizes() {
  local cache=$1
  shift
  for h in "$@"; do cat "$cache/$h.narinfo"; done |
    awk '/^FileSize:/ { f += $2 } /^NarSize:/ { n += $2 } END { printf "%d %d\n", f, n }'
}

# push_measured KIND LABEL CACHE PATH…: pushes the paths (and their closures) to CACHE and
# adds a row: store paths added, MiB of the given paths among them (gantry's outputs) and
# MiB of the rest (what they refer to), compressed.
push_measured() {
  local kind=$1 label=$2 cache=$3 start took added own=() refs=() h p
  shift 3
  local had=" $(ls "$cache" 2>/dev/null | sed -n 's/\.narinfo$//p' | tr '\n' ' ')"
  start=$(now)
  push "$cache" "$@"
  took=$(since "$start")
  added=$(ls "$cache" | sed -n 's/\.narinfo$//p')
  for h in $added; do
    [[ $had == *" $h "* ]] && continue
    p=$(sed -n 's|^StorePath: ||p' "$cache/$h.narinfo")
    if [[ " $* " == *" $p "* ]]; then own+=("$h"); else refs+=("$h"); fi
  done
  read -r own_file own_nar < <(narinfo_sizes "$cache" "${own[@]}")
  read -r refs_file _ < <(narinfo_sizes "$cache" "${refs[@]}")
  read -r all_file _ _ < <(cache_size "$cache")
  rows+=("| $kind | $label | ${#own[@]} | $(mib "$own_file") ($(mib "$own_nar") NAR) | ${#refs[@]} | $(mib "$refs_file") | $(mib "$all_file") | $took |")
}

rm -rf "$work/caches" "$work"/store-*
mkdir -p "$work/caches"
nix key generate-secret --key-name gantry-bench-cache-1 >"$work/key.sec"
nix key convert-secret-to-public <"$work/key.sec" >"$work/key.pub"

name=${first%@*} version=${first#*@}
src=$(fetch "$name" "$version")
bumped=$(variant "$src" "bump-$bump_crate")
what=$(bump "$bumped" "$bump_crate")
rows=()
echo "bench: $first: building per crate, before and after $what" >&2
first_drv=$(drv "$src" perCrate)
bumped_drv=$(drv "$bumped" perCrate)
realise "$first_drv" "$bumped_drv" >/dev/null

if ! $smoke; then
  echo "bench: $first: bytes in a cache for both locks" >&2
  only_drv=$(drv "$src" deps)
  only_bumped_drv=$(drv "$bumped" deps)
  realise "$only_drv" "$only_bumped_drv" >/dev/null
  # shellcheck disable=SC2046
  push_measured buildDepsPerCrate "$first's Cargo.lock" "$work/caches/per" $(gantry_outputs "$first_drv")
  # shellcheck disable=SC2046
  push_measured buildDepsPerCrate "then $what" "$work/caches/per" $(gantry_outputs "$bumped_drv")
  # shellcheck disable=SC2046
  push_measured buildDepsOnly "$first's Cargo.lock" "$work/caches/only" $(nix-store -q --outputs "$only_drv")
  # shellcheck disable=SC2046
  push_measured buildDepsOnly "then $what" "$work/caches/only" $(nix-store -q --outputs "$only_bumped_drv")
fi

echo "bench: $first: pushing its per-crate build closure to the shared cache" >&2
shared=$work/caches/shared
start=$(now)
# Every output the build used or made, as far as it is in the store (outputs of derivations
# substituted or never built are not).
# shellcheck disable=SC2046
push "$shared" $(nix-store -qR --include-outputs "$first_drv" | grep -v '\.drv$' |
  while read -r p; do if [ -e "$p" ]; then echo "$p"; fi; done)
push_time=$(since "$start")
read -r shared_file _ shared_count < <(cache_size "$shared")

# from_cache LABEL SRC: builds SRC's buildPackage on buildDepsPerCrate in a new, empty chroot
# store whose only substituter is the shared cache; adds a row of pieces fetched and built.
cases=()
from_cache() {
  local label=$1 src=$2 store opts derivation dry to_build to_fetch start eval_time build_time out fresh binary runs planned
  store=$work/store-${#cases[@]}
  opts=(--store "local?root=$store" --option substituters "file://$shared"
    --option trusted-public-keys "$(cat "$work/key.pub")")
  echo "bench: $label in an empty store substituting from the shared cache only" >&2
  start=$(now)
  derivation=$(drv "$src" perCratePackage "${opts[@]}")
  eval_time=$(since "$start")
  dry=$(nix-store "${opts[@]}" --realise --dry-run "$derivation" 2>&1)
  to_build=$(sed -n '/will be built:$/,/will be fetched/p' <<<"$dry" | grep '\.drv$' || true)
  to_fetch=$(sed -n '/will be fetched/,$p' <<<"$dry" | grep '^ */nix/store/' || true)
  planned=$(nix-store "${opts[@]}" -qR "$derivation" | grep -c -- '-piece-[^/]*\.drv$')
  start=$(now)
  out=$(realise "${opts[@]}" "$derivation")
  build_time=$(since "$start")
  fresh=$(grep -h 'gantry: freshness:' "$work/build.log" | tail -1 || true)
  binary=$(find "$store$out/bin" -type f | head -1)
  runs=$("$binary" --version | head -1)
  cases+=("| $label | $planned | $(names "$to_fetch" | grep -c -- '-piece-' || true) | $(names "$to_build" | grep -c -- '-piece-' || true) ($(pieces "$to_build")) | $(names "$to_build" | grep -cv -- '-piece-' || true) | $eval_time | $build_time | \`$runs\`; ${fresh#*gantry: freshness: } |")
  # The cache must serve the pieces a lock change leaves alone.
  if [ "$src" = "$bumped" ] && ! names "$to_fetch" | grep -q -- '-piece-'; then
    echo "bench: error: $label fetched no piece from the cache" >&2
    return 1
  fi
}
from_cache "$first, then $what" "$bumped"
if ! $smoke; then
  name2=${second%@*} version2=${second#*@}
  from_cache "$second" "$(fetch "$name2" "$version2")"
fi

{
  echo "## Per-crate pieces through a binary cache"
  echo
  echo "Written by \`bench/binary-cache.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine); $(nix --version); caches are file:// binary caches (NARs compressed with $compression, signed with a throwaway key made by \`nix key generate-secret\`)."
  if [ ${#rows[@]} -gt 0 ]; then
    echo
    echo "### Bytes in a cache for two Cargo.lock versions of $first"
    echo
    echo "Each kind pushed (\`nix copy --to file://…\`) into a cache of its own, the first lock's build, then the second's. Per crate, gantry's outputs are the pieces, their assembly and the final step; for buildDepsOnly its output. The paths they refer to (the toolchain, the crates' sources) go with them."
    echo
    echo "| dependency build | lock | gantry's outputs added | their MiB (compressed) | other paths added | their MiB | MiB in the cache | push seconds |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
  fi
  echo
  echo "### Building from a cache filled by $first's per-crate build"
  echo
  echo "The shared cache holds every output $first's per-crate build used or made (toolchain, stdenv, helper, sources, pieces): $shared_count store paths, $(mib "$shared_file") MiB compressed, pushed in $push_time s. Each row: a new, empty store (\`--store local?root=…\`, sandbox on) with that cache as its only substituter; buildPackage on buildDepsPerCrate evaluated (the plan built by IFD, its inputs fetched) and built."
  echo
  echo "| project | pieces in its plan | pieces fetched | pieces built | other derivations built | evaluation s | build s | binary; final build's freshness |"
  echo "|---|---:|---:|---|---:|---:|---:|---|"
  printf '%s\n' "${cases[@]}"
} >"$output"
# The stores and caches (about 2 GB) are made anew by every run; a failed run keeps them.
rm -rf "$work/caches" "$work"/store-*
echo "bench: binary-cache report written to $output" >&2
