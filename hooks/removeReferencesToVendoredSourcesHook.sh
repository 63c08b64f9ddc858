# shellcheck shell=bash
# Installed files often embed paths of the vendored crate sources (panic locations), which
# would make every vendored crate a runtime dependency. `removeReferencesToVendoredSources
# [DIR] [VENDOR_DIR]` has the helper overwrite the hash of the vendor directory's store path,
# and of every crate it links to, with `e`s in every file under DIR ($out by default).
removeReferencesToVendoredSources() {
    local installDir=${1:-$out}
    local vendored=${2:-${cargoVendorDir:?removeReferencesToVendoredSources: cargoVendorDir is not set}}
    @gantry@ remove-references --references-of "$vendored" "$installDir"
}

if [ -n "${cargoVendorDir-}" ] && [ "${doNotRemoveReferencesToVendorDir-}" != 1 ]; then
    postFixupHooks+=(removeReferencesToVendoredSources)
fi
