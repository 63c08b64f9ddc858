# shellcheck shell=bash
# crane's configureCargoVendoredDepsHook [VENDOR_DIR] [CONFIG]: points cargo at vendored
# sources by appending to $CARGO_HOME/config.toml (the project's own .cargo/config.toml still
# wins). VENDOR_DIR ($cargoVendorDir) is vendorCargoDeps' output, whose config.toml says
# which sources it replaces, or a plain `cargo vendor` directory (or /dev/null), which
# replaces crates.io. The helper moves every source directory below
# $NIX_BUILD_TOP/gantry-vendor (links back to the store): cargo fingerprints the sources'
# path, which is then the same in every build of the sandbox, whatever vendor directory a
# Cargo.lock gives. `configureCargoVendoredDeps` is gantry's earlier name for it.

# Where vendored sources are seen: a constant path inside a Nix build.
gantryVendorDir() {
    echo "${NIX_BUILD_TOP:-${TMPDIR:-/tmp}}/gantry-vendor"
}

configureCargoVendoredDepsHook() {
    local vendored=${1:-${cargoVendorDir:?configureCargoVendoredDepsHook: cargoVendorDir is not set}}
    local config=${2:-${CARGO_HOME:?configureCargoVendoredDepsHook: CARGO_HOME is not set}/config.toml}
    mkdir -p "$(dirname "$config")"
    local relocated
    relocated=$(@gantry@ vendor-config --at "$(gantryVendorDir)" "$vendored") || return
    printf '%s\n' "$relocated" >>"$config"
}

configureCargoVendoredDeps() {
    configureCargoVendoredDepsHook "$@"
}

if [ -n "${cargoVendorDir-}" ]; then
    preConfigureHooks+=(configureCargoVendoredDepsHook)
fi
