# shellcheck shell=bash
# Replaces the project's Cargo.lock with the file in $cargoLock (or the first argument),
# so the build resolves exactly what vendorCargoDeps vendored.
replaceCargoLock() {
    local lock=${1:-${cargoLock:?replaceCargoLock: cargoLock is not set}}
    if [ ! -f "$lock" ]; then
        echo "replaceCargoLock: $lock is not a file: cargoLock must be the path of a Cargo.lock" >&2
        return 1
    fi
    echo "replacing Cargo.lock with $lock"
    cp --no-preserve=mode "$lock" Cargo.lock
}

if [ -n "${cargoLock-}" ]; then
    prePatchHooks+=(replaceCargoLock)
fi
