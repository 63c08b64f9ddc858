# shellcheck shell=bash
# crane's installFromCargoBuildLogHook. `installFromCargoBuildLog [DEST] [LOG]` installs the
# binaries (bin/) and cdylib/dylib/staticlib libraries (lib/) that cargo's JSON build log
# ($cargoBuildLog) names for workspace members (the helper asks `cargo metadata` which they
# are); test-profile artifacts are skipped.
# Right after the build (postBuild), what $cargoBuildLog names is installed into
# $postBuildInstallFromCargoBuildLogOut, so a later `cargo test` cannot replace it before the
# install phase copies it to $out; doNotPostBuildInstallCargoBinaries turns that off.

installFromCargoBuildLog() {
    local dest=${1:-$out}
    local log=${2:-${cargoBuildLog-}}
    if [ -z "$log" ] || [ ! -f "$log" ]; then
        echo "installFromCargoBuildLog: no cargo build log at '$log': give the file cargo's --message-format json-render-diagnostics output went to" >&2
        return 1
    fi
    echo "installing binaries and libraries named in $log to $dest"
    @gantry@ install-from-log "$log" "$dest"
}

postBuildInstallFromCargoBuildLog() {
    if [ -z "${cargoBuildLog-}" ] || [ ! -f "$cargoBuildLog" ]; then
        cat >&2 <<'MESSAGE'
gantry: $cargoBuildLog is unset or names no file, so there is no cargo build log to install
binaries and libraries from. With a buildPhaseCargoCommand of your own, either write cargo's
messages to it:
    cargoBuildLog=$(mktemp cargoBuildLogXXXX.json)
    cargoWithProfile build --message-format json-render-diagnostics >"$cargoBuildLog"
or set doNotPostBuildInstallCargoBinaries = true and install in installPhaseCommand.
MESSAGE
        return 1
    fi
    mkdir -p "$postBuildInstallFromCargoBuildLogOut"
    installFromCargoBuildLog "$postBuildInstallFromCargoBuildLogOut" "$cargoBuildLog"
}

if [ -z "${doNotPostBuildInstallCargoBinaries-}" ]; then
    # Created when the build installs into it, not here: a dev shell sources this hook too.
    postBuildInstallFromCargoBuildLogOut=${NIX_BUILD_TOP:-${TMPDIR:-/tmp}}/postBuildInstallFromCargoBuildLogOut
    postBuildHooks+=(postBuildInstallFromCargoBuildLog)
fi
