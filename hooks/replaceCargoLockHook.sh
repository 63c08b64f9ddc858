# shellcheck shell=bash
# crane's replaceCargoLockHook: `replaceCargoLock [LOCK]` replaces the project's Cargo.lock
# with $cargoLock, so the build resolves exactly what vendorCargoDeps vendored; the project's
# own is kept as Cargo.lock.orig. doNotReplaceCargoLock leaves the project's in place.
replaceCargoLock() {
    local lock=${1:-${cargoLock:?replaceCargoLock: cargoLock is not set}}
    if [ ! -f "$lock" ]; then
        echo "replaceCargoLock: $lock is not a file: cargoLock must be the path of a Cargo.lock" >&2
        return 1
    fi
    if [ -f Cargo.lock ]; then
        echo "moving Cargo.lock to Cargo.lock.orig, replacing it with $lock"
        mv Cargo.lock Cargo.lock.orig
    else
        echo "using $lock as Cargo.lock"
    fi
    cp --no-preserve=mode "$lock" Cargo.lock
}

if [ -n "${cargoLock-}" ]; then
    if [ -n "${doNotReplaceCargoLock-}" ]; then
        echo "doNotReplaceCargoLock is set: keeping the project's Cargo.lock"
    else
        prePatchHooks+=(replaceCargoLock)
    fi
fi
