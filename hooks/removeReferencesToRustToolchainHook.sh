# shellcheck shell=bash
# Installed files may embed paths of the Rust toolchain (its sysroot, rustc, cargo), which
# would keep the whole toolchain in the runtime closure. `removeReferencesToRustToolchain
# [DIR]` has the helper overwrite those store paths' hashes with `e`s under DIR ($out).
removeReferencesToRustToolchain() {
    local installDir=${1:-$out}
    local -a references=()
    local path tool
    for tool in rustc cargo; do
        path=$(command -v "$tool") || continue
        references+=("$path" "$(readlink -f "$path")")
    done
    references+=("$(rustc --print sysroot)")
    local -a flags=()
    for path in "${references[@]}"; do
        # Only store paths can be referred to; a toolchain outside the store is not.
        case "$path" in "$NIX_STORE"/*) flags+=(--reference "$path") ;; esac
    done
    @gantry@ remove-references "${flags[@]}" "$installDir"
}

if [ "${doNotRemoveReferencesToRustToolchain-}" != 1 ]; then
    postFixupHooks+=(removeReferencesToRustToolchain)
fi
