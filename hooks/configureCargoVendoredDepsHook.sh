# shellcheck shell=bash
# Points cargo at vendored sources: the vendor directory's config.toml is appended to
# $CARGO_HOME/config.toml, so the project's own .cargo/config.toml still wins.
configureCargoVendoredDeps() {
    local vendored=${1:-${cargoVendorDir:?configureCargoVendoredDeps: cargoVendorDir is not set}}
    local config=${2:-$CARGO_HOME/config.toml}
    if [ ! -f "$vendored/config.toml" ]; then
        echo "configureCargoVendoredDeps: $vendored has no config.toml: pass the result of vendorCargoDeps as cargoVendorDir" >&2
        return 1
    fi
    mkdir -p "$(dirname "$config")"
    cat "$vendored/config.toml" >>"$config"
}

if [ -n "${cargoVendorDir-}" ]; then
    preConfigureHooks+=(configureCargoVendoredDeps)
fi
