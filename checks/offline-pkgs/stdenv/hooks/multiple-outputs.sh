# shellcheck shell=bash
# nixpkgs' multiple-outputs.sh, reduced to what gantry can observe: the output-selection
# variables (each the named output if the derivation has it, else `out`) and moveToOutput.
_assignFirst() {
    local varName=$1 candidate
    shift
    [ -z "${!varName-}" ] || return 0
    for candidate in "$@"; do
        if [ -n "${!candidate-}" ] || [[ " $outputs " == *" $candidate "* ]]; then
            printf -v "$varName" '%s' "$candidate"
            return 0
        fi
    done
    printf -v "$varName" '%s' out
}
_assignFirst outputDev dev out
_assignFirst outputBin bin out
_assignFirst outputInclude include dev out
_assignFirst outputLib lib out
_assignFirst outputDoc doc out
_assignFirst outputDevdoc devdoc
_assignFirst outputMan man out
_assignFirst outputDevman devman man out
_assignFirst outputInfo info out

# moveToOutput PATTERN OUTPUTNAME: moves matching paths from every other output.
moveToOutput() {
    local patt=$1 dstOut=$2 output
    for output in $(getAllOutputNames); do
        [ "${!output}" != "$dstOut" ] || continue
        local srcOut="${!output}" srcPath
        for srcPath in "$srcOut"/$patt; do
            [ -e "$srcPath" ] || [ -L "$srcPath" ] || continue
            local dstPath="$dstOut${srcPath#"$srcOut"}"
            mkdir -p "$(dirname "$dstPath")"
            if [ -d "$dstPath" ] && [ -d "$srcPath" ]; then
                rmdir "$srcPath" --ignore-fail-on-non-empty
                [ ! -e "$srcPath" ] || mv -t "$dstPath" "$srcPath"/*
            else
                mv "$srcPath" "$dstPath"
            fi
        done
    done
}
