# shellcheck shell=bash
# nixpkgs' move-docs.sh, move-lib64.sh and move-sbin.sh: $out/doc, man and info move under
# share/; lib64 is merged into lib (and left as a link); sbin is merged into bin.
fixupOutputHooks+=(_moveStandardDirs)

_moveStandardDirs() {
    [ -d "$prefix" ] || return 0
    local d
    if [ -z "${dontMoveDocs-}" ]; then
        for d in doc man info; do
            if [ -d "$prefix/$d" ] && [ ! -L "$prefix/$d" ]; then
                mkdir -p "$prefix/share/$d"
                cp -a "$prefix/$d/." "$prefix/share/$d/"
                rm -rf "${prefix:?}/$d"
            fi
        done
    fi
    if [ -z "${dontMoveLib64-}" ] && [ -d "$prefix/lib64" ] && [ ! -L "$prefix/lib64" ]; then
        mkdir -p "$prefix/lib"
        cp -a "$prefix/lib64/." "$prefix/lib/"
        rm -rf "$prefix/lib64"
        ln -s lib "$prefix/lib64"
    fi
    if [ -z "${dontMoveSbin-}" ] && [ -d "$prefix/sbin" ] && [ ! -L "$prefix/sbin" ]; then
        mkdir -p "$prefix/bin"
        cp -a "$prefix/sbin/." "$prefix/bin/"
        rm -rf "$prefix/sbin"
        ln -s bin "$prefix/sbin"
    fi
}
