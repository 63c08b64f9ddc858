# shellcheck shell=bash
# nixpkgs' set-source-date-epoch-to-latest.sh: after unpacking, SOURCE_DATE_EPOCH is raised
# to the newest mtime found in the source root.
postUnpackHooks+=(_updateSourceDateEpochFromSourceRoot)

_updateSourceDateEpochFromSourceRoot() {
    [ -n "${sourceRoot:-}" ] && [ -e "$sourceRoot" ] || return 0
    local newest
    newest=$(find "$sourceRoot" -type f -printf '%T@\n' 2>/dev/null | sort -n | tail -n 1)
    newest=${newest%.*}
    if [ -n "$newest" ] && [ "$newest" -gt "$SOURCE_DATE_EPOCH" ]; then
        export SOURCE_DATE_EPOCH=$newest
    fi
}
