# shellcheck shell=bash
# Prepares this machine for gantry's Nix builds and exports the offline settings.
#
# Source it (`. ci/setup-nix.sh`): it installs Debian's nix-bin and the host tools the
# offline nixpkgs stand-in (checks/offline-pkgs) is built from when they are missing,
# then exports NIX_CONFIG:
#   - no substituters and an empty flake registry: nothing is fetched from a cache or GitHub;
#   - flakes and nix-command on; builds as the calling user (`build-users-group =`);
#   - the sandbox on, with the host directories the stand-in links to bind-mounted read-only.
# The rustup toolchain is discovered (never hard-coded) and recorded, with its version, in
# checks/offline-pkgs/host.nix (git-ignored), which the stand-in reads to copy the toolchain
# into the store. If a probe build shows the sandbox cannot work here, the sandbox is turned
# off and a warning says so loudly.

gantry_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

gantry_die() { echo "setup-nix: error: $*" >&2; return 1; }

# Debian packages whose binaries the stand-in exposes (see checks/offline-pkgs/host-tools.nix)
# or the benchmarks use (curl, GNU time).
gantry_host_packages=(nix-bin git jq zstd rsync patch file xz-utils bzip2 gzip pkg-config gcc
  g++ make gawk sed grep findutils diffutils binutils tar coreutils zlib1g-dev curl time)

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
  local host=$gantry_root/checks/offline-pkgs/host.nix
  mkdir -p "${host%/*}"
  local want
  want=$(printf '# Written by ci/setup-nix.sh for this machine; not tracked by git.\n{\n  rustSysroot = "%s";\n  rustVersion = "%s";\n  rustComponents = "%s";\n  checkTools = {%s\n  };\n}\n' \
    "$gantry_rust_sysroot" "$gantry_rust_version" "$gantry_rust_components" "$tools")
  [ "$(cat "$host" 2>/dev/null)" = "$want" ] || printf '%s\n' "$want" >"$host"
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
extra-sandbox-paths = /bin /usr /lib /lib64 /etc/ssl $gantry_rust_sysroot $gantry_fixtures ${gantry_tools_dirs-}
max-jobs = auto
cores = 0
warn-dirty = false
connect-timeout = 10
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
  command -v nix >/dev/null || gantry_die "nix is still missing after installing nix-bin" || return 1
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
  gantry_export_nix_config true
  if ! gantry_probe_sandbox; then
    gantry_export_nix_config false
    cat >&2 <<'WARN'
##########################################################################
## setup-nix: WARNING: the Nix sandbox does not work on this machine.   ##
## Builds run WITHOUT the sandbox: host files and the network are       ##
## visible to builders, and the build dir is not /build.                ##
##########################################################################
WARN
  fi
  export GANTRY_SANDBOX=${NIX_CONFIG#*sandbox = }
  GANTRY_SANDBOX=${GANTRY_SANDBOX%%$'\n'*}
}

gantry_setup_nix
