#!/usr/bin/env bash
# Adds to the machine's rustup toolchains what gantry's tests build with: the standard
# libraries of the targets below (the stand-in's pkgsCross platforms, the bare-metal
# targets the dummy stubs are compiled for by the helper's tests and the cross-no-std and
# cross-uefi checks, and wasm32-unknown-unknown for the wasm checks), and a nightly toolchain with rust-src (the stand-in's
# rust-bin.nightly, for -Z build-std): rust-src is added to rustup's nightly, or a nightly
# is installed (minimal profile) when there is none. Run by ci/test.sh before the Rust tests
# and by ci/setup-nix.sh; what is there already is left alone.
set -euo pipefail

targets=(x86_64-unknown-linux-musl aarch64-unknown-linux-gnu x86_64-pc-windows-gnu
  x86_64-unknown-none x86_64-unknown-uefi wasm32-unknown-unknown)

die() { echo "install-rust: error: $*" >&2; exit 1; }

sysroot=$(rustc --print sysroot 2>/dev/null) || die "rustc not found: install Rust with rustup"
missing=()
for t in "${targets[@]}"; do
  [ -d "$sysroot/lib/rustlib/$t" ] || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v rustup >/dev/null ||
    die "the Rust toolchain at $sysroot lacks the targets ${missing[*]} and there is no rustup to add them"
  echo "install-rust: rustup target add ${missing[*]}" >&2
  rustup target add "${missing[@]}" >&2 || die "rustup target add ${missing[*]} failed"
fi

# Without rustup there is no nightly to prepare: the checks needing it are skipped.
command -v rustup >/dev/null || exit 0
if nightly=$(rustc +nightly --print sysroot 2>/dev/null); then
  [ -d "$nightly/lib/rustlib/src/rust/library" ] && exit 0
  echo "install-rust: rustup component add rust-src --toolchain nightly" >&2
  rustup component add rust-src --toolchain nightly >&2 || die "rustup component add rust-src --toolchain nightly failed"
else
  echo "install-rust: rustup toolchain install nightly --profile minimal --component rust-src" >&2
  rustup toolchain install nightly --profile minimal --component rust-src >&2 || die "rustup toolchain install nightly failed"
fi
