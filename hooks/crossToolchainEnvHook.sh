# shellcheck shell=bash
# Exports what mkCrossToolchainEnv gave as `__CRANE_EXPORT_<NAME>` attributes (crane's
# names) as <NAME>, unless the derivation set <NAME> itself, and says so in the log.
exportCrossToolchainEnv() {
    local exported name
    for exported in ${!__CRANE_EXPORT_*}; do
        name=${exported#__CRANE_EXPORT_}
        if [ -z "${!name-}" ]; then
            echo "cross compiling: $name=${!exported} (set $name, or doIncludeCrossToolchainEnv = false, to choose otherwise)"
            export "$name=${!exported}"
        fi
    done
}

postPatchHooks+=(exportCrossToolchainEnv)
