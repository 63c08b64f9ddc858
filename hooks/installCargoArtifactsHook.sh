# shellcheck shell=bash
# Installs cargo's target directory as an artifacts layer made by the helper, with a content
# manifest (gantry-artifacts.json). crane's functions, with crane's arguments:
#   compressAndInstallCargoArtifactsDir DIR TARGET_DIR [PREV]: a zstd layer, target.tar.zst
#     holding, over the artifacts PREV (a layer, crane's directory or archive), only what
#     changed (deletions recorded, `prev` links the chain); without PREV, or with
#     doCompressAndInstallFullArchive set, everything. zstdCompressionExtraArgs changes the
#     compression (-19, --long=27, …).
#   dedupAndInstallCargoArtifactsDir DIR TARGET_DIR PREV_TARGET_DIR: a symlink layer, a
#     target/ tree whose files equal to PREV's are symlinks to them; PREV_TARGET_DIR is crane's
#     `$cargoArtifacts/target` (or the layer itself), /dev/null for none.
#   prepareAndInstallCargoArtifactsDir [DIR] [TARGET_DIR] [MODE] [PREV]: one of the two, as
#     MODE (installCargoArtifactsMode: use-zstd, the default, or use-symlink) says, over PREV
#     ($cargoArtifacts); DIR defaults to $out, TARGET_DIR to $CARGO_TARGET_DIR or target.
# A target directory cargo never created gives an empty layer.

compressAndInstallCargoArtifactsDir() {
    local dir=${1:?compressAndInstallCargoArtifactsDir: give the directory to install into}
    local targetDir=${2:?compressAndInstallCargoArtifactsDir: give the cargo target directory}
    _gantryPackCargoArtifacts zstd "$dir" "$targetDir" "${3-}"
}

dedupAndInstallCargoArtifactsDir() {
    local dir=${1:?dedupAndInstallCargoArtifactsDir: give the directory to install into}
    local targetDir=${2:?dedupAndInstallCargoArtifactsDir: give the cargo target directory}
    local prev=${3:?dedupAndInstallCargoArtifactsDir: give the previous target directory, or /dev/null}
    _gantryPackCargoArtifacts symlink "$dir" "$targetDir" "$prev"
}

prepareAndInstallCargoArtifactsDir() {
    local dir=${1:-$out}
    local targetDir=${2:-${CARGO_TARGET_DIR:-target}}
    local mode=${3:-${installCargoArtifactsMode:-use-zstd}}
    local prev=${4:-${cargoArtifacts-}}
    case "$mode" in
    use-zstd) compressAndInstallCargoArtifactsDir "$dir" "$targetDir" "$prev" ;;
    use-symlink) dedupAndInstallCargoArtifactsDir "$dir" "$targetDir" "${prev:-/dev/null}" ;;
    *)
        echo "prepareAndInstallCargoArtifactsDir: the mode (installCargoArtifactsMode) is '$mode'; use use-zstd or use-symlink" >&2
        return 1
        ;;
    esac
}

# _gantryPackCargoArtifacts KIND DIR TARGET_DIR PREV: PREV empty or /dev/null is no base.
_gantryPackCargoArtifacts() {
    local kind=$1 dir=$2 targetDir=$3 prev=$4
    local -a flags=(--mode "$kind" --zstd-args "${zstdCompressionExtraArgs-}")
    if [ -n "$prev" ] && [ "$prev" != /dev/null ]; then flags+=(--base "$prev"); fi
    if [ -n "${doCompressAndInstallFullArchive-}" ]; then flags+=(--full); fi
    @gantry@ pack "${flags[@]}" "$targetDir" "$dir"
}

if [ "${doInstallCargoArtifacts-}" = 1 ]; then
    postInstallHooks+=(prepareAndInstallCargoArtifactsDir)
fi
