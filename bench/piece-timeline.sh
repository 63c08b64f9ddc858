#!/usr/bin/env bash
# Where the time of a cold buildDepsPerCrate build goes, derivation by derivation. Not a test.
# Through Nix on the offline stand-in (sandbox on), with the store holding nothing of the
# project's dependency builds at the start (its downloads stay). Nix's internal-json log,
# timestamped as it arrives, gives every build's interval and its log lines, which split each
# piece's time into steps:
#   setup     from Nix starting the build to the build phase: sandbox, stdenv's setup
#   prepare   the piece's project written, its closure restored (gantry piece-restore)
#   build     `cargo build`: resolution, fingerprints, compiling the piece's crates
#   check     `cargo check`: the same in check mode (no step without check units)
#   finish    collecting and packing the units, then Nix registering the output
# and the whole build into: the plan (import from derivation, during evaluation), the pieces,
# the final step, how many builds ran at once on average, and the critical path (the longest
# chain of pieces, each waiting for the ones it depends on, by their measured times).
# Writes a markdown section to the output file (default: standard output).
#
# Usage: bench/piece-timeline.sh [--output FILE] [PROJECT@VERSION]   (default cargo-deny@0.18.9)
# Environment: BENCH_DIR (default /tmp/gantry-bench-timeline)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
output=/dev/stdout
project=cargo-deny@0.18.9
# The arguments stay in "$@": ci/setup-nix.sh runs this script again in its mount namespace.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[$i]} in
  --output) output=${args[++i]} ;;
  *@*) project=${args[$i]} ;;
  *)
    echo "usage: $0 [--output FILE] [PROJECT@VERSION]" >&2
    exit 2
    ;;
  esac
done
work=${BENCH_DIR:-/tmp/gantry-bench-timeline}
mkdir -p "$work"
# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home

src=$(fetch "${project%@*}" "${project#*@}")
forget "$src"
nix-build --no-out-link --quiet -E "$(project_builds "$src")" -A vendor >/dev/null

# The plan is built while evaluating (import from derivation): timed on its own.
start=$(now)
drv=$(nix-instantiate --quiet -E "$(project_builds "$src")" -A perCrate 2>"$work/eval.log") ||
  { cat "$work/eval.log" >&2; exit 1; }
evaluation=$(since "$start")
start=$(now)
nix-store --realise --log-format internal-json -v "$drv" 2>&1 >/dev/null |
  perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.3f %s", time, $_' >"$work/log.json"
wall=$(since "$start")

# Every piece's inputs among the pieces, for the critical path: "piece.drv dep.drv…".
nix-store -qR "$drv" | grep -- '-piece-.*\.drv$' | while read -r piece; do
  echo "$piece $(nix-store -q --references "$piece" | grep -- '-piece-.*\.drv$' | tr '\n' ' ')"
done >"$work/deps.txt"

# One line per build: "drv start stop setup prepare build check finish" (seconds).
perl -ne '
  next unless /^(\S+) \@nix (.*)$/;
  my ($t, $json) = ($1, $2);
  if ($json =~ /"action":"start","fields":\["([^"]+\.drv)".*"id":(\d+),.*"type":105/) {
    $drv{$2} = $1; $start{$2} = $t;
  } elsif ($json =~ /"action":"result".*"fields":\["(.*)"\],"id":(\d+),"type":101/) {
    my ($line, $id) = ($1, $2);
    $mark{$id}{build} //= $t if $line =~ /Running phase: buildPhase/;
    $mark{$id}{cargo} //= $t if $line =~ /^\+ cargo build /;
    $mark{$id}{check} //= $t if $line =~ /^\+ cargo check /;
    $mark{$id}{install} //= $t if $line =~ /Running phase: installPhase/;
  } elsif ($json =~ /"action":"stop","id":(\d+)/ && exists $drv{$1}) {
    my $id = $1; my %m = %{ $mark{$id} // {} };
    my $s = $start{$id};
    my $b = $m{build} // $s; my $c = $m{cargo} // $b; my $k = $m{check} // $m{install} // $c;
    my $i = $m{install} // $t;
    printf "%s %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n", $drv{$id}, $s, $t,
      $b - $s, $c - $b, $k - $c, $i - $k, $t - $i;
  }' "$work/log.json" >"$work/builds.txt"

perl -e '
  my ($deps_file, $builds_file, $wall, $evaluation) = @ARGV;
  open my $builds, "<", $builds_file or die; my (%build, @all);
  while (<$builds>) { my @f = split; $build{$f[0]} = [@f[1..7]]; push @all, [@f]; }
  my ($first) = sort { $a <=> $b } map { $_->[1] } @all;
  my ($busy, $n, %sum, @durations) = (0, 0);
  my @steps = qw(setup prepare build check finish);
  for my $f (@all) {
    my $d = $f->[2] - $f->[1]; $busy += $d;
    next unless $f->[0] =~ /-piece-/;
    $n++; push @durations, $d;
    $sum{$steps[$_]} += $f->[3 + $_] for 0..4;
  }
  my ($final) = grep { $_->[0] =~ /-deps-[^\/]*\.drv$/ && $_->[0] !~ /-piece-/ } @all;
  @durations = sort { $a <=> $b } @durations;
  open my $d, "<", $deps_file or die; my %deps;
  while (<$d>) { my ($p, @ds) = split; $deps{$p} = \@ds; }
  my %path;
  my $longest; $longest = sub {
    my $p = shift; return $path{$p} if exists $path{$p};
    my ($best, $chain) = (0, 0);
    for my $q (@{ $deps{$p} // [] }) { my ($t, $c) = @{ $longest->($q) }; ($best, $chain) = ($t, $c) if $t > $best; }
    my $own = exists $build{$p} ? $build{$p}[1] - $build{$p}[0] : 0;
    return $path{$p} = [$best + $own, $chain + 1];
  };
  my ($critical, $depth) = (0, 0);
  for my $p (keys %deps) { my ($t, $c) = @{ $longest->($p) }; ($critical, $depth) = ($t, $c) if $t > $critical; }
  printf "| pieces built | %d |\n", $n;
  printf "| wall time of the build (after evaluation) | %.1f s |\n", $wall;
  printf "| evaluation, with the plan built (IFD) | %.1f s |\n", $evaluation;
  printf "| builds running at once, on average | %.2f |\n", $busy / $wall;
  printf "| a piece, median (fastest–slowest) | %.2f s (%.2f–%.2f) |\n", $durations[int($#durations / 2)], $durations[0], $durations[-1];
  printf "| pieces, summed | %.1f s |\n", eval { my $s = 0; $s += $_ for @durations; $s };
  printf "| … of which %s | %.1f s |\n", $_, $sum{$_} for @steps;
  printf "| critical path: %d pieces in a chain | %.1f s |\n", $depth, $critical;
  printf "| final step (buildDepsOnly over the pieces) | %.1f s |\n", $final ? $final->[2] - $final->[1] : 0;
' "$work/deps.txt" "$work/builds.txt" "$wall" "$evaluation" >"$work/table.md"

{
  echo "## Where a cold per-crate build's time goes: $project"
  echo
  echo "Written by \`bench/piece-timeline.sh\` on $(date -u +%Y-%m-%d): $(machine); one cold build of buildDepsPerCrate (its plan, pieces and final step; downloads before), Nix's internal-json log timestamped as it arrives. A piece's steps: setup (sandbox, stdenv's setup), prepare (project, closure restored), build (\`cargo build\`), check (\`cargo check\`), finish (collecting, packing, registering)."
  echo
  echo "| | |"
  echo "|---|---:|"
  cat "$work/table.md"
} >"$output"
echo "bench: timeline section written to $output" >&2
