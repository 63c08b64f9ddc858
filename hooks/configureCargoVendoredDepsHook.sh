# shellcheck shell=bash
# Points cargo at vendored sources: the vendor directory's config.toml is appended to
# $CARGO_HOME/config.toml, so the project's own .cargo/config.toml still wins. The helper
# moves every source directory below $NIX_BUILD_TOP/gantry-vendor (links back to the store):
# cargo fingerprints the sources' path, which is then the same in every build of the
# sandbox, whatever vendor directory a Cargo.lock gives.
# Where vendored sources are seen: a constant path inside a Nix build.
gantryVendorDir() {
    echo "${NIX_BUILD_TOP:-${TMPDIR:-/tmp}}/gantry-vendor"
}

configureCargoVendoredDeps() {
    local vendored=${1:-${cargoVendorDir:?configureCargoVendoredDeps: cargoVendorDir is not set}}
    local config=${2:-$CARGO_HOME/config.toml}
    if [ ! -f "$vendored/config.toml" ]; then
        echo "configureCargoVendoredDeps: $vendored has no config.toml: pass the result of vendorCargoDeps as cargoVendorDir" >&2
        return 1
    fi
    mkdir -p "$(dirname "$config")"
    local relocated
    relocated=$(@gantry@ vendor-config --at "$(gantryVendorDir)" "$vendored") || return
    printf '%s\n' "$relocated" >>"$config"
}

if [ -n "${cargoVendorDir-}" ]; then
    preConfigureHooks+=(configureCargoVendoredDeps)
fi
