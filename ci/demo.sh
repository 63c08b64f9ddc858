#!/usr/bin/env bash
# gantry's main job on a fresh machine: set up Nix offline, then build a real Cargo project
# from crates.io sources through Nix with gantry, and run what it built. For now the project
# is gantry's own helper (≈ 40 crates from crates.io, vendored as fixed-output fetches).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=setup-nix.sh
. "$root/ci/setup-nix.sh"

out=$(nix-build --no-out-link "$root/checks/demo.nix" --arg root "$root")
echo "built: $out"
"$out/bin/gantry" --version
printf '[package]\nname = "demo"\nversion = "1.0.0"\ndescription = "dropped"\n' >"${TMPDIR:-/tmp}/gantry-demo-Cargo.toml"
"$out/bin/gantry" clean-toml "${TMPDIR:-/tmp}/gantry-demo-Cargo.toml"
