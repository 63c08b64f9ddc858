#!/usr/bin/env bash
# An example flake (examples/NAME, default quick-start) as its user runs it, offline: its
# package built with `nix build`, its app run with `nix run`, then `nix flake check` (its
# package, clippy, fmt, tests, docs, audit, deny, dev shell). nixpkgs is the offline stand-in,
# gantry this checkout, the advisory database a local fixture, rust-overlay the stand-in's
# (the flake's own inputs point at GitHub, which this machine cannot reach). Sets Nix up
# first if needed (ci/setup-nix.sh).
# Usage: bash ci/example.sh [NAME]   (NAME: a directory of examples/)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=setup-nix.sh
. "$root/ci/setup-nix.sh"

name=${1:-quick-start}
dir=$root/examples/$name
[ -f "$dir/flake.nix" ] || { echo "example.sh: no examples/$name/flake.nix (examples: $(ls "$root/examples" | tr '\n' ' '))" >&2; exit 2; }
inputs=(--override-input nixpkgs "path:$root/checks/offline-pkgs" --override-input gantry "git+file://$root" --no-write-lock-file)
if grep -q 'advisory-db' "$dir/flake.nix"; then
  inputs+=(--override-input advisory-db "path:$root/checks/fixtures/advisory-db-clean")
fi
if grep -q 'rust-overlay' "$dir/flake.nix"; then
  inputs+=(--override-input rust-overlay "path:$root/checks/offline-pkgs/rust-overlay")
fi

echo "== nix build examples/$name" >&2
out=$(nix build --no-link --print-out-paths "path:$dir" "${inputs[@]}" 2>&1 | tail -1)
echo "   $out" >&2
if nix eval "path:$dir#apps.x86_64-linux.default" "${inputs[@]}" >/dev/null 2>&1; then
  echo "== nix run examples/$name" >&2
  nix run "path:$dir" "${inputs[@]}" 2>/dev/null
fi
echo "== nix flake check examples/$name" >&2
nix flake check -L "path:$dir" "${inputs[@]}" 2>"$root/target/example-$name.log" ||
  { tail -30 "$root/target/example-$name.log" >&2; echo "example.sh: nix flake check failed (log: target/example-$name.log)" >&2; exit 1; }
echo "examples/$name: built, ran and checked" >&2
