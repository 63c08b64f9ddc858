# shellcheck shell=bash
# nixpkgs' no-broken-symlinks.sh (≥ 25.05): an output holding a dangling or self-pointing
# symlink fails the build, unless dontCheckForBrokenSymlinks is set.
postFixupHooks+=(_noBrokenSymlinksInAllOutputs)

_noBrokenSymlinks() {
    local path=$1 link target broken=0
    [ -e "$path" ] || [ -L "$path" ] || return 0
    while IFS= read -r -d $'\0' link; do
        target=$(readlink "$link")
        if [[ "$target" != /* ]]; then target="$(dirname "$link")/$target"; fi
        if [ "$(realpath -m -s "$target")" = "$(realpath -m -s "$link")" ]; then
            echo "the symlink $link is reflexive" >&2
            broken=1
        elif [ ! -e "$link" ]; then
            echo "the symlink $link points to a missing target: $target" >&2
            broken=1
        fi
    done < <(find "$path" -type l -print0)
    return $broken
}

_noBrokenSymlinksInAllOutputs() {
    [ -z "${dontCheckForBrokenSymlinks-}" ] || return 0
    local output failed=0
    for output in $(getAllOutputNames); do
        _noBrokenSymlinks "${!output}" || failed=1
    done
    if [ $failed = 1 ]; then
        echo "found dangling or reflexive symlinks; set dontCheckForBrokenSymlinks to allow them" >&2
        return 1
    fi
}
