# Shared pieces of the pipeline checks.
{ pkgs, lib }:

{
  # A check that runs `bin` from `pkg` and compares what it prints with `expected`.
  runsAndPrints =
    name: pkg: bin: expected:
    pkgs.runCommand "${name}-runs" { } ''
      out_text=$(${pkg}/bin/${bin})
      if [ "$out_text" != ${lib.escapeShellArg expected} ]; then
        echo "${bin} printed '$out_text', expected ${lib.escapeShellArg expected}" >&2
        exit 1
      fi
      touch $out
    '';

  # A rustc wrapper that fails on any compilation (version queries pass through): a build
  # using it proves that cargo found every unit fresh.
  noCompileWrapper = pkgs.writeShellScript "rustc-must-not-compile" ''
    previous=
    for arg in "$@"; do
      # cargo's target-info probe uses the crate name ___ and compiles nothing.
      if [ "$previous" = --crate-name ] && [ "$arg" != ___ ]; then
        echo "rustc-must-not-compile: cargo tried to compile $arg: $*" >&2
        exit 1
      fi
      previous=$arg
    done
    exec "$@"
  '';

  # The artifact modes every pipeline case runs in.
  artifactModes = [
    "use-zstd"
    "use-symlink"
  ];
}
