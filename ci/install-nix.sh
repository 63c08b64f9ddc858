#!/usr/bin/env bash
# Installs a current Nix from Debian's packages into a private prefix, without touching the
# host's libc, apt state or any other host file, and prints the prefix on standard output.
#
#   GANTRY_NIX_SUITE    Debian suite to take nix-bin from: trixie (default) or sid (or
#                       bookworm, whose Nix 2.8 is too old for gantry: for that test only)
#   GANTRY_NIX_VERSION  the nix-bin version; default: trixie's 2.26.3+dfsg-1, sid's newest;
#                       empty: the suite's newest
#   GANTRY_NIX_HOME     where prefixes and stores live (default ~/.cache/gantry-nix)
#
# How: apt-get with a private state (its own sources list for the suite, package lists,
# download cache and an empty dpkg status, so it resolves the whole closure, libc included)
# downloads nix-bin and patchelf; `dpkg-deb -x` unpacks every package into the prefix; the
# `nix` binary is pointed at the prefix's own dynamic loader and libraries with patchelf (run
# through that loader too). Nothing is installed on the host: the result is
# $prefix/bin/{nix,nix-build,…}, which ci/setup-nix.sh runs in a private mount namespace
# with this suite's store ($GANTRY_NIX_HOME/store-<suite>) bind-mounted on /nix.
# About 40 MB downloaded and 10 s the first time; nothing afterwards.
set -euo pipefail

die() {
  echo "install-nix: error: $*" >&2
  exit 1
}

suite=${GANTRY_NIX_SUITE:-trixie}
case $suite in
  trixie) default_version=2.26.3+dfsg-1 ;;
  sid) default_version= ;;
  # Nix 2.8, older than gantry supports: only for the too-old-Nix test (ci/test-old-nix.sh).
  bookworm) default_version=2.8.0-1.1+b1 ;;
  *) die "GANTRY_NIX_SUITE=$suite: choose trixie (Debian 13, the default) or sid" ;;
esac
version=${GANTRY_NIX_VERSION-$default_version}
home=${GANTRY_NIX_HOME:-$HOME/.cache/gantry-nix}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring is missing: install Debian's debian-archive-keyring"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing: this script needs a Debian host"

apt_dir=$home/apt-$suite
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/archives/partial"
: >"$apt_dir/status"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$apt_dir/sources.list"
# The host's apt configuration (its apt.conf.d, sources and hooks) is never read.
cat >"$apt_dir/apt.conf" <<CONF
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$apt_dir/parts";
Dir::Etc::SourceList "$apt_dir/sources.list";
Dir::Etc::SourceParts "$apt_dir/parts";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$apt_dir/parts";
Dir::State "$apt_dir";
Dir::State::Lists "$apt_dir/lists";
Dir::State::status "$apt_dir/status";
Dir::Cache "$apt_dir";
Dir::Cache::Archives "$apt_dir/archives";
Dir::Log "$apt_dir";
APT::Sandbox::User "root";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Install-Recommends "false";
Acquire::Check-Valid-Until "false";
CONF
apt() { APT_CONFIG=$apt_dir/apt.conf "$@"; }

# The version to install: the pin, or the suite's newest when the pin is empty. A prefix
# already installed for it is reused without asking the archive.
if [ -z "$version" ] || [ ! -f "$home/$suite-$version/.installed" ]; then
  apt apt-get update -qq >&2 || die "apt-get update for Debian $suite failed"
fi
if [ -z "$version" ]; then
  version=$(apt apt-cache policy nix-bin | awk '/Candidate:/ { print $2 }')
  [ -n "$version" ] && [ "$version" != "(none)" ] || die "Debian $suite has no nix-bin"
fi
prefix=$home/$suite-$version
if [ ! -f "$prefix/.installed" ]; then
  echo "install-nix: nix-bin $version from Debian $suite into $prefix" >&2
  rm -rf "$apt_dir/archives"/*.deb "$prefix"
  apt apt-get install -qq -y --download-only "nix-bin=$version" patchelf >&2 ||
    die "nix-bin $version is not in Debian $suite: set GANTRY_NIX_VERSION to one that is (apt-cache policy nix-bin), or empty for the newest"
  mkdir -p "$prefix/root" "$prefix/bin" "$prefix/etc/nix"
  for deb in "$apt_dir/archives"/*.deb; do dpkg-deb -x "$deb" "$prefix/root"; done
  # Library directories: under /usr since trixie, also /lib and Nix's own /usr/lib/nix before
  # (bookworm).
  libs=$prefix/root/usr/lib/x86_64-linux-gnu:$prefix/root/lib/x86_64-linux-gnu:$prefix/root/usr/lib/nix
  loader=
  for dir in $prefix/root/usr/lib/x86_64-linux-gnu $prefix/root/lib/x86_64-linux-gnu; do
    [ -x "$dir/ld-linux-x86-64.so.2" ] && loader=$dir/ld-linux-x86-64.so.2 && break
  done
  [ -n "$loader" ] || die "no dynamic loader in $prefix/root after unpacking libc6"
  patchelf() { "$loader" --library-path "$libs" "$prefix/root/usr/bin/patchelf" "$@"; }
  # DT_RPATH (not RUNPATH): it also applies to the libraries' own dependencies. Nix's own
  # libraries in /usr/lib/nix (bookworm) carry a RUNPATH, which would hide it: theirs too.
  patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$libs" "$prefix/root/usr/bin/nix"
  for lib in "$prefix"/root/usr/lib/nix/*.so; do
    if [ -e "$lib" ]; then patchelf --force-rpath --set-rpath "$libs" "$lib"; fi
  done
  # Only Nix's own commands: the prefix's other programs never reach PATH.
  for cmd in nix nix-build nix-channel nix-collect-garbage nix-copy-closure nix-daemon \
    nix-env nix-hash nix-instantiate nix-prefetch-url nix-shell nix-store; do
    ln -s ../root/usr/bin/nix "$prefix/bin/$cmd"
  done
  # The configuration directory Nix reads instead of the host's /etc/nix: empty, every
  # setting comes from NIX_CONFIG (ci/setup-nix.sh).
  : >"$prefix/etc/nix/nix.conf"
  "$prefix/bin/nix" --version >/dev/null || die "the unpacked nix does not run"
  rm -f "$apt_dir/archives"/*.deb
  touch "$prefix/.installed"
fi
echo "$prefix"
