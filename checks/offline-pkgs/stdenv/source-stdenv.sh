# shellcheck shell=bash
# First file of every mkDerivation build: load stdenv's setup, then the builder given as $1.
if [ -e "${NIX_ATTRS_SH_FILE:-}" ]; then
    # shellcheck disable=SC1090
    source "$NIX_ATTRS_SH_FILE"
fi
# shellcheck disable=SC1091
source "$stdenv/setup"
# shellcheck disable=SC1090
source "$1"
