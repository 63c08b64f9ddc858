# shellcheck shell=bash
# Installs cargo's target directory as $out/target.tar.zst (packed by the helper:
# sorted entries, mtime 1, owner 0, multithreaded zstd).
prepareAndInstallCargoArtifactsDir() {
    local dir=${1:-$out}
    local targetDir=${2:-${CARGO_TARGET_DIR:-target}}
    case "${installCargoArtifactsMode:-use-zstd}" in
    use-zstd) ;;
    *)
        echo "installCargoArtifacts: installCargoArtifactsMode '$installCargoArtifactsMode' is not supported yet; use use-zstd" >&2
        return 1
        ;;
    esac
    mkdir -p "$dir"
    @gantry@ pack "$targetDir" "$dir/target.tar.zst"
}

if [ "${doInstallCargoArtifacts-}" = 1 ]; then
    postInstallHooks+=(prepareAndInstallCargoArtifactsDir)
fi
