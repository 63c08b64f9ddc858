#!/usr/bin/env bash
# Installs the check tools the nixpkgs stand-in offers (cargo-audit, cargo-deny,
# cargo-tarpaulin, taplo, cargo-llvm-cov; cargo-nextest comes with the machine, in
# /usr/local/bin) and the wasm tools of its buildTrunkPackage (trunk, wasm-bindgen-cli) from
# crates.io with `cargo install --locked`, each
# at a pinned version into its own directory of a cache kept across runs on this machine:
# $GANTRY_TOOLS_CACHE (default ~/.cache/gantry-tools)/<crate>-<version>/bin; and the rustup
# component llvm-tools that cargo-llvm-cov needs. Already installed tools are left alone, so
# after the first run (about 20 minutes on 2 cores, and about 6 more for the wasm tools:
# trunk 466 and wasm-bindgen-cli 172 CPU-seconds) this takes no time.
set -euo pipefail

cache=${GANTRY_TOOLS_CACHE:-$HOME/.cache/gantry-tools}
# "<crate> <version> [cargo install options]".
# trunk and wasm-bindgen-cli without their default features: those download tools and check
# for updates over TLS, which builds never do (the tools come from PATH, the sandbox has no
# network), and leaving them out saves compiling a TLS stack. wasm-bindgen-cli's version is
# the wasm-bindgen in checks/projects/trunk-app/Cargo.lock (they must be equal) and one
# nixpkgs packages (wasm-bindgen-cli_0_2_126); trunk's is nixpkgs' (0.21.14).
tools=(
  "cargo-audit 0.22.2"
  "cargo-deny 0.20.2"
  "cargo-tarpaulin 0.37.5"
  "taplo-cli 0.10.0"
  "cargo-llvm-cov 0.9.1"
  "wasm-bindgen-cli 0.2.126 --no-default-features"
  "trunk 0.21.14 --no-default-features"
)

if command -v rustup >/dev/null && ! rustup component list --installed | grep -q '^llvm-tools'; then
  echo "install-tools: rustup component add llvm-tools" >&2
  rustup component add llvm-tools >&2
fi

# Test tools, not shipped software: compiled fast rather than small (no LTO, opt-level 1).
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true

mkdir -p "$cache"
for tool in "${tools[@]}"; do
  read -r crate version options <<<"$tool"
  dir=$cache/$crate-$version
  if [[ ! -f $dir/.installed ]]; then
    echo "install-tools: cargo install --locked $crate $version (once per machine)" >&2
    rm -rf "$dir"
    # One target dir for all tools: their common dependencies compile once.
    # shellcheck disable=SC2086 # options: words, or none
    CARGO_TARGET_DIR=$cache/target cargo install --quiet --locked --root "$dir" --version "$version" $options "$crate" >&2
    touch "$dir/.installed"
  fi
done
