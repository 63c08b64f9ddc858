#!/usr/bin/env bash
# Per-crate pieces built on a remote builder (issue 18, "Beyond one machine"), with Nix's own
# machinery only: `--builders 'ssh-ng://…'` and `max-jobs = 0`, so every derivation the
# build needs goes to the remote machine. Not a test, and not part of ci/test.sh (it takes
# a few minutes: the report says how long). Loopback only:
#   - the remote machine is an sshd from Debian (openssh-server, installed when missing) on
#     127.0.0.1 at a free port, with its own config, host key and authorized_keys in a
#     temp directory (BENCH_DIR/ssh); the host's /etc/ssh and ~/.ssh are not used: the
#     client gets its throwaway key, the port and a known_hosts file through NIX_SSHOPTS;
#   - the remote store is a chroot store of its own (BENCH_DIR/remote-store, given to the
#     remote `nix-daemon --stdio` as `remote-store=local?root=…`), so nothing is shared with
#     the local store but what travels over ssh;
#   - sshd is started inside gantry's mount namespace (ci/setup-nix.sh), so the remote
#     daemon sees the same read-only views of the host paths its sandbox mounts; its
#     remote-program is a wrapper that refuses to run elsewhere and gives it the same
#     NIX_CONFIG as the local Nix (sandbox on, same sandbox-paths, no substituters).
# Each project is built per crate (ci/demo.nix's perCratePackage: buildPackage on
# buildDepsPerCrate with requireFreshDependencies), evaluation (the plan is built by IFD)
# included. Its [profile] table gets an unused profile named after the run, so its pieces
# and their plan are new derivations the remote must build whatever the local store holds.
# Counts builds done remotely ("building '…' on 'ssh-ng://…'") against locally, the paths
# and bytes sent to the remote store and built there, checks the final build compiled no
# dependency unit, and runs the binary. Writes a markdown report to the output file
# (default: standard output). sshd, the keys and the remote store are removed on exit.
#
# Usage: bench/remote-builder.sh [--smoke] [--output FILE]
#   --smoke   the first project only
# Environment: BENCH_DIR (default /tmp/gantry-bench-remote-builder), PROJECTS (default
#   "per-crate ripgrep@14.1.1": per-crate is checks/projects/per-crate, the others
#   NAME@VERSION from crates.io), REMOTE_JOBS (the builder's maximum jobs, default 2).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=common.sh
source "$repo/bench/common.sh"
parse_args /dev/stdout "$@"
work=${BENCH_DIR:-/tmp/gantry-bench-remote-builder}
projects=${PROJECTS:-per-crate ripgrep@14.1.1}
if $smoke; then projects=${projects%% *}; fi
remote_jobs=${REMOTE_JOBS:-2}

# The remote machine's ssh server, from Debian; its service is not started by the install
# (a policy-rc.d that denies it is put in place for the install when the host has none).
install_sshd() {
  dpkg-query -W -f='${Status}' openssh-server 2>/dev/null | grep -q 'install ok installed' && return 0
  echo "bench: installing Debian's openssh-server (its service is not started)" >&2
  local policy=/usr/sbin/policy-rc.d made_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=true
  fi
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends openssh-server >&2 || { $made_policy && rm -f "$policy"; return 1; }
  if $made_policy; then rm -f "$policy"; fi
}
# Before the namespace (ci/setup-nix.sh runs this script again inside it: a no-op there).
install_sshd

# shellcheck source=../ci/setup-nix.sh
source "$repo/ci/setup-nix.sh"
export CARGO_HOME=$work/cargo-home
mkdir -p "$work"

ssh_dir=$work/ssh
remote_store=$work/remote-store
sshd_pid=
made_privsep=false
cleanup() {
  if [ -n "$sshd_pid" ]; then kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; fi
  if $made_privsep; then rmdir /run/sshd 2>/dev/null || true; fi
  rm -rf "$ssh_dir" "$remote_store" "$work/variant"
}
trap cleanup EXIT
rm -rf "$ssh_dir" "$remote_store"
mkdir -p "$ssh_dir" "$remote_store"
chmod 700 "$ssh_dir"

# The remote machine: keys, config, sshd on a free loopback port.
ssh-keygen -q -t ed25519 -N '' -C gantry-bench-host -f "$ssh_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C gantry-bench-client -f "$ssh_dir/client_key"
cp "$ssh_dir/client_key.pub" "$ssh_dir/authorized_keys"
port=
for candidate in $(shuf -i 20000-60000 -n 20); do
  if ! ss -Htln "sport = :$candidate" | grep -q .; then port=$candidate && break; fi
done
[ -n "$port" ] || { echo "bench: error: no free loopback port found" >&2; exit 1; }
cat >"$ssh_dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $ssh_dir/host_key
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile $ssh_dir/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitUserEnvironment no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
MaxStartups 20
LogLevel ERROR
EOF
# sshd's privilege separation directory (Debian's service makes it when it starts).
if [ ! -d /run/sshd ]; then mkdir -m 0755 /run/sshd && made_privsep=true; fi
/usr/sbin/sshd -t -f "$ssh_dir/sshd_config"
/usr/sbin/sshd -D -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do
  ss -Htln "sport = :$port" | grep -q . && break
  sleep 0.1
done
ss -Htln "sport = :$port" | grep -q . || { cat "$ssh_dir/sshd.log" >&2; echo "bench: error: sshd did not start" >&2; exit 1; }
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$ssh_dir/host_key.pub")" >"$ssh_dir/known_hosts"

# The remote Nix: the same Nix and settings as the local one, in the same namespace.
printf '%s\n' "$NIX_CONFIG" >"$ssh_dir/nix.conf"
cat >"$ssh_dir/remote-nix-daemon" <<EOF
#!/bin/bash
# The remote builder's Nix (bench/remote-builder.sh): gantry's private Nix with its settings.
if [ "\$(cat /nix/.gantry-store 2>/dev/null)" != "$gantry_nix_store" ]; then
  echo "remote-nix-daemon: not in gantry's Nix namespace (ci/setup-nix.sh)" >&2
  exit 1
fi
export PATH=$gantry_nix_prefix/bin:/usr/bin:/bin
export NIX_CONF_DIR=$NIX_CONF_DIR NIX_USER_CONF_FILES=$NIX_USER_CONF_FILES
NIX_CONFIG=\$(cat "$ssh_dir/nix.conf")
export NIX_CONFIG
exec nix-daemon "\$@"
EOF
chmod +x "$ssh_dir/remote-nix-daemon"

export NIX_SSHOPTS="-F /dev/null -p $port -o UserKnownHostsFile=$ssh_dir/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes"
urlencode() { jq -rn --arg v "$1" '$v | @uri'; }
builder_uri="ssh-ng://root@127.0.0.1?remote-store=$(urlencode "local?root=$remote_store")&remote-program=$ssh_dir/remote-nix-daemon"
features=$(nix config show system-features | tr ' ' ',')
builders="$builder_uri x86_64-linux $ssh_dir/client_key $remote_jobs 1 $features"
remote_opts=(--option builders "$builders" --option max-jobs 0 --option builders-use-substitutes false)

# The remote store answers through ssh before anything is built.
nix store info --store "$builder_uri&ssh-key=$ssh_dir/client_key" >"$work/store-info.log" 2>&1 ||
  { cat "$work/store-info.log" "$ssh_dir/sshd.log" >&2; echo "bench: error: the remote store does not answer over ssh" >&2; exit 1; }

# remote_paths: "<path> <NAR bytes>" of every path in the remote store, one a line.
remote_paths() {
  nix path-info --store "local?root=$remote_store" --all --json 2>/dev/null |
    jq -r 'if type == "array" then .[] | "\(.path) \(.narSize)" else to_entries[] | "\(.key) \(.value.narSize)" end' | sort
}

# measure PROJECT: evaluates and builds PROJECT per crate through the remote builder only;
# adds a row: builds done remotely and locally, paths and bytes sent to the remote store and
# built there, times, the binary's first line and the final build's freshness.
rows=()
measure() {
  local project=$1 base src derivation planned to_build start eval_time build_time out logs
  local remote_drvs all_drvs remote_built local_built remote_pieces before after built_paths
  local sent_count=0 sent_bytes=0 back_count=0 back_bytes=0 path size fresh binary runs
  case $project in
  per-crate) base=$repo/checks/projects/per-crate ;;
  *@*) base=$(fetch "${project%@*}" "${project#*@}") ;;
  *) echo "bench: error: PROJECTS: $project: expected per-crate or NAME@VERSION" >&2 && return 2 ;;
  esac
  # An unused profile named after the run: new pieces and a new plan.
  src=$(variant "$base" variant)
  printf '\n# bench/remote-builder.sh: an unused profile, so every piece is new.\n[profile.gantry-bench-%s]\ninherits = "release"\n' "$(date +%s%N)" >>"$src/Cargo.toml"
  before=$(remote_paths)

  echo "bench: $project: evaluating (the plan is built remotely: IFD) on ssh-ng://127.0.0.1:$port" >&2
  start=$(now)
  derivation=$(nix-instantiate "${remote_opts[@]}" "$repo/ci/demo.nix" --arg root "$repo" --arg src "$src" -A perCratePackage 2>"$work/eval.log") ||
    { tail -30 "$work/eval.log" >&2; return 1; }
  eval_time=$(since "$start")
  planned=$(nix-store -qR "$derivation" | grep -c -- '-piece-[^/]*\.drv$' || true)
  to_build=$(nix-store --realise --dry-run "$derivation" 2>&1 | sed -n '/will be built:$/,/will be fetched/p' | grep -c '\.drv$' || true)

  echo "bench: $project: building $to_build derivations, all on the remote builder" >&2
  start=$(now)
  out=$(nix-store --realise "${remote_opts[@]}" "$derivation" 2>"$work/build.log") ||
    { tail -30 "$work/build.log" >&2; return 1; }
  build_time=$(since "$start")

  # What ran where: the local Nix logs "building 'X' on 'ssh-ng://…'" for a remote build, and
  # the remote daemon's own "building 'X'" comes after it; a local build has the latter only.
  logs=("$work/eval.log" "$work/build.log")
  remote_drvs=$(cat "${logs[@]}" | sed -n "s/^building '\([^']*\)' on 'ssh-ng:.*/\1/p" | sort -u)
  all_drvs=$(cat "${logs[@]}" | sed -n "s/^building '\([^']*\)'.*/\1/p" | sort -u)
  remote_built=$(grep -c . <<<"$remote_drvs" || true)
  local_built=$(comm -23 <(echo "$all_drvs") <(echo "$remote_drvs") | grep -c . || true)
  remote_pieces=$(grep -c -- "-piece-" <<<"$remote_drvs" || true)
  if [ "$local_built" -ne 0 ] || [ "$remote_built" -eq 0 ]; then
    echo "bench: error: $project: $local_built builds ran locally, $remote_built remotely (max-jobs 0 must send all)" >&2
    return 1
  fi

  # The remote store's new paths: those it built (and sent back) and those it was sent.
  after=$(remote_paths)
  built_paths=$(xargs -r nix-store -q --outputs <<<"$remote_drvs" | sort -u)
  while read -r path size; do
    [ -n "$path" ] || continue
    if grep -qxF "$path" <<<"$built_paths"; then
      back_count=$((back_count + 1)) back_bytes=$((back_bytes + size))
    else
      sent_count=$((sent_count + 1)) sent_bytes=$((sent_bytes + size))
    fi
  done < <(comm -13 <(echo "$before") <(echo "$after"))

  fresh=$(grep -h 'gantry: freshness:' "$work/build.log" | tail -1 || true)
  [[ $fresh == *"(0 dependency units compiled)"* ]] ||
    { echo "bench: error: $project: the final build was not fresh: ${fresh:-no freshness line}" >&2; return 1; }
  binary=$(find "$out/bin" -type f | head -1)
  runs=$("$binary" --version | head -1)
  rows+=("| $project | $planned | $to_build | $remote_built ($remote_pieces) | $local_built | $sent_count ($(mib "$sent_bytes")) | $back_count ($(mib "$back_bytes")) | $eval_time | $build_time | \`$runs\`; ${fresh#*gantry: freshness: } |")
}

total_start=$(now)
for p in $projects; do measure "$p"; done
total_time=$(since "$total_start")

{
  echo "## Per-crate pieces built on a remote builder"
  echo
  echo "Written by \`bench/remote-builder.sh\`$($smoke && echo ' --smoke') on $(date -u +%Y-%m-%d): $(machine); $(nix --version). The remote builder is an sshd (Debian's openssh-server) on 127.0.0.1, on the same machine: its Nix is \`nix-daemon --stdio\` on a chroot store of its own (\`ssh-ng://root@127.0.0.1?remote-store=local?root=…\`), sandbox on; the local Nix has \`max-jobs = 0\` and \`builders = ssh-ng://… x86_64-linux <key> $remote_jobs 1\`, so every derivation it builds, the plan at evaluation (IFD) included, is built remotely. Each project's pieces are new derivations (an unused profile named after the run); the toolchain, the helper and the sources come from the local store."
  echo
  echo "| project | pieces in its plan | derivations to build | built remotely (pieces) | built locally | paths sent to the remote (MiB NAR) | outputs built there (MiB NAR) | evaluation s | build s | binary; final build's freshness |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "The whole run, sshd's start and teardown aside, took $total_time s; projects run one after the other against the same remote store, so a later row is sent only what the earlier ones did not send."
} >"$output"
echo "bench: remote-builder report written to $output" >&2
