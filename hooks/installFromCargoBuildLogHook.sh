# shellcheck shell=bash
# Installs the binaries (bin/) and cdylib/dylib/staticlib libraries (lib/) that cargo's JSON build
# log names for workspace members; test-profile artifacts are skipped.
installFromCargoBuildLog() {
    local dest=${1:-$out}
    local log=${2:-${cargoBuildLog:?installFromCargoBuildLog: cargoBuildLog is not set}}
    @gantry@ install-from-log "$log" "$dest"
}
