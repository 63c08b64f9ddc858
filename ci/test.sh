#!/usr/bin/env bash
# All of gantry's tests: Rust formatting, lints and unit/integration tests of the helper,
# the too-old-Nix error, then the Nix test suite against the offline nixpkgs stand-in
# (checks/run.sh) on the current Nix that ci/setup-nix.sh installs privately.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Rust targets and nightly rust-src the tests build with (rustup; once per machine)"
bash ci/install-rust.sh
step "cargo test --workspace"
cargo test --workspace --locked
step "check tools for the stand-in (cargo install into a per-machine cache; once per machine)"
bash ci/install-tools.sh
step "a Nix older than gantry supports stops with one line (Debian bookworm's 2.8)"
bash ci/test-old-nix.sh
step "nix checks (offline stand-in, on the current Nix of ci/install-nix.sh)"
checks/run.sh
step "benchmark smoke run (smallest project, once; the report goes to a scratch file)"
bash bench/run.sh --smoke --output "$(mktemp)"
step "cross benchmark smoke run (musl through buildDepsOnly once; the report goes to a scratch file)"
bash bench/cross.sh --smoke --output "$(mktemp)"
step "README's first command: the demo (ripgrep from crates.io: build, edit, per-crate bump)"
bash ci/demo.sh
step "binary cache smoke run (ripgrep's pieces through a file:// cache into an empty store; the report goes to a scratch file)"
bash bench/binary-cache.sh --smoke --output "$(mktemp)"
