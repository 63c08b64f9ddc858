# shellcheck shell=bash
# `remapPathPrefix PREFIX` makes rustc write /sources instead of PREFIX into what it
# compiles (panic locations, debug info), so binaries do not refer to the store path of
# their sources. The flag goes to RUSTFLAGS when that is set, else CARGO_BUILD_RUSTFLAGS;
# either overrides the project's own rustflags from .cargo/config.toml, hence opt-in.
# `remapPathPrefixToVendoredDir` remaps $cargoVendorDir.
remapPathPrefix() {
    local prefix=${1:?remapPathPrefix: give the source prefix to remap}
    local flag="--remap-path-prefix=$prefix=/sources"
    if [ -n "${RUSTFLAGS+set}" ]; then
        export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$flag"
    else
        export CARGO_BUILD_RUSTFLAGS="${CARGO_BUILD_RUSTFLAGS:+$CARGO_BUILD_RUSTFLAGS }$flag"
    fi
}

# The vendor directory's config.toml names one directory per source (each its own store
# path): each is remapped, as cargo hands rustc paths below them.
remapPathPrefixToVendoredDir() {
    if [ -z "${cargoVendorDir-}" ]; then return 0; fi
    remapPathPrefix "$cargoVendorDir"
    local dir
    while IFS= read -r dir; do
        remapPathPrefix "$dir"
    done < <(sed -n 's/^directory = "\(.*\)"$/\1/p' "$cargoVendorDir/config.toml")
}

if [ "${doRemapSourcePathPrefix-}" = 1 ]; then
    postConfigureHooks+=(remapPathPrefixToVendoredDir)
fi
