# shellcheck shell=bash
# Restores cargo's target directory from an earlier derivation's target.tar.zst (unpacked by
# the helper: writable files, mtimes as packed, nothing half-written on a bad archive).
inheritCargoArtifacts() {
    local prepared=${1:-${cargoArtifacts:?inheritCargoArtifacts: cargoArtifacts is not set}}
    local targetDir=${2:-${CARGO_TARGET_DIR:-target}}
    local archive=$prepared
    if [ -d "$prepared" ]; then
        archive=$prepared/target.tar.zst
    fi
    if [ ! -f "$archive" ] || [[ "$archive" != *.tar.zst ]]; then
        echo "inheritCargoArtifacts: cargoArtifacts ($prepared) holds no target.tar.zst: pass the result of buildDepsOnly, or of a derivation built with doInstallCargoArtifacts = true" >&2
        return 1
    fi
    echo "inheriting cargo artifacts from $prepared"
    @gantry@ unpack "$archive" "$targetDir"
}

if [ -n "${cargoArtifacts-}" ]; then
    postPatchHooks+=(inheritCargoArtifacts)
fi
