#!/usr/bin/env bash
# A Nix older than gantry supports (Debian bookworm's 2.8, installed privately by
# ci/install-nix.sh) evaluating gantry must stop with one line naming the version needed.
# Evaluation only, against a dummy store: nothing is built and /nix is never used.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=$(GANTRY_NIX_SUITE=bookworm bash "$root/ci/install-nix.sh")
old_nix() {
  NIX_CONF_DIR=$prefix/etc/nix NIX_USER_CONF_FILES=$prefix/etc/nix/nix.conf NIX_CONFIG= \
    "$prefix/bin/nix-instantiate" --store dummy:// --eval "$@"
}
version=$(old_nix -E builtins.nixVersion | tr -d '"')
expected="gantry needs Nix 2.18 or newer, and this is Nix $version"
for entry in default.nix "flake.nix's mkLib"; do
  case $entry in
    default.nix) expr="(import $root/default.nix { pkgs = { }; }).buildPackage" ;;
    *) expr="((import $root/flake.nix).outputs { self = { }; }).mkLib { }" ;;
  esac
  if out=$(old_nix -E "$expr" 2>&1); then
    echo "FAIL too-old-nix ($entry): Nix $version evaluated gantry" >&2
    exit 1
  fi
  first=$(grep -m1 '^error' <<<"$out" || true)
  if [[ $first != *"$expected"* ]]; then
    printf 'FAIL too-old-nix (%s): expected "%s", got:\n%s\n' "$entry" "$expected" "$out" >&2
    exit 1
  fi
  echo "PASS too-old-nix ($entry): $first"
done
