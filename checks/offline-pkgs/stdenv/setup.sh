# The body of the stand-in stdenv's `setup` script. It follows the behaviour of nixpkgs'
# pkgs/stdenv/generic/setup.sh as described in shared/nixpkgs-slice.md (§3): the order of
# initialisation, input discovery with offsets and propagation, hook execution and the phase
# list are reproduced because gantry's hooks depend on them. Written from that description;
# the stdenv derivation prepends SHELL, initialPath, defaultNativeBuildInputs,
# defaultBuildInputs and preHook.

set -eu -o pipefail
shopt -s inherit_errexit

if [ -n "${__structuredAttrs:-}" ] || [ -n "${NIX_ATTRS_SH_FILE:-}" ]; then
    echo "offline-pkgs stdenv: __structuredAttrs is not supported by the stand-in" >&2
    exit 1
fi
: "${outputs:=out}"

######################################################################
# Logging

# NIX_DEBUG levels as in nixpkgs: 0 error, 1 warn, 2 notice, 3 info, 4 talkative, ...
_nixLogAt() {
    local level=$1
    shift
    [ "${NIX_DEBUG:-0}" -ge "$level" ] || return 0
    echo "$@" >&2
}
nixErrorLog() { _nixLogAt 0 "$@"; }
nixWarnLog() { _nixLogAt 1 "$@"; }
nixNoticeLog() { _nixLogAt 2 "$@"; }
nixInfoLog() { _nixLogAt 3 "$@"; }
nixTalkativeLog() { _nixLogAt 4 "$@"; }
nixChattyLog() { _nixLogAt 5 "$@"; }
nixDebugLog() { _nixLogAt 6 "$@"; }
nixVomitLog() { _nixLogAt 7 "$@"; }
nixLog() { echo "${FUNCNAME[1]}: $*" >&2; }

echoCmd() {
    printf "%s:" "$1"
    shift
    printf ' %q' "$@"
    echo
}

######################################################################
# Hooks

# Runs a function if one has the name, else evaluates the string.
_eval() {
    if declare -F "$1" >/dev/null 2>&1; then
        "$@"
    else
        eval "$1"
    fi
}

# The "implicit" hook NAME: a function, else a file on PATH (sourced), else the variable's
# text (how `preBuild = "…"` runs). Returns $1 when there is none.
_callImplicitHook() {
    local def=$1 hookName=$2
    shift 2
    if declare -F "$hookName" >/dev/null; then
        "$hookName" "$@"
    elif type -p "$hookName" >/dev/null; then
        # shellcheck disable=SC1090
        source "$hookName"
    elif [ -n "${!hookName:-}" ]; then
        eval "${!hookName}"
    else
        return "$def"
    fi
}

# runHook NAME args…: the implicit hook, then every entry of ${NAME%Hook}Hooks.
runHook() {
    local hookName=$1
    shift
    local hooksSlice="${hookName%Hook}Hooks[@]"
    _callImplicitHook 0 "$hookName" "$@"
    local hook
    for hook in ${!hooksSlice+"${!hooksSlice}"}; do
        _eval "$hook" "$@"
    done
    return 0
}

# runOneHook NAME args…: the first candidate that succeeds wins; 1 if none does.
runOneHook() {
    local hookName=$1
    shift
    local hooksSlice="${hookName%Hook}Hooks[@]"
    if _callImplicitHook 1 "$hookName" "$@"; then
        return 0
    fi
    local hook
    for hook in ${!hooksSlice+"${!hooksSlice}"}; do
        if _eval "$hook" "$@"; then
            return 0
        fi
    done
    return 1
}

exitHandler() {
    exitCode="$?"
    set +e
    if [ "$exitCode" != 0 ]; then
        runHook failureHook
        if [ -n "${succeedOnFailure:-}" ]; then
            echo "build failed with exit code $exitCode (ignored)"
            mkdir -p "$out/nix-support"
            printf "%s" "$exitCode" >"$out/nix-support/failed"
            exit 0
        fi
    else
        runHook exitHook
    fi
    return "$exitCode"
}
trap "exitHandler" EXIT

######################################################################
# Helpers

addToSearchPathWithCustomDelimiter() {
    local delimiter=$1 varName=$2 dir=$3
    if [[ -d "$dir" && "${!varName:+${delimiter}${!varName}${delimiter}}" != *"${delimiter}${dir}${delimiter}"* ]]; then
        export "${varName}=${!varName:+${!varName}${delimiter}}${dir}"
    fi
}

addToSearchPath() {
    addToSearchPathWithCustomDelimiter ":" "$@"
}

# "array" when the named variable is an indexed array, "assoc", "string", or "unset".
_varKind() {
    local decl
    if ! decl=$(declare -p "$1" 2>/dev/null); then
        echo unset
        return
    fi
    case "${decl#declare }" in
    -a*) echo array ;;
    -A*) echo assoc ;;
    *) echo string ;;
    esac
}

_prependOrAppend() {
    local mode=$1 name=$2
    shift 2
    local kind
    kind=$(_varKind "$name")
    if [ "$kind" = assoc ]; then
        echo "${FUNCNAME[1]}(): ERROR: trying to use ${FUNCNAME[1]} on an associative array." >&2
        return 1
    fi
    local -n ref="$name"
    if [ "$kind" = array ]; then
        if [ "$mode" = prepend ]; then
            ref=("$@" ${ref+"${ref[@]}"})
        else
            ref=(${ref+"${ref[@]}"} "$@")
        fi
    elif [ "$mode" = prepend ]; then
        ref="$* ${ref-}"
    else
        ref="${ref-} $*"
    fi
}
prependToVar() { _prependOrAppend prepend "$@"; }
appendToVar() { _prependOrAppend append "$@"; }

# concatTo TARGET name[=default]…: appends the words of each named variable (array elements,
# or a string split on whitespace) to the array TARGET; the default when the variable is empty.
concatTo() {
    local -
    set -o noglob
    local -n targetref="$1"
    shift
    local arg name default kind
    for arg in "$@"; do
        IFS="=" read -r name default <<<"$arg"
        local -n nameref="$name"
        kind=$(_varKind "$name")
        if [[ -z "${nameref[*]-}" && -n "$default" ]]; then
            targetref+=("$default")
        elif [ "$kind" = array ]; then
            targetref+=(${nameref+"${nameref[@]}"})
        elif [ "$kind" = string ]; then
            # shellcheck disable=SC2206
            targetref+=(${nameref-})
        elif [ "$kind" = assoc ]; then
            echo "concatTo(): ERROR: trying to use concatTo on an associative array." >&2
            return 1
        fi
        unset -n nameref
    done
}

concatStringsSep() {
    local sep=$1 name=$2
    local -a words=()
    case "$(_varKind "$name")" in
    array | string) concatTo words "$name" ;;
    *) return 0 ;;
    esac
    local IFS=""
    local first=1 item out=""
    for item in ${words+"${words[@]}"}; do
        if [ $first = 1 ]; then out=$item; first=0; else out+="$sep$item"; fi
    done
    printf "%s" "$out"
}

isELF() {
    local fn=$1 fd magic
    exec {fd}<"$fn"
    read -r -n 4 -u "$fd" magic
    exec {fd}<&-
    [ "$magic" = $'\177ELF' ]
}

isScript() {
    local fn=$1 fd magic
    exec {fd}<"$fn"
    read -r -n 2 -u "$fd" magic
    exec {fd}<&-
    [[ "$magic" =~ \#! ]]
}

printLines() {
    (($# > 0)) || return 0
    printf '%s\n' "$@"
}

printWords() {
    (($# > 0)) || return 0
    printf '%s ' "$@"
}

getAllOutputNames() {
    echo "$outputs"
}

######################################################################
# Initialisation

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-315532800}
shopt -s nullglob

PATH=
HOST_PATH=
for i in $initialPath; do
    if [ "$i" = / ]; then i=; fi
    addToSearchPath PATH "$i/bin"
    addToSearchPath HOST_PATH "$i/bin"
done
unset i
# nixpkgs also appends /bin, which holds only `sh` in its sandbox. Here /bin is all of the
# host's /usr/bin, so it stays off PATH: a missing input must fail, not find a host tool.
export PATH

if [ -z "${SHELL:-}" ]; then
    echo "SHELL not set" >&2
    exit 1
fi
BASH="$SHELL"
export CONFIG_SHELL="$SHELL"

runHook preHook
runHook addInputsHook

######################################################################
# Inputs: discovery with (host, target) offsets, then activation

pkgsBuildBuild=() pkgsBuildHost=() pkgsBuildTarget=()
pkgsHostHost=() pkgsHostTarget=() pkgsTargetTarget=()

# The bucket holding inputs at offsets ($1, $2), or nothing when they are out of range.
_bucketName() {
    case "$1,$2" in
    -1,-1) echo pkgsBuildBuild ;;
    -1,0) echo pkgsBuildHost ;;
    -1,1) echo pkgsBuildTarget ;;
    0,0) echo pkgsHostHost ;;
    0,1) echo pkgsHostTarget ;;
    1,1) echo pkgsTargetTarget ;;
    esac
}

# The env hook names for a dependency's host offset, in target-offset order.
_envHookNames() {
    case "$1" in
    -1) echo envBuildBuildHook envBuildHostHook envBuildTargetHook ;;
    0) echo envHostHostHook envHostTargetHook ;;
    1) echo envTargetTargetHook ;;
    esac
}

envBuildBuildHooks=() envBuildHostHooks=() envBuildTargetHooks=()
envHostHostHooks=() envHostTargetHooks=() envTargetTargetHooks=()

# addEnvHooks HOSTOFFSET fn…: each fn runs once for every input (see _runEnvHooks).
addEnvHooks() {
    local depHostOffset=$1
    shift
    local hookName
    for hookName in $(_envHookNames "$depHostOffset"); do
        eval "${hookName}s+=(\"\$@\")"
    done
}

# The nix-support files a package propagates through, with their relative offsets.
_propagationFiles=(
    "propagated-build-build-deps -1 -1"
    "propagated-native-build-inputs -1 0"
    "propagated-build-target-deps -1 1"
    "propagated-host-host-deps 0 0"
    "propagated-build-inputs 0 1"
    "propagated-target-target-deps 1 1"
)

# findInputs PKG HOSTOFFSET TARGETOFFSET: records PKG in its bucket (once), then its
# propagated dependencies, depth first with their offsets mapped relative to PKG.
findInputs() {
    local pkg=$1 hostOffset=$2 targetOffset=$3
    local bucket
    bucket=$(_bucketName "$hostOffset" "$targetOffset")
    [ -n "$bucket" ] || return 0
    local -n bucketRef="$bucket"
    local seen
    for seen in ${bucketRef+"${bucketRef[@]}"}; do
        if [ "$seen" = "$pkg" ]; then
            return 0
        fi
    done
    bucketRef+=("$pkg")
    unset -n bucketRef

    if ! [ -e "$pkg" ]; then
        echo "build input $pkg does not exist" >&2
        exit 1
    fi

    local spec file relHost relTarget nextHost nextTarget next
    for spec in "${_propagationFiles[@]}"; do
        read -r file relHost relTarget <<<"$spec"
        [ -f "$pkg/nix-support/$file" ] || continue
        nextHost=$(_mapOffset "$relHost")
        nextTarget=$(_mapOffset "$relTarget")
        ((-1 <= nextHost && nextHost <= 1 && -1 <= nextTarget && nextTarget <= 1)) || continue
        ((nextHost <= nextTarget)) || continue
        for next in $(<"$pkg/nix-support/$file"); do
            findInputs "$next" "$nextHost" "$nextTarget"
        done
    done
}

# A propagated dependency's offset relative to the propagating package: offsets ≤ 0 are
# relative to its host platform, offsets > 0 to its target platform.
_mapOffset() {
    local rel=$1
    if ((rel <= 0)); then
        echo $((rel + hostOffset))
    else
        echo $((rel - 1 + targetOffset))
    fi
}

_discoverInputs() {
    local pkg
    for pkg in ${depsBuildBuild-} ${depsBuildBuildPropagated-}; do findInputs "$pkg" -1 -1; done
    for pkg in ${nativeBuildInputs-} ${propagatedNativeBuildInputs-}; do findInputs "$pkg" -1 0; done
    for pkg in ${depsBuildTarget-} ${depsBuildTargetPropagated-}; do findInputs "$pkg" -1 1; done
    for pkg in ${depsHostHost-} ${depsHostHostPropagated-}; do findInputs "$pkg" 0 0; done
    for pkg in ${buildInputs-} ${propagatedBuildInputs-}; do findInputs "$pkg" 0 1; done
    for pkg in ${depsTargetTarget-} ${depsTargetTargetPropagated-}; do findInputs "$pkg" 1 1; done
    # stdenv's own inputs come last, after the user's.
    for pkg in ${defaultNativeBuildInputs-}; do findInputs "$pkg" -1 0; done
    for pkg in ${defaultBuildInputs-}; do findInputs "$pkg" 0 1; done
}

# activatePackage PKG HOSTOFFSET TARGETOFFSET: a regular file is sourced (a bare hook);
# bin/ goes on PATH; nix-support/setup-hook is sourced with the offsets visible.
activatePackage() {
    local pkg=$1
    local hostOffset=$2 targetOffset=$3
    if [ -f "$pkg" ]; then
        # shellcheck disable=SC1090
        source "$pkg"
    fi
    if [[ -z "${strictDeps-}" || "$hostOffset" -le -1 ]]; then
        addToSearchPath _PATH "$pkg/bin"
    fi
    if ((hostOffset <= -1)); then
        addToSearchPath _XDG_DATA_DIRS "$pkg/share"
    fi
    if [[ "$hostOffset" -eq 0 && -d "$pkg/bin" ]]; then
        addToSearchPath _HOST_PATH "$pkg/bin"
    fi
    if [ -f "$pkg/nix-support/setup-hook" ]; then
        # shellcheck disable=SC1091
        source "$pkg/nix-support/setup-hook"
    fi
}

_activatePkgs() {
    local host target bucket pkg
    for host in -1 0 1; do
        for target in -1 0 1; do
            ((host <= target)) || continue
            bucket=$(_bucketName "$host" "$target")
            local -n bucketRef="$bucket"
            for pkg in ${bucketRef+"${bucketRef[@]}"}; do
                activatePackage "$pkg" "$host" "$target"
            done
            unset -n bucketRef
        done
    done
}

# Each env hook runs once per input: for every input when strictDeps is off, else for the
# inputs in its own bucket.
_runEnvHooks() {
    local host target hookName bucket pkg i=0
    local names
    for host in -1 0 1; do
        read -ra names <<<"$(_envHookNames "$host")"
        i=0
        for target in -1 0 1; do
            ((host <= target)) || continue
            hookName=${names[$i]}
            i=$((i + 1))
            if [ -z "${strictDeps-}" ]; then
                local visited=" "
                for pkg in ${pkgsBuildBuild+"${pkgsBuildBuild[@]}"} ${pkgsBuildHost+"${pkgsBuildHost[@]}"} \
                    ${pkgsBuildTarget+"${pkgsBuildTarget[@]}"} ${pkgsHostHost+"${pkgsHostHost[@]}"} \
                    ${pkgsHostTarget+"${pkgsHostTarget[@]}"} ${pkgsTargetTarget+"${pkgsTargetTarget[@]}"}; do
                    [[ "$visited" == *" $pkg "* ]] && continue
                    runHook "$hookName" "$pkg"
                    visited+="$pkg "
                done
            else
                bucket=$(_bucketName "$host" "$target")
                local -n bucketRef="$bucket"
                for pkg in ${bucketRef+"${bucketRef[@]}"}; do
                    runHook "$hookName" "$pkg"
                done
                unset -n bucketRef
            fi
        done
    done
}

_PATH=
_HOST_PATH=
_XDG_DATA_DIRS=
_discoverInputs
_activatePkgs
_runEnvHooks

export TZ=UTC
if [ -z "${prefix:-}" ]; then
    prefix="$out"
fi

PATH="${_PATH-}${_PATH:+${PATH:+:}}$PATH"
HOST_PATH="${_HOST_PATH-}${_HOST_PATH:+${HOST_PATH:+:}}$HOST_PATH"
export XDG_DATA_DIRS="${_XDG_DATA_DIRS-}${_XDG_DATA_DIRS:+${XDG_DATA_DIRS:+:}}${XDG_DATA_DIRS-}"
unset _PATH _HOST_PATH _XDG_DATA_DIRS

if [ -z "${NIX_BUILD_CORES:-}" ]; then
    NIX_BUILD_CORES=1
elif [ "$NIX_BUILD_CORES" -le 0 ]; then
    NIX_BUILD_CORES=$(nproc 2>/dev/null || true)
    NIX_BUILD_CORES=${NIX_BUILD_CORES:-1}
fi
export NIX_BUILD_CORES

export NIX_SSL_CERT_FILE="${NIX_SSL_CERT_FILE:-/no-cert-file.crt}"
export SSL_CERT_FILE="${SSL_CERT_FILE:-/no-cert-file.crt}"

######################################################################
# Defined only now (nixpkgs does the same): substitute family, unpacking, phases.

substitute() {
    local input=$1 output=$2
    shift 2
    if [ ! -f "$input" ]; then
        echo "substitute(): ERROR: file '$input' does not exist" >&2
        return 1
    fi
    if ! LC_ALL=C tr -d '\000' <"$input" | cmp -s - "$input"; then
        echo "substitute(): ERROR: file '$input' contains null bytes" >&2
        return 1
    fi
    # The trailing x keeps trailing newlines through the command substitution.
    local content
    content=$(
        cat "$input"
        printf x
    )
    content=${content%x}

    local replace pattern replacement varName savedContent
    while (($# > 0)); do
        case "$1" in
        --replace-fail | --replace-warn | --replace-quiet | --replace)
            replace=$1
            pattern=$2
            replacement=$3
            shift 3
            if [ "$replace" = --replace ]; then
                echo "substitute(): WARNING: '--replace' is deprecated, use --replace-{fail,warn,quiet}. ($input)" >&2
                replace=--replace-warn
            fi
            savedContent=$content
            content=${content//"$pattern"/"$replacement"}
            if [ "$pattern" != "$replacement" ] && [ "$savedContent" == "$content" ]; then
                case "$replace" in
                --replace-fail)
                    echo "substitute(): ERROR: pattern $pattern doesn't match anything in file '$input'" >&2
                    return 1
                    ;;
                --replace-warn)
                    echo "substitute(): WARNING: pattern $pattern doesn't match anything in file '$input'" >&2
                    ;;
                esac
            fi
            ;;
        --subst-var)
            varName=$2
            shift 2
            if ! [[ "$varName" =~ ^[a-zA-Z_][a-zA-Z0-9_]*$ ]]; then
                echo "substitute(): ERROR: substitution variables must be valid Bash names, \"$varName\" isn't." >&2
                return 1
            fi
            if [ -z "${!varName+x}" ]; then
                echo "substitute(): ERROR: variable \$$varName is unset" >&2
                return 1
            fi
            content=${content//"@$varName@"/"${!varName}"}
            ;;
        --subst-var-by)
            content=${content//"@$2@"/"$3"}
            shift 3
            ;;
        *)
            echo "substitute(): ERROR: Invalid command line argument: $1" >&2
            return 1
            ;;
        esac
    done

    if [ -e "$output" ]; then chmod +w "$output"; fi
    printf "%s" "$content" >"$output"
}

substituteInPlace() {
    local -a fileNames=()
    for arg in "$@"; do
        if [[ "$arg" = "--"* ]]; then
            break
        fi
        fileNames+=("$arg")
        shift
    done
    if [ ${#fileNames[@]} -eq 0 ]; then
        echo "substituteInPlace called without any files to operate on (files must come before options!)" >&2
        return 1
    fi
    local file
    for file in "${fileNames[@]}"; do
        substitute "$file" "$file" "$@"
    done
}

# Every exported variable with a lower-case first letter replaces its @name@.
_allFlags() {
    local varName
    substituteAllFlags=()
    for varName in $(awk 'BEGIN { for (v in ENVIRON) if (v ~ /^[a-z][a-zA-Z0-9_]*$/) print v }'); do
        substituteAllFlags+=(--subst-var "$varName")
    done
}

substituteAll() {
    local input=$1 output=$2
    local -a substituteAllFlags
    _allFlags
    substitute "$input" "$output" ${substituteAllFlags+"${substituteAllFlags[@]}"}
}

substituteAllInPlace() {
    local fileName=$1
    shift
    substituteAll "$fileName" "$fileName" "$@"
}

dumpVars() {
    if [ -z "${noDumpEnvVars:-}" ]; then
        export 2>/dev/null >|"$NIX_BUILD_TOP/env-vars" || true
    fi
}

# The name of a store path without its hash.
stripHash() {
    local strippedName casematchOpt=0
    strippedName="$(basename -- "$1")"
    shopt -q nocasematch && casematchOpt=1
    shopt -u nocasematch
    if [[ "$strippedName" =~ ^[a-z0-9]{32}- ]]; then
        echo "${strippedName:33}"
    else
        echo "$strippedName"
    fi
    if ((casematchOpt)); then shopt -s nocasematch; fi
}

recordPropagatedDependencies() {
    local -a files=(
        "depsBuildBuildPropagated propagated-build-build-deps"
        "propagatedNativeBuildInputs propagated-native-build-inputs"
        "depsBuildTargetPropagated propagated-build-target-deps"
        "depsHostHostPropagated propagated-host-host-deps"
        "propagatedBuildInputs propagated-build-inputs"
        "depsTargetTargetPropagated propagated-target-target-deps"
    )
    local entry var file
    for entry in "${files[@]}"; do
        read -r var file <<<"$entry"
        local -a words=()
        concatTo words "$var"
        if [ ${#words[@]} -gt 0 ]; then
            mkdir -p "${!outputDev}/nix-support"
            printWords "${words[@]}" >"${!outputDev}/nix-support/$file"
        fi
    done
}

unpackCmdHooks+=(_defaultUnpack)
_defaultUnpack() {
    local fn=$1
    local destination
    if [ -d "$fn" ]; then
        destination="$(stripHash "$fn")"
        if [ -e "$destination" ]; then
            echo "Cannot copy $fn to $destination: destination already exists!" >&2
            echo "Did you specify two \"srcs\" with the same \"name\"?" >&2
            return 1
        fi
        cp -r --preserve=mode,timestamps --reflink=auto -- "$fn" "$destination"
    else
        case "$fn" in
        *.tar.xz | *.tar.lzma | *.txz)
            (
                XZ_OPT="--threads=$NIX_BUILD_CORES" xz -d <"$fn"
                true
            ) | tar xf - --mode=+w --warning=no-timestamp
            ;;
        *.tar | *.tar.* | *.tgz | *.tbz2 | *.tbz)
            tar xf "$fn" --mode=+w --warning=no-timestamp
            ;;
        *)
            return 1
            ;;
        esac
    fi
}

unpackFile() {
    curSrc="$1"
    echo "unpacking source archive $curSrc"
    if ! runOneHook unpackCmd "$curSrc"; then
        echo "do not know how to unpack source archive $curSrc" >&2
        exit 1
    fi
}

unpackPhase() {
    runHook preUnpack

    local -a srcsArray=()
    if [ -n "${srcs:-}" ]; then
        concatTo srcsArray srcs
    elif [ -n "${src:-}" ]; then
        srcsArray=("$src")
    else
        echo 'variable $src or $srcs should point to the source' >&2
        exit 1
    fi

    local dirsBefore=""
    for i in *; do
        if [ -d "$i" ]; then
            dirsBefore="$dirsBefore $i "
        fi
    done

    for i in "${srcsArray[@]}"; do
        unpackFile "$i"
    done

    : "${sourceRoot=}"
    if [ -n "${setSourceRoot:-}" ]; then
        runOneHook setSourceRoot
    elif [ -z "$sourceRoot" ]; then
        for i in *; do
            if [ -d "$i" ]; then
                case $dirsBefore in
                *\ $i\ *) ;;
                *)
                    if [ -n "$sourceRoot" ]; then
                        echo "unpacker produced multiple directories" >&2
                        exit 1
                    fi
                    sourceRoot="$i"
                    ;;
                esac
            fi
        done
    fi

    if [ -z "$sourceRoot" ]; then
        echo "unpacker appears to have produced no directories" >&2
        exit 1
    fi

    echo "source root is $sourceRoot"

    if [ "${dontMakeSourcesWritable:-0}" != 1 ]; then
        chmod -R u+w -- "$sourceRoot"
    fi

    runHook postUnpack
}

patchPhase() {
    runHook prePatch

    local -a patchesArray=()
    concatTo patchesArray patches
    local -a flagsArray=()
    concatTo flagsArray patchFlags=-p1

    local i uncompress
    for i in ${patchesArray+"${patchesArray[@]}"}; do
        echo "applying patch $i"
        uncompress=cat
        case "$i" in
        *.gz) uncompress="gzip -d" ;;
        *.bz2) uncompress="bzip2 -d" ;;
        *.xz) uncompress="xz -d" ;;
        *.lzma) uncompress="lzma -d" ;;
        esac
        # shellcheck disable=SC2086
        $uncompress <"$i" 2>&1 | patch "${flagsArray[@]}"
    done

    runHook postPatch
}

configurePhase() {
    runHook preConfigure
    : "${configureScript=}"
    if [[ -z "$configureScript" && -x ./configure ]]; then
        configureScript=./configure
    fi
    if [ -n "$configureScript" ]; then
        local -a flagsArray=()
        if [ -z "${dontAddPrefix:-}" ]; then
            flagsArray+=("${prefixKey:---prefix=}$prefix")
        fi
        concatTo flagsArray configureFlags configureFlagsArray
        echoCmd 'configure flags' "${flagsArray[@]}"
        # shellcheck disable=SC2086
        $configureScript "${flagsArray[@]}"
    else
        echo "no configure script, doing nothing"
    fi
    runHook postConfigure
}

_makeFlagsArray() {
    flagsArray=()
    if [ -n "${enableParallelBuilding-}" ]; then
        flagsArray+=(-j"${NIX_BUILD_CORES}")
    fi
    flagsArray+=(SHELL="$SHELL")
    concatTo flagsArray makeFlags makeFlagsArray "$@"
}

_hasMakefile() {
    [[ -n "${makeFlags-}" || -n "${makefile:-}" || -e Makefile || -e makefile || -e GNUmakefile ]]
}

# The make-driven default phases: $1 names the phase in messages, the rest are concatTo
# specifications of the flags.
_runMakePhase() {
    local what=$1
    shift
    if ! _hasMakefile; then
        echo "no Makefile or custom ${what}Phase, doing nothing"
        return 0
    fi
    local -a flagsArray
    _makeFlagsArray "$@"
    echoCmd "$what flags" "${flagsArray[@]}"
    make ${makefile:+-f $makefile} "${flagsArray[@]}"
}

buildPhase() {
    runHook preBuild
    _runMakePhase build buildFlags buildFlagsArray
    runHook postBuild
}

checkPhase() {
    runHook preCheck
    _runMakePhase check checkFlags=VERBOSE=y checkFlagsArray checkTarget=check
    runHook postCheck
}

installPhase() {
    runHook preInstall
    if _hasMakefile; then
        mkdir -p "$prefix"
    fi
    _runMakePhase install installFlags installFlagsArray installTargets=install
    runHook postInstall
}

fixupPhase() {
    local output
    for output in $(getAllOutputNames); do
        if [ -e "${!output}" ]; then chmod -R u+w,u-s,g-s "${!output}"; fi
    done

    runHook preFixup

    for output in $(getAllOutputNames); do
        prefix="${!output}" runHook fixupOutput
    done

    recordPropagatedDependencies

    if [ -n "${setupHook:-}" ]; then
        mkdir -p "${!outputDev}/nix-support"
        substituteAll "$setupHook" "${!outputDev}/nix-support/setup-hook"
    fi
    if [ -n "${setupHooks:-}" ]; then
        mkdir -p "${!outputDev}/nix-support"
        local hook
        for hook in ${setupHooks[@]}; do
            substituteAll "$hook" "$NIX_BUILD_TOP/.setup-hook-part"
            cat "$NIX_BUILD_TOP/.setup-hook-part" >>"${!outputDev}/nix-support/setup-hook"
            rm "$NIX_BUILD_TOP/.setup-hook-part"
        done
    fi

    runHook postFixup
}

installCheckPhase() {
    runHook preInstallCheck
    _runMakePhase installCheck installCheckFlags installCheckFlagsArray installCheckTarget=installcheck
    runHook postInstallCheck
}

distPhase() {
    runHook preDist
    runHook postDist
}

showPhaseHeader() {
    echo "Running phase: $1"
}

showPhaseFooter() {
    :
}

# Whether phase $1 is switched off by its variable.
_phaseDisabled() {
    case "$1" in
    unpackPhase) [ -n "${dontUnpack:-}" ] ;;
    patchPhase) [ -n "${dontPatch:-}" ] ;;
    configurePhase) [ -n "${dontConfigure:-}" ] ;;
    buildPhase) [ -n "${dontBuild:-}" ] ;;
    checkPhase) [ -z "${doCheck:-}" ] ;;
    installPhase) [ -n "${dontInstall:-}" ] ;;
    fixupPhase) [ -n "${dontFixup:-}" ] ;;
    installCheckPhase) [ -z "${doInstallCheck:-}" ] ;;
    distPhase) [ -z "${doDist:-}" ] ;;
    *) return 1 ;;
    esac
}

runPhase() {
    local curPhase=$*
    if _phaseDisabled "$curPhase"; then
        return
    fi
    showPhaseHeader "$curPhase"
    dumpVars
    # The variable when set and non-empty (a user's phase), else the function.
    eval "${!curPhase:-$curPhase}"
    if [ "$curPhase" = unpackPhase ]; then
        [ -n "${sourceRoot:-}" ] && chmod +x -- "${sourceRoot}"
        cd -- "${sourceRoot:-.}"
    fi
    showPhaseFooter "$curPhase"
}

genericBuild() {
    export GZIP_NO_TIMESTAMPS=1

    if [ -f "${buildCommandPath:-}" ]; then
        # shellcheck disable=SC1090
        source "$buildCommandPath"
        return
    fi
    if [ -n "${buildCommand:-}" ]; then
        eval "$buildCommand"
        return
    fi

    local -a phasesArray=()
    if [ -z "${phases[*]:-}" ]; then
        # shellcheck disable=SC2206
        phasesArray=(${prePhases[*]:-} unpackPhase patchPhase ${preConfigurePhases[*]:-}
            configurePhase ${preBuildPhases[*]:-} buildPhase checkPhase
            ${preInstallPhases[*]:-} installPhase ${preFixupPhases[*]:-} fixupPhase
            installCheckPhase ${preDistPhases[*]:-} distPhase ${postPhases[*]:-})
    else
        concatTo phasesArray phases
    fi

    local curPhase
    for curPhase in "${phasesArray[@]}"; do
        runPhase "$curPhase"
    done
}

runHook postHook
runHook userHook
dumpVars

# During phases: errexit, pipefail, inherit_errexit and nullglob stay on; nounset is off.
set +u
