# shellcheck shell=bash
# Prepares this machine for gantry's Nix builds and exports the offline settings.
#
# Source it (`. ci/setup-nix.sh`) at the top of a script, before anything that uses its
# arguments: it installs the host tools the offline nixpkgs stand-in (checks/offline-pkgs) is
# built from when they are missing, installs a current Nix from Debian's packages into a
# private prefix (ci/install-nix.sh: trixie's by default, GANTRY_NIX_SUITE=sid for the
# newest), and then runs the sourcing script again inside a private mount namespace (root
# only) in which:
#   - /nix is that Nix's own store ($GANTRY_NIX_HOME/store-<suite>); the host's /nix, if
#     any, is hidden, and the host keeps its libc, apt state and files;
#   - the host directories builds may read (/bin /usr /lib /lib64, the rustup toolchain, the
#     check tools, the vendoring fixtures, the CA bundle) are mounted read-only under a
#     private tmpfs, and only those read-only views are bind-mounted into the sandbox: a
#     build can never write to a host file.
# Then it exports NIX_CONFIG:
#   - no substituters and an empty flake registry: nothing is fetched from a cache or GitHub;
#   - flakes and nix-command on; builds as the calling user (`build-users-group =`);
#   - the sandbox on (an error if a probe build shows it cannot work here, unless
#     GANTRY_ALLOW_NO_SANDBOX=1), every sandbox path given explicitly (`sandbox-paths`,
#     replacing Debian's compiled-in /bin/sh default), the CA bundle from its read-only view.
# GANTRY_EXTRA_NIX_CONFIG is appended last (its settings win), e.g. substituters when
# running against real nixpkgs (checks/offline-pkgs/README.md).
# The rustup toolchain is discovered (never hard-coded) and recorded, with its version, in
# checks/offline-pkgs/host.nix (git-ignored), which the stand-in reads to copy the toolchain
# into the store.

gantry_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

gantry_die() { echo "setup-nix: error: $*" >&2; return 1; }

# Debian packages whose binaries the stand-in exposes (see checks/offline-pkgs/host-tools.nix)
# or the benchmarks use (curl, GNU time); then binaryen (wasm-opt, for trunk); the second
# line: the C libraries of the stand-in's zlib, openssl, curl, libgit2 and sqlite
# (checks/offline-pkgs/host-libraries.nix); the last lines: the cross C compilers, sysroot and
# emulators of the stand-in's pkgsCross (aarch64, musl, Windows through MinGW; wine64 is about
# 100 MiB from Debian, 14 s to install).
gantry_host_packages=(git jq zstd rsync patch file xz-utils bzip2 gzip pkg-config gcc
  g++ make gawk sed grep findutils diffutils binutils tar coreutils curl time binaryen
  zlib1g-dev libssl-dev openssl libcurl4-openssl-dev libgit2-dev libsqlite3-dev sqlite3
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross musl-tools qemu-user
  gcc-mingw-w64-x86-64 wine64)

gantry_install_host_packages() {
  local missing=() p
  for p in "${gantry_host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup-nix: installing Debian packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >&2 || gantry_die "apt-get update failed" || return 1
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2 || gantry_die "apt-get install ${missing[*]} failed" || return 1
}

# The nightly toolchain, as a host.nix entry (empty without one: its checks are skipped).
gantry_discover_nightly() {
  gantry_rust_nightly_sysroot=
  gantry_rust_nightly=
  gantry_rust_nightly_sysroot=$(rustc +nightly --print sysroot 2>/dev/null) || return 0
  local version components
  # "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)" gives 1.97.0-nightly-2026-05-19.
  version=$(rustc +nightly --version | awk '{sub(/\)$/, "", $4); print $2 "-" $4}')
  components=$(cd "$gantry_rust_nightly_sysroot" && ls bin lib/rustlib lib/rustlib/*/bin 2>/dev/null | sort | sha256sum | cut -c1-16)
  gantry_rust_nightly=$(printf '\n  rustNightly = {\n    sysroot = "%s";\n    version = "%s";\n    components = "%s";\n  };' \
    "$gantry_rust_nightly_sysroot" "$version" "$components")
}

# The rustup toolchain the stand-in's cargo/rustc/clippy/rustfmt come from.
gantry_discover_toolchain() {
  command -v rustc >/dev/null || gantry_die "rustc not found: install Rust with rustup" || return 1
  gantry_rust_sysroot=$(rustc --print sysroot) || return 1
  gantry_rust_version=$(rustc --version | awk '{print $2}')
  local f
  for f in rustc cargo rustdoc clippy-driver cargo-clippy rustfmt cargo-fmt; do
    [ -x "$gantry_rust_sysroot/bin/$f" ] ||
      gantry_die "$gantry_rust_sysroot/bin/$f is missing: run 'rustup component add clippy rustfmt'" ||
      return 1
  done
  # What the toolchain holds (its programs, llvm-tools included): a new component gives the
  # stand-in's copy of the toolchain a new store path.
  gantry_rust_components=$(cd "$gantry_rust_sysroot" && ls bin lib/rustlib/*/bin 2>/dev/null | sort | sha256sum | cut -c1-16)
  # Check tools installed by ci/install-tools.sh (cargo-nextest, cargo-audit, …), if any.
  gantry_tools_cache=${GANTRY_TOOLS_CACHE:-$HOME/.cache/gantry-tools}
  # Each as "<crate>-<version>" = "<directory holding its programs>".
  local tools="" marker dir
  for marker in "$gantry_tools_cache"/*/.installed; do
    [ -e "$marker" ] || continue
    dir=${marker%/.installed}
    tools+=$(printf '\n    "%s" = "%s/bin";' "${dir##*/}" "$dir")
  done
  # cargo-nextest comes with this kind of machine.
  if [ -x /usr/local/bin/cargo-nextest ]; then
    tools+=$(printf '\n    "cargo-nextest-%s" = "/usr/local/bin";' "$(/usr/local/bin/cargo-nextest --version | awk 'NR == 1 {print $2}')")
  fi
  gantry_discover_nightly
  local host=$gantry_root/checks/offline-pkgs/host.nix
  mkdir -p "${host%/*}"
  local want
  want=$(printf '# Written by ci/setup-nix.sh for this machine; not tracked by git.\n{\n  rustSysroot = "%s";\n  rustVersion = "%s";\n  rustComponents = "%s";%s\n  checkTools = {%s\n  };\n}\n' \
    "$gantry_rust_sysroot" "$gantry_rust_version" "$gantry_rust_components" "$gantry_rust_nightly" "$tools")
  [ "$(cat "$host" 2>/dev/null)" = "$want" ] || printf '%s\n' "$want" >"$host"
}

# gantry_enter_nix_namespace SCRIPT ARGS...: runs the sourcing script again in a private
# mount namespace where /nix is the private Nix's store, unless this process is in one
# already (the store's marker is at /nix). Private propagation: nothing mounted here is seen
# by the host.
gantry_enter_nix_namespace() {
  gantry_nix_store=$gantry_nix_home/store-$gantry_nix_suite
  [ "$(cat /nix/.gantry-store 2>/dev/null)" = "$gantry_nix_store" ] && return 0
  [ "$(id -u)" -eq 0 ] ||
    gantry_die "gantry's Nix runs in a private mount namespace, which needs root (unshare --mount)" || return 1
  mkdir -p "$gantry_nix_store"
  echo "$gantry_nix_store" >"$gantry_nix_store/.gantry-store"
  # The mount point; the one change made outside the cache directory, and only when the
  # host has no /nix (a host Nix's /nix is hidden inside the namespace, never changed).
  [ -d /nix ] || mkdir /nix
  export GANTRY_NIX_PREFIX=$gantry_nix_prefix
  # shellcheck disable=SC2016
  exec unshare --mount --propagation private -- \
    "$BASH" -c 'mount --bind "$1" /nix && shift && exec "$@"' gantry-nix "$gantry_nix_store" \
    "$BASH" "$@"
}

# The host paths builds may read, as "<path in the sandbox>=<read-only view>" entries of
# sandbox-paths. Each view is a read-only bind mount on a tmpfs private to the namespace, so
# the sandbox's own (read-write) bind mounts of them cannot write to the host. Made once per
# namespace.
gantry_stage_sandbox_paths() {
  local views=$gantry_nix_home/sandbox-views path view
  gantry_sandbox_paths=
  mkdir -p "$views"
  if [ ! -e "$views/.staged" ]; then
    mount -t tmpfs -o mode=0755 gantry-sandbox-views "$views" || return 1
    touch "$views/.staged"
  fi
  for path in /bin /usr /lib /lib64 /etc/ssl/certs/ca-certificates.crt "$gantry_rust_sysroot" \
    $gantry_rust_nightly_sysroot "$gantry_fixtures" $gantry_tools_dirs; do
    view=$views/ro$path
    if ! mountpoint -q "$view" 2>/dev/null; then
      if [ -d "$path" ]; then mkdir -p "$view"; else mkdir -p "${view%/*}" && : >"$view"; fi
      mount --bind "$path" "$view" && mount -o remount,bind,ro "$view" ||
        gantry_die "could not mount $path read-only at $view" || return 1
    fi
    gantry_sandbox_paths+="$path=$view "
  done
  gantry_ca_file=$views/ro/etc/ssl/certs/ca-certificates.crt
}

gantry_export_nix_config() {
  local sandbox=$1
  NIX_CONFIG=$(cat <<CONF
experimental-features = nix-command flakes
substituters =
flake-registry = $gantry_root/ci/flake-registry.json
build-users-group =
sandbox = $sandbox
sandbox-fallback = false
sandbox-paths = $gantry_sandbox_paths
ssl-cert-file = $gantry_ca_file
max-jobs = auto
cores = 0
warn-dirty = false
connect-timeout = 10
${GANTRY_EXTRA_NIX_CONFIG-}
CONF
)
  export NIX_CONFIG
}

# A derivation that runs a host tool inside the sandbox: proves the bind mounts work.
gantry_probe_sandbox() {
  nix-build --no-out-link --quiet -E "derivation {
      name = \"gantry-sandbox-probe\";
      system = builtins.currentSystem;
      builder = \"/bin/sh\";
      args = [ \"-c\" \"/usr/bin/test -x $gantry_rust_sysroot/bin/rustc && echo ok > \$out\" ];
      nonce = \"$(date +%s%N)\";
    }" >/dev/null 2>&1
}

gantry_setup_nix() {
  gantry_install_host_packages || return 1
  bash "$gantry_root/ci/install-rust.sh" || gantry_die "ci/install-rust.sh failed" || return 1
  gantry_nix_suite=${GANTRY_NIX_SUITE:-trixie}
  gantry_nix_home=${GANTRY_NIX_HOME:-$HOME/.cache/gantry-nix}
  gantry_nix_prefix=${GANTRY_NIX_PREFIX:-$(bash "$gantry_root/ci/install-nix.sh")} ||
    gantry_die "ci/install-nix.sh failed" || return 1
  gantry_enter_nix_namespace "$@" || return 1
  # From here on: inside the namespace, /nix is the private store.
  export PATH=$gantry_nix_prefix/bin:$PATH
  export NIX_CONF_DIR=$gantry_nix_prefix/etc/nix NIX_USER_CONF_FILES=$gantry_nix_prefix/etc/nix/nix.conf
  unset NIX_REMOTE
  echo "setup-nix: $(nix --version) (Debian $gantry_nix_suite), store $gantry_nix_home/store-$gantry_nix_suite on /nix" >&2
  gantry_discover_toolchain || return 1
  # Only the tools' own directories: the shared build directory next to them stays out.
  gantry_tools_dirs=
  local marker
  for marker in "$gantry_tools_cache"/*/.installed; do
    if [ -e "$marker" ]; then gantry_tools_dirs+="${marker%/.installed} "; fi
  done
  # The vendoring checks' git repositories and registry, served from a fixed place through
  # file:// URLs (fixed-output fetches read them inside the sandbox).
  gantry_fixtures=/tmp/gantry-fixtures
  bash "$gantry_root/checks/fixtures/serve.sh" >&2 || gantry_die "checks/fixtures/serve.sh failed" || return 1
  gantry_stage_sandbox_paths || return 1
  gantry_export_nix_config true
  if ! gantry_probe_sandbox; then
    [ "${GANTRY_ALLOW_NO_SANDBOX-}" = 1 ] ||
      gantry_die "the Nix sandbox does not work on this machine (probe build failed; rerun it with: nix-build -E ... from gantry_probe_sandbox in ci/setup-nix.sh); GANTRY_ALLOW_NO_SANDBOX=1 builds without it" ||
      return 1
    gantry_export_nix_config false
    cat >&2 <<'WARN'
##########################################################################
## setup-nix: WARNING: the Nix sandbox is OFF (GANTRY_ALLOW_NO_SANDBOX). ##
## Host files and the network are visible to builders, and the build    ##
## dir is not /build.                                                   ##
##########################################################################
WARN
  fi
}

gantry_setup_nix "$0" "$@" || return 1 2>/dev/null || exit 1
