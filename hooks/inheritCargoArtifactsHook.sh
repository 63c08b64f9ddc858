# shellcheck shell=bash
# Restores cargo's target directory from an earlier derivation's artifacts: a gantry layer
# (zstd, symlink or a chain of them), a crane-style directory holding target.tar.zst, or a
# .tar.zst file. The helper unpacks into ordinary writable files with the packed mtimes and
# leaves the target directory untouched when anything is wrong.
inheritCargoArtifacts() {
    local prepared=${1:-${cargoArtifacts:?inheritCargoArtifacts: cargoArtifacts is not set}}
    local targetDir=${2:-${CARGO_TARGET_DIR:-target}}
    echo "inheriting cargo artifacts from $prepared"
    @gantry@ unpack "$prepared" "$targetDir"
}

if [ -n "${cargoArtifacts-}" ]; then
    postPatchHooks+=(inheritCargoArtifacts)
fi
