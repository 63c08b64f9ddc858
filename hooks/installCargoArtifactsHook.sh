# shellcheck shell=bash
# Installs cargo's target directory into $out as an artifacts layer made by the helper, with
# a content manifest (gantry-artifacts.json). installCargoArtifactsMode chooses the kind:
# use-zstd (default): target.tar.zst holding, over inherited artifacts, only what changed
# (deletions recorded, `prev` links the chain); doCompressAndInstallFullArchive = 1 stores
# everything instead. use-symlink: a target/ tree whose files equal to inherited ones are
# symlinks to them.
prepareAndInstallCargoArtifactsDir() {
    local dir=${1:-$out}
    local targetDir=${2:-${CARGO_TARGET_DIR:-target}}
    local mode
    case "${installCargoArtifactsMode:-use-zstd}" in
    use-zstd) mode=zstd ;;
    use-symlink) mode=symlink ;;
    *)
        echo "installCargoArtifacts: installCargoArtifactsMode is '$installCargoArtifactsMode'; use use-zstd or use-symlink" >&2
        return 1
        ;;
    esac
    local -a flags=(--mode "$mode")
    if [ -n "${cargoArtifacts-}" ]; then flags+=(--base "$cargoArtifacts"); fi
    if [ "${doCompressAndInstallFullArchive-}" = 1 ]; then flags+=(--full); fi
    @gantry@ pack "${flags[@]}" "$targetDir" "$dir"
}

if [ "${doInstallCargoArtifacts-}" = 1 ]; then
    postInstallHooks+=(prepareAndInstallCargoArtifactsDir)
fi
