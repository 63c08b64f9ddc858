# shellcheck shell=bash
# `cargo` as a shell function: in a build, every invocation is logged, and when cargo works on
# inherited artifacts its JSON messages are kept so the helper reports which dependency units
# were compiled and why (failing the build when requireFreshDependencies is set). In a dev
# shell (nix develop, nix-shell: IN_NIX_SHELL is set) it is plain cargo, with its colours and
# progress bar on the terminal.
# `cargoWithProfile SUBCOMMAND ARGS…` adds `--release` when CARGO_PROFILE is release, else
# `--profile $CARGO_PROFILE` when it is set (crane's).

_gantryCargoRuns=0
# The file this hook is sourced from: gantryCargoProgram's program sources it again.
_gantryCargoHelperFunctions=${BASH_SOURCE[0]}

# The message formats the arguments choose (cargo's own, before any `--`), comma-separated;
# nothing when they choose none.
_gantryMessageFormat() {
    local formats="" next=""
    local arg
    for arg in "$@"; do
        if [ -n "$next" ]; then
            formats+="${formats:+,}$arg"
            next=""
            continue
        fi
        case "$arg" in
        --) break ;;
        --message-format) next=1 ;;
        --message-format=*) formats+="${formats:+,}${arg#--message-format=}" ;;
        esac
    done
    printf '%s' "$formats"
}

cargo() {
    if [ -n "${IN_NIX_SHELL-}" ]; then
        command cargo "$@"
        return
    fi
    echo "+ cargo $*" >&2
    local sub=${1-}
    case "$sub" in
    build | check | test | bench | clippy | doc | rustc) ;;
    *)
        command cargo "$@"
        return
        ;;
    esac
    _gantryCargoRuns=$((_gantryCargoRuns + 1))
    local stderrLog="$NIX_BUILD_TOP/.gantry-cargo-$_gantryCargoRuns.stderr"
    local status=0
    # stderr is copied through a pipeline (fd 3 carries stdout around it), never a background
    # process: waiting for one would also wait for whatever else the build started (a test
    # server, say). pipefail makes cargo's status the pipeline's.
    local -
    set -o pipefail
    if [ -z "${cargoArtifacts-}" ]; then
        { command cargo "$@" 2>&1 1>&3 3>&- | tee "$stderrLog" >&2; } 3>&1 || status=$?
        _gantryCargoDone "$status" "$stderrLog"
        return
    fi
    local log="$NIX_BUILD_TOP/.gantry-cargo-$_gantryCargoRuns.json"
    # Without a caller-chosen format, JSON messages are added for the report and kept off
    # the log (non-JSON output such as test results still streams); with one, the caller
    # reads stdout (e.g. buildPackage's build log) and gets it unchanged.
    # The flag goes right after the subcommand: arguments after `--` belong to test binaries.
    local -a args=("$@")
    local filterJson=
    local callerFormat
    callerFormat=$(_gantryMessageFormat "$@")
    if [ -z "$callerFormat" ]; then
        args=("$sub" --message-format json-render-diagnostics "${@:2}")
        filterJson=1
    fi
    # stderr keeps cargo's fingerprint log for the report, off the build log.
    {
        CARGO_LOG=cargo::core::compiler::fingerprint=info command cargo "${args[@]}" 2>&1 1>&3 3>&- |
            tee "$stderrLog" | _gantryDropFingerprintLog >&2
    } 3>&1 |
        tee "$log" |
        if [ -n "$filterJson" ]; then @gantry@ drop-cargo-messages; else cat; fi ||
        status=$?
    _gantryCargoDone "$status" "$stderrLog" || return
    # On stderr: stdout may be a build log the caller parses.
    # The helper judges whether the caller's format gave it anything to read.
    @gantry@ freshness ${requireFreshDependencies:+--deny-rebuilt-deps} "$log" --fingerprint-log "$stderrLog" \
        ${callerFormat:+--message-format "$callerFormat"} >&2
}

# Filters cargo's fingerprint log entries out of its stderr: the entry lines and their
# continuation lines (blank, "Caused by:", indented causes).
_gantryDropFingerprintLog() {
    awk '/cargo::core::compiler::fingerprint/ { entry = 1; next }
        entry && (/^$/ || /^Caused by:$/ || /^    /) { next }
        { entry = 0; print; fflush() }'
}

# After a cargo run: on failure, advice for the failures gantry knows (stale Cargo.lock,
# unvendored sources), then cargo's status.
_gantryCargoDone() {
    local status=$1 stderrLog=$2
    if [ "$status" != 0 ]; then
        @gantry@ explain-cargo-failure "$stderrLog" >&2 || true
    fi
    return "$status"
}

cargoWithProfile() {
    local sub=$1
    shift
    local -a profile=()
    if [ "${CARGO_PROFILE-}" = release ]; then
        profile=(--release)
    elif [ -n "${CARGO_PROFILE-}" ]; then
        profile=(--profile "$CARGO_PROFILE")
    fi
    cargo "$sub" "${profile[@]}" "$@"
}

# gantryCargoProgram: puts first on PATH a `cargo` program that runs the `cargo` function
# above, for tools that run cargo as a program of their own (trunk): their cargo runs are
# then logged, reported and held to requireFreshDependencies like the build's. The program
# finds the real cargo on the PATH of the moment it was made.
gantryCargoProgram() {
    local dir=$NIX_BUILD_TOP/.gantry-cargo-program
    mkdir -p "$dir"
    {
        printf '#!%s\n' "$BASH"
        printf 'PATH=%q\n' "$PATH"
        printf 'source %q\n' "$_gantryCargoHelperFunctions"
        # Each process's logs under names of their own.
        printf '_gantryCargoRuns=$$000\n'
        printf 'cargo "$@"\n'
    } >"$dir/cargo"
    chmod +x "$dir/cargo"
    export PATH=$dir:$PATH
}
