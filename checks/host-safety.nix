# Probes that the Nix settings of ci/setup-nix.sh keep builds away from the host. Built by
# checks/run.sh with a fresh `nonce` on every run (a check cached in the store would prove
# nothing about today's settings); plain `derivation`s with host tools by absolute path, so
# they depend on nothing but the sandbox paths.
#
#   isolation  an ordinary build: it must see no network interface but loopback, no /work
#              (where checkouts live), nothing of the caller's home directory but the
#              sandbox paths below it (no ~/.cargo), the sandbox's own /etc/passwd, /build
#              as its directory, and fail to write to /usr
#   ca-bundle  a fixed-output build (the kind that gets the network and the CA bundle): it
#              must find a non-empty CA bundle and fail to write to it or to /usr
{ nonce, home }:

let
  probe =
    name: attrs: script:
    derivation (
      {
        name = "gantry-host-safety-${name}-${nonce}";
        system = builtins.currentSystem;
        builder = "/bin/sh";
        args = [
          "-c"
          ''
            PATH=/usr/bin
            set -u
            bad() { echo "host-safety ${name}: $*" >&2; exit 1; }
            ${script}
            echo ok > "$out"
          ''
        ];
      }
      // attrs
    );
  noWriteToUsr = ''
    if (echo x > /usr/gantry-host-safety-probe) 2>/dev/null; then
      rm -f /usr/gantry-host-safety-probe
      bad "a build could write to the host's /usr"
    fi
  '';
in
{
  isolation = probe "isolation" { } ''
    interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
    [ "$interfaces" = "lo " ] || bad "network interfaces visible: $interfaces(only lo expected)"
    [ ! -e /work ] || bad "/work is visible to builds"
    [ ! -e ${home}/.cargo ] || bad "the caller's ${home}/.cargo is visible to builds"
    grep -q '^nixbld:' /etc/passwd || bad "/etc/passwd is the host's, not the sandbox's"
    [ "$PWD" = /build ] || bad "the build directory is $PWD, not /build"
    ${noWriteToUsr}
  '';
  # The output is one fixed line, so the hash is fixed; the nonce in the name gives a new
  # output path (and so a real build) on every run.
  ca-bundle =
    probe "ca-bundle"
      {
        outputHashMode = "flat";
        outputHashAlgo = "sha256";
        outputHash = "sha256-3FG4yWwtdF3zvVWQ2ZAjCkgv0kcSNZlUjgYy/b+X/CI=";
      }
      ''
        ca=/etc/ssl/certs/ca-certificates.crt
        [ -s "$ca" ] || bad "no CA bundle at $ca: HTTPS fetches cannot verify"
        if (: > "$ca") 2>/dev/null; then bad "a fixed-output build could write to the CA bundle"; fi
        ${noWriteToUsr}
      '';
}
