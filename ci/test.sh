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
# The check tools compile (CPU) while the two Nix installs download (network, dpkg): on a
# fresh machine the tools take the longest step of all, so nothing waits for them that can
# run beside them.
step "check tools for the stand-in (cargo install into a per-machine cache; once per machine), in the background"
tools_log=$(mktemp)
bash ci/install-tools.sh >"$tools_log" 2>&1 &
tools_pid=$!
step "a Nix older than gantry supports stops with one line (Debian bookworm's 2.8)"
bash ci/test-old-nix.sh
step "the current Nix and the stand-in's host packages (ci/setup-nix.sh; once per machine)"
bash ci/with-nix.sh true
step "waiting for the check tools"
if ! wait "$tools_pid"; then
  cat "$tools_log" >&2
  echo "ci/test.sh: ci/install-tools.sh failed (its log above)" >&2
  exit 1
fi
cat "$tools_log" >&2
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
