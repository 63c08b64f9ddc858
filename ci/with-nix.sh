#!/usr/bin/env bash
# Runs a command (default: an interactive shell) with gantry's Nix set up as the tests use
# it (ci/setup-nix.sh: the private current Nix, its store on /nix in a private mount
# namespace, the offline settings in NIX_CONFIG). E.g.:
#   bash ci/with-nix.sh nix flake check ./examples/quick-start --override-input ...
set -euo pipefail
# shellcheck source=setup-nix.sh
. "$(dirname "${BASH_SOURCE[0]}")/setup-nix.sh"
if [ $# -eq 0 ]; then set -- "${SHELL:-bash}"; fi
exec "$@"
