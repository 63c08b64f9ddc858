# shellcheck shell=bash
# nixpkgs' patch-shebangs.sh: in every output, executable files starting with `#!` get their
# interpreter resolved through HOST_PATH (`/usr/bin/env X` becomes X's path). This changes
# file contents, which is why vendored crate sources must not go through fixup.
fixupOutputHooks+=(_patchShebangsAuto)

patchShebangs() {
    local pathName=PATH
    if [ "${1-}" = --host ]; then pathName=HOST_PATH; shift; fi
    if [ "${1-}" = --build ]; then pathName=PATH; shift; fi
    [ "${1-}" != -- ] || shift
    local f
    while IFS= read -r -d $'\0' f; do
        isScript "$f" || continue
        local oldInterpreterLine oldPath arg0 args newPath newInterpreterLine
        read -r oldInterpreterLine <"$f" || [ -n "$oldInterpreterLine" ]
        read -r oldPath arg0 args <<<"${oldInterpreterLine:2}"
        if [[ "$oldPath" == *"/bin/env" ]]; then
            if [[ "$arg0" == "-"* || "$arg0" == *"="* ]]; then
                echo "$f: unsupported interpreter directive \"$oldInterpreterLine\"" >&2
                return 1
            fi
            newPath=$(PATH="${!pathName}" type -P "$arg0" || true)
        else
            [ -n "$oldPath" ] || continue
            newPath=$(PATH="${!pathName}" type -P "$(basename "$oldPath")" || true)
            args="$arg0 $args"
        fi
        [ -n "$newPath" ] || continue
        case "$oldPath" in "$NIX_STORE"/*) [ "$oldPath" != "$newPath" ] || continue ;; esac
        newInterpreterLine="$newPath $args"
        newInterpreterLine=${newInterpreterLine%"${newInterpreterLine##*[![:space:]]}"}
        echo "$f: interpreter directive changed from \"$oldInterpreterLine\" to \"#!$newInterpreterLine\""
        local timestamp
        timestamp=$(stat --printf "%y" "$f")
        sed -i -e "1 s|.*|#!$newInterpreterLine|" "$f"
        touch --date "$timestamp" "$f"
    done < <(find "$@" -type f -perm -0100 -print0)
}

_patchShebangsAuto() {
    if [ -z "${dontPatchShebangs-}" ] && [ -e "$prefix" ]; then
        if [ "$output" != out ] && [ "$output" = "${outputDev-}" ]; then
            patchShebangs --build "$prefix"
        else
            patchShebangs --host "$prefix"
        fi
    fi
}
