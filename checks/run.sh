#!/usr/bin/env bash
# Runs gantry's Nix test suite against the offline nixpkgs stand-in: every check in
# checks/flake.nix must build, and every `expectFailure` entry must fail with its message.
# Usage: checks/run.sh [NAME-REGEX]   (only checks whose name matches)
# Environment: GANTRY_NIXPKGS, a flake reference to run against instead of the stand-in
# (e.g. github:NixOS/nixpkgs/nixpkgs-unstable; see checks/offline-pkgs/README.md);
# GANTRY_SLOW_CHECKS=1 also builds the `slowChecks` (minutes each: cargo itself), which
# ci/test.sh leaves out.
set -euo pipefail
shopt -s inherit_errexit

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../ci/setup-nix.sh
. "$root/ci/setup-nix.sh"

only=${1:-.}
system=x86_64-linux
logs=${GANTRY_CHECK_LOGS:-$root/target/nix-check-logs}
mkdir -p "$logs"

# gantry is taken from git (tracked files only, like a flake user gets it); the stand-in as a
# path, because it includes the machine-specific host.nix that setup-nix.sh writes.
flake=(
  "path:$root/checks"
  --override-input gantry "git+file://$root"
  --override-input nixpkgs "${GANTRY_NIXPKGS:-path:$root/checks/offline-pkgs}"
  --no-write-lock-file
)

# Lock-file notices are noise here (the overrides are deliberate); errors are not: a suite
# that fails to evaluate stops the run instead of passing with fewer checks.
quiet_eval() {
  local err=$logs/eval.stderr
  if ! nix eval "$@" 2>"$err"; then
    grep -v -e "not writing modified lock file" -e "Added input" -e "^    '" "$err" >&2
    echo "checks/run.sh: evaluating the suite failed" >&2
    exit 1
  fi
}

names() {
  local all
  all=$(quiet_eval --json "${flake[0]}#$1.$system" "${flake[@]:1}" --apply builtins.attrNames) || exit 1
  jq -r '.[]' <<<"$all" | grep -E -- "$only" || true
}

passed=0
failed=0
failures=()

pass() {
  echo "PASS $1"
  passed=$((passed + 1))
}

# fail NAME REASON [LOG]: reports, with the end of the log when there is one.
fail() {
  echo "FAIL $1: $2"
  if [ -n "${3-}" ]; then
    echo "    log: $3"
    tail -n 30 "$3" | sed 's/^/    /'
  fi
  failed=$((failed + 1))
  failures+=("$1")
}

# The host's CA bundle, compared after every build of the run (a fixed-output build once
# emptied it through a read-write mount: the host-ca-bundle-unchanged line below).
ca_bundle=/etc/ssl/certs/ca-certificates.crt
ca_before=$(sha256sum "$ca_bundle" 2>/dev/null || echo missing)

# The sandbox as this run configured it (checks/host-safety.nix), built anew every run.
nonce=$(date +%s%N)
for probe in isolation ca-bundle; do
  log="$logs/host-safety-$probe.log"
  if nix-build --no-out-link "$root/checks/host-safety.nix" --argstr nonce "$nonce" \
    --argstr home "$HOME" -A "$probe" >"$log" 2>&1; then
    pass "host-safety-$probe"
  else
    fail "host-safety-$probe" "the sandbox does not keep builds from the host" "$log"
  fi
done

check_names=$(names checks)
failure_names=$(names expectFailure)

slow_names=
if [ "${GANTRY_SLOW_CHECKS-}" = 1 ]; then
  slow_names=$(names slowChecks)
else
  echo "slow checks left out (GANTRY_SLOW_CHECKS=1 builds them): $(names slowChecks | tr '\n' ' ')"
fi

# build_checks OUTPUT NAMES: builds each of the flake's OUTPUT.<system>.<name>.
build_checks() {
  local name log
  for name in $2; do
    log="$logs/$name.log"
    if nix build --no-link -L "${flake[0]}#$1.$system.\"$name\"" "${flake[@]:1}" >"$log" 2>&1; then
      pass "$name"
    else
      fail "$name" "the build failed" "$log"
    fi
  done
}
build_checks checks "$check_names"
build_checks slowChecks "$slow_names"

for name in $failure_names; do
  log="$logs/expect-failure-$name.log"
  attr="${flake[0]}#expectFailure.$system.\"$name\""
  message=$(quiet_eval --raw "$attr.message" "${flake[@]:1}")
  if nix build --no-link -L "$attr.drv" "${flake[@]:1}" >"$log" 2>&1; then
    fail "$name" "built, but must fail with: $message"
  elif grep -qF -- "$message" "$log"; then
    pass "$name (fails with: $message)"
  else
    fail "$name" "failed without the expected message: $message" "$log"
  fi
done

# The dev shell, entered as a user would: the toolchain and the checks' tools are there.
if grep -qE -- "$only" <<<"dev-shell"; then
  log="$logs/dev-shell.log"
  # --ignore-environment: only what the shell provides, not this machine's own PATH.
  if nix develop --ignore-environment "${flake[0]}#devShells.$system.default" "${flake[@]:1}" \
    -c bash -c 'set -e; cargo --version; cargo clippy --version
      for tool in cargo rustc cargo-clippy cargo-nextest; do
        where=$(command -v $tool); echo "$tool: $where"
        case $where in "${NIX_STORE:-/nix/store}"/*) ;; *) echo "$tool is not from the shell" >&2; exit 1 ;; esac
      done' >"$log" 2>&1; then
    pass "dev-shell ($(grep '^cargo ' "$log"))"
  else
    fail "dev-shell" "nix develop did not give cargo, clippy and cargo-nextest" "$log"
  fi
fi

# Every example flake, as a user runs it: `nix flake check` (its packages, apps, dev shells
# and checks), with nixpkgs and gantry (and an advisory database, rust-overlay) overridden
# like ours.
for example in "$root"/examples/*/flake.nix; do
  dir=${example%/flake.nix}
  name="example-${dir##*/}"
  grep -qE -- "$only" <<<"$name" || continue
  log="$logs/$name.log"
  overrides=(--override-input nixpkgs "${GANTRY_NIXPKGS:-path:$root/checks/offline-pkgs}" --override-input gantry "git+file://$root")
  if grep -q 'advisory-db' "$example"; then
    overrides+=(--override-input advisory-db "path:$root/checks/fixtures/advisory-db-clean")
  fi
  if grep -q 'rust-overlay' "$example" && [ -z "${GANTRY_NIXPKGS-}" ]; then
    overrides+=(--override-input rust-overlay "path:$root/checks/offline-pkgs/rust-overlay")
  fi
  if nix flake check -L "path:$dir" "${overrides[@]}" --no-write-lock-file >"$log" 2>&1; then
    pass "$name"
  else
    fail "$name" "nix flake check failed" "$log"
  fi
done

if [ "$(sha256sum "$ca_bundle" 2>/dev/null || echo missing)" = "$ca_before" ]; then
  pass "host-ca-bundle-unchanged ($ca_bundle byte-identical after the run's builds)"
else
  fail "host-ca-bundle-unchanged" "$ca_bundle changed during the run: a build wrote to the host"
fi

# Checks a machine cannot run (a tool missing), each with why: visible, not silently gone.
skipped=$(quiet_eval --json "${flake[0]}#skipped.$system" "${flake[@]:1}")
skips=$(jq -r '.[]' <<<"$skipped")
if [ -n "$skips" ]; then
  while IFS= read -r reason; do echo "SKIP $reason"; done <<<"$skips"
fi

if [ $((passed + failed)) -eq 0 ]; then
  echo "checks/run.sh: no check matches '$only'" >&2
  exit 1
fi
if [ "$failed" -gt 0 ]; then
  echo "failed: ${failures[*]}"
fi
echo "nix checks: $passed passed, $failed failed, $(grep -c . <<<"$skips" || true) skipped"
[ "$failed" -eq 0 ]
