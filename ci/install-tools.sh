#!/usr/bin/env bash
# Installs the check tools the nixpkgs stand-in offers (cargo-nextest, cargo-audit, cargo-deny,
# cargo-tarpaulin, taplo, cargo-llvm-cov) from crates.io with `cargo install --locked`, each
# at a pinned version into its own directory of a cache kept across runs on this machine:
# $GANTRY_TOOLS_CACHE (default ~/.cache/gantry-tools)/<crate>-<version>/bin. Already installed
# tools are left alone, so after the first run this takes no time. Prints nothing else on
# stdout than `<crate> <version> <dir>` lines, one per tool.
set -euo pipefail

cache=${GANTRY_TOOLS_CACHE:-$HOME/.cache/gantry-tools}
tools=(
  "cargo-nextest 0.9.151"
  "cargo-audit 0.22.2"
  "cargo-deny 0.20.2"
  "cargo-tarpaulin 0.37.5"
  "taplo-cli 0.10.0"
  "cargo-llvm-cov 0.9.1"
)

mkdir -p "$cache"
for tool in "${tools[@]}"; do
  read -r crate version <<<"$tool"
  dir=$cache/$crate-$version
  if [[ ! -f $dir/.installed ]]; then
    echo "install-tools: cargo install --locked $crate $version (once per machine)" >&2
    rm -rf "$dir"
    # One target dir for all tools: their common dependencies compile once.
    CARGO_TARGET_DIR=$cache/target cargo install --quiet --locked --root "$dir" --version "$version" "$crate" >&2
    touch "$dir/.installed"
  fi
  echo "$crate $version $dir"
done
