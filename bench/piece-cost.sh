#!/usr/bin/env bash
# The fixed cost of one buildDepsPerCrate piece: where the time of a piece whose compile is
# trivial (a leaf crate with no dependency and no build script) goes, and what a change to the
# piece builder saves. Not a test. Through Nix on the offline stand-in (sandbox on).
#
# Builds the leaf pieces of checks/projects/per-crate (one piece per crate) again and again,
# each time as a new derivation (a nonce among its inputs, so nothing is deleted from the
# store), with gantry's library as it is in this tree ("current") and as it is at a baseline
# revision ("baseline"), interleaved in the same run so that the shared machine's load falls
# on both alike. Every build's log lines are timestamped as they arrive, which splits its time
# into steps:
#   start     from asking Nix to the builder's first line: sandbox, inputs, stdenv's setup
#             (sourcing setup.sh and every input's setup hook) when the builder uses stdenv
#   prepare   the build phase up to cargo: the piece's project, its closure restored
#   cargo     cargo build: resolution and compiling the crate (and the piece's own root)
#   collect   keeping the piece's units and packing them (install phase)
#   fixup     stdenv's fixup phase (strip, patch-shebangs, …), when the builder runs one
#   finish    from the builder's last line to Nix done: registering the output
# The piece of a crate whose compile is trivial (cfg-if, bench/projects/trivial-leaf), built with
# the current library, is the fixed cost itself; cfg-if's own compile time (cargo build and
# check of the project outside Nix, less the same without the dependency) is printed with it.
# Two derivations doing nothing show the floors: `empty`, a bare builder writing its output
# (Nix's own cost), and `stdenv`, stdenv.mkDerivation with only a buildCommand (its start is
# Nix's plus stdenv's setup with stdenv's own inputs).
# Prints a markdown table of medians (seconds) per step and variant, and their ratio.
#
# Usage: bench/piece-cost.sh [--baseline REV] [--rounds N] [--output FILE]
#   --baseline REV   the revision compared against (default: the merge base with main)
#   --rounds N       builds of every leaf piece per variant (default 3)
# Environment: BENCH_DIR (default /tmp/gantry-bench-piece-cost), LEAVES (the crates whose
#   pieces are built; default "itoa shlex unicode-ident find-msvc-tools pkg-config")
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
baseline_rev=
rounds=3
output=/dev/stdout
while [ $# -gt 0 ]; do
  case $1 in
  --baseline)
    baseline_rev=$2
    shift
    ;;
  --rounds)
    rounds=$2
    shift
    ;;
  --output)
    output=$2
    shift
    ;;
  *)
    echo "usage: $0 [--baseline REV] [--rounds N] [--output FILE]" >&2
    exit 2
    ;;
  esac
  shift
done
work=${BENCH_DIR:-/tmp/gantry-bench-piece-cost}
leaves=${LEAVES:-itoa shlex unicode-ident find-msvc-tools pkg-config}
baseline_rev=${baseline_rev:-$(git -C "$repo" merge-base HEAD main)}
mkdir -p "$work"

# The baseline's library, as a plain tree (its helper is built from its own sources).
baseline=$work/baseline-$(git -C "$repo" rev-parse --short "$baseline_rev")
if [ ! -d "$baseline" ]; then
  mkdir -p "$baseline.tmp"
  git -C "$repo" archive "$baseline_rev" | tar -x -C "$baseline.tmp"
  mv "$baseline.tmp" "$baseline"
fi

# expr TREE NONCE: an attribute set of the leaf pieces (by crate name) built with TREE's
# library, and the floors `empty` and `stdenv`; NONCE (a file among their inputs, which
# stdenv sources as a setup hook: a comment) makes them new derivations.
expr() {
  cat <<EOF
let
  pkgs = import $repo/checks/offline-pkgs { };
  gantryLib = import $1/lib { inherit pkgs; };
  nonce = builtins.toFile "bench-nonce" "# $2\n";
  perCrate = gantryLib.buildDepsPerCrate {
    src = $repo/checks/projects/per-crate;
    mergePrivateLeaves = false;
    doCheck = false;
    nativeBuildInputs = [ nonce ];
  };
  byName = builtins.listToAttrs (map (p: { name = p.pname; value = p; }) (builtins.attrValues perCrate.pieces));
  trivial = gantryLib.buildDepsPerCrate {
    src = $repo/bench/projects/trivial-leaf;
    doCheck = false;
    nativeBuildInputs = [ nonce ];
  };
in
builtins.listToAttrs (map (leaf: { name = leaf; value = byName."\${leaf}-piece"; }) [ $(printf '"%s" ' $leaves) ])
// {
  cfg-if = builtins.head (builtins.attrValues trivial.pieces);
  empty = derivation {
    name = "bench-empty";
    system = "x86_64-linux";
    builder = "\${pkgs.bash}/bin/bash";
    args = [ "-c" "echo started; echo > \$out" ];
    inherit nonce;
  };
  stdenv = pkgs.stdenv.mkDerivation {
    name = "bench-stdenv";
    nativeBuildInputs = [ nonce ];
    buildCommand = "echo started; touch \$out; echo done";
  };
}
EOF
}

# timed ATTR TREE NONCE: builds ATTR and prints its steps' seconds as "total start prepare
# cargo collect fixup finish" (a step the log does not show is 0).
timed() {
  local drv log
  drv=$(nix-instantiate --quiet -E "$(expr "$2" "$3")" -A "$1" 2>"$work/eval.log") ||
    { cat "$work/eval.log" >&2; return 1; }
  # Everything the build needs but itself first (the helper, the crate's source, …).
  nix-store --realise $(nix-store -q --references "$drv" | grep '\.drv$' || true) >/dev/null 2>&1 || true
  log=$work/build.log
  start=$(now)
  nix-store --realise "$drv" 2>&1 >/dev/null |
    perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.3f %s", time, $_' >"$log"
  end=$(now)
  awk -v start="$start" -v end="$end" '
    function at(pattern,   i) { for (i = 1; i <= n; i++) if (line[i] ~ pattern) return t[i]; return "" }
    { t[++n] = $1; $1 = ""; line[n] = $0 }
    END {
      # The lines of the builder: after Nix says it is building, before its own notices.
      for (i = 1; i <= n; i++) if (line[i] ~ /building .*\.drv/) break
      b = (i < n) ? t[i + 1] : end
      for (j = n; j > i && line[j] ~ /warning: you did not specify/; j--) { }
      e = (j > i) ? t[j] : b
      build = at("Running phase: buildPhase"); cargo = at("[+] cargo build")
      install = at("Running phase: installPhase"); fixup = at("Running phase: fixupPhase")
      if (build == "") build = b
      if (cargo == "") cargo = build
      if (install == "") install = cargo
      if (fixup == "") fixup = e
      printf "%.3f %.3f %.3f %.3f %.3f %.3f %.3f\n", end - start, b - start, cargo - build,
        install - cargo, fixup - install, e - fixup, end - e
    }' "$log"
}

steps=(total start prepare cargo collect fixup finish)
declare -A values=()
add() { # VARIANT VALUES…
  local variant=$1 i=0
  shift
  for value in "$@"; do
    values[$variant.${steps[$i]}]+=" $value"
    i=$((i + 1))
  done
}

# Warm-up: both libraries' helpers and the crates' sources built, the first builds discarded.
for tree in "$baseline" "$repo"; do
  timed empty "$tree" warm >/dev/null
  timed stdenv "$tree" warm >/dev/null
  for leaf in $leaves; do timed "$leaf" "$tree" warm >/dev/null; done
done
timed cfg-if "$repo" warm >/dev/null
for round in $(seq "$rounds"); do
  nonce=$(date +%s%N)
  echo "bench: round $round of $rounds" >&2
  for floor in empty stdenv cfg-if; do
    read -r -a row < <(timed "$floor" "$repo" "$nonce")
    add "$floor" "${row[@]}"
  done
  for leaf in $leaves; do
    for variant in baseline current; do
      tree=$repo
      [ "$variant" = current ] || tree=$baseline
      read -r -a row < <(timed "$leaf" "$tree" "$nonce $variant")
      add "$variant" "${row[@]}"
    done
  done
done

# cfg-if's compile outside Nix: `cargo build` and `cargo check` (release, the pieces' profile)
# of the project, less the same of the project without its dependency, medians of 5.
compile_time() { # DIR
  local times=() start
  for _ in 1 2 3 4 5; do
    rm -rf "$1/target"
    start=$(now)
    (cd "$1" && cargo build -q --release --offline && cargo check -q --release --offline)
    times+=("$(since "$start")")
  done
  median "${times[@]}"
}
outside=$work/outside
rm -rf "$outside" && mkdir -p "$outside" && cp -r "$repo/bench/projects/trivial-leaf" "$outside/with"
chmod -R u+w "$outside" && cp -r "$outside/with" "$outside/without"
sed -i '/^cfg-if/d' "$outside/without/Cargo.toml" && echo >"$outside/without/src/lib.rs" && rm "$outside/without/Cargo.lock"
(cd "$outside/with" && cargo fetch -q)
with=$(compile_time "$outside/with") without=$(compile_time "$outside/without")
cfg_if_compile=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a - b }')

{
  echo "## The fixed cost of a piece"
  echo
  echo "Written by \`bench/piece-cost.sh\` on $(date -u +%Y-%m-%d): $(machine); the leaf pieces ($leaves) of checks/projects/per-crate, $rounds round(s), each piece built with the baseline ($(git -C "$repo" rev-parse --short "$baseline_rev")) and the current library in turn; medians in seconds, spread in parentheses. \`empty\` and \`stdenv\` are the floors: a bare builder writing its output, and stdenv.mkDerivation with only a buildCommand."
  echo
  echo
  echo "\`cfg-if\` is the piece of a crate whose compile is trivial, with the current library: its total is the fixed cost of a piece. cfg-if's own compile (\`cargo build\` and \`cargo check\`, release, outside Nix) takes $cfg_if_compile s ($with s for its project, $without s without the dependency, medians of 5)."
  echo
  echo "| step | empty | stdenv | cfg-if | baseline | current | current / baseline |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for step in "${steps[@]}"; do
    # shellcheck disable=SC2086
    b=$(median ${values[baseline.$step]}) c=$(median ${values[current.$step]})
    # shellcheck disable=SC2086
    e=$(median ${values[empty.$step]}) s=$(median ${values[stdenv.$step]}) t=$(median ${values[cfg-if.$step]})
    r=$(awk -v b="$b" -v c="$c" 'BEGIN { if (b > 0) printf "%.2f", c / b; else print "–" }')
    # shellcheck disable=SC2086
    echo "| $step | $e | $s | $t ($(spread ${values[cfg-if.$step]})) | $b ($(spread ${values[baseline.$step]})) | $c ($(spread ${values[current.$step]})) | $r |"
  done
} >"$output"
echo "bench: piece-cost section written to $output" >&2
