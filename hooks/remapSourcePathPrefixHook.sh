# shellcheck shell=bash
# `remapPathPrefix PREFIX` makes rustc write /sources instead of PREFIX into what it
# compiles (panic locations, debug info), so binaries do not refer to the store path of
# their sources. The flag goes to RUSTFLAGS when that is set, else CARGO_BUILD_RUSTFLAGS;
# either overrides the project's own rustflags from .cargo/config.toml, hence opt-in.
# `remapPathPrefixToVendoredDir` remaps the vendored sources' directory.
# Needs: `gantryVendorDir` from configureCargoVendoredDepsHook (propagated by hooks/default.nix).
remapPathPrefix() {
    local prefix=${1:?remapPathPrefix: give the source prefix to remap}
    local flag="--remap-path-prefix=$prefix=/sources"
    if [ -n "${RUSTFLAGS+set}" ]; then
        export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }$flag"
    else
        export CARGO_BUILD_RUSTFLAGS="${CARGO_BUILD_RUSTFLAGS:+$CARGO_BUILD_RUSTFLAGS }$flag"
    fi
}

# configureCargoVendoredDeps shows every vendored source below one directory, the prefix of
# the paths cargo hands rustc.
remapPathPrefixToVendoredDir() {
    remapPathPrefix "$(gantryVendorDir)"
}

if [ "${doRemapSourcePathPrefix-}" = 1 ]; then
    postConfigureHooks+=(remapPathPrefixToVendoredDir)
fi
