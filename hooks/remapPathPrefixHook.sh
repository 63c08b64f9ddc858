# shellcheck shell=bash
# crane's remapPathPrefixHook. `configureRustcRemapPathPrefix [TO] [FROM] [neuter]` makes
# rustc write TO ($src) instead of FROM (the build's source directory, $PWD) into what it
# compiles (panic locations, debug info), through CARGO_BUILD_RUSTFLAGS. TO's store hash is
# hidden from the flag while building ("neutered": the dependency build, whose $src is the
# dummy source, then passes the same flag, so its artifacts stay fresh) and put back into the
# target directory's files right after the build (fixupNeuteredRustcRemapPathPrefix), with
# debug sections left uncompressed so that it can be found. Pass anything but `neuter` as the
# third argument to remap to TO as it is.
# Runs before the build when doRemapPathPrefix is set, or, when that is unset, dontStrip is.

# What a store hash in TO becomes while building: as long as a hash, so that putting the hash
# back keeps every offset in the files.
_gantryNeuteredHash='####CRANE-NEUTERED-REMAP-SRC####'

configureRustcRemapPathPrefix() {
    local remapTo=${1:-${src:?configureRustcRemapPathPrefix: src is not set; give the path to remap to}}
    local remapFrom=${2:-$PWD}
    local neuter=${3:-neuter}
    local store=${NIX_STORE:-/nix/store}
    echo "configuring CARGO_BUILD_RUSTFLAGS to remap paths from $remapFrom to $remapTo"
    local storePath=${remapTo#"$store"/}
    local hash=${storePath:0:32}
    if [ "$neuter" = neuter ] && [ "$storePath" != "$remapTo" ] && [[ $hash =~ ^[0-9a-z]{32}$ ]]; then
        postBuildHooks=("fixupNeuteredRustcRemapPathPrefix $(printf %q "$remapTo")" "${postBuildHooks[@]}")
        remapTo=$store/$_gantryNeuteredHash${storePath:32}
        echo " - neutered as $remapTo while building"
        if [ -z "${_gantryNoCompressDebugSections-}" ]; then
            CARGO_BUILD_RUSTFLAGS="${CARGO_BUILD_RUSTFLAGS:+$CARGO_BUILD_RUSTFLAGS }-C link-arg=-Wl,--compress-debug-sections=none"
            _gantryNoCompressDebugSections=1
        fi
    fi
    CARGO_BUILD_RUSTFLAGS="${CARGO_BUILD_RUSTFLAGS:+$CARGO_BUILD_RUSTFLAGS }--remap-path-prefix=$remapFrom=$remapTo"
    export CARGO_BUILD_RUSTFLAGS
}

# fixupNeuteredRustcRemapPathPrefix TO [DIR]: puts TO's store hash back where the build wrote
# the neutered path, in the files below DIR (the target directory).
fixupNeuteredRustcRemapPathPrefix() {
    local remapTo=${1:?fixupNeuteredRustcRemapPathPrefix: give the path remapped to}
    local dir=${2:-${CARGO_TARGET_DIR:-target}}
    local store=${NIX_STORE:-/nix/store}
    local hash=${remapTo#"$store"/}
    hash=${hash:0:32}
    [ -e "$dir" ] || return 0
    @gantry@ replace-in-files --from "$store/$_gantryNeuteredHash" --to "$store/$hash" "$dir"
}

if [ -n "${doRemapPathPrefix-${dontStrip-}}" ]; then
    preBuildHooks+=(configureRustcRemapPathPrefix)
fi
