# shellcheck shell=bash
# nixpkgs' make-symlinks-relative.sh: symlinks pointing inside $prefix become relative.
fixupOutputHooks+=(_makeSymlinksRelative)

_makeSymlinksRelative() {
    [ -z "${dontRewriteSymlinks-}" ] && [ -d "$prefix" ] || return 0
    local link target
    while IFS= read -r -d $'\0' link; do
        target=$(readlink "$link")
        [[ "$target" == "$prefix"/* || "$target" == "$prefix" ]] || continue
        ln -snrf "$target" "$link"
    done < <(find "$prefix" -type l -print0)
}
