# mkCrossToolchainEnv stdenvSelector: what cargo needs to build for pkgs' host platform on
# its build platform (crane's function, its variables and names). Empty when pkgs is native.
# Otherwise: the two C compilers as nativeBuildInputs (the build machine's, for build
# scripts and proc-macros; the cross one, for the binaries), and variables given as
# `__CRANE_EXPORT_<NAME>` attributes, which a setup hook exports as <NAME> unless the
# derivation sets <NAME> itself: CARGO_BUILD_TARGET; for each of the two platforms (cargo's
# host: HOST, cargo's target: TARGET) the linker, the cc crate's CC_/CXX_/AR_<triple> and
# HOST_/TARGET_ CC, CXX, AR, and a runner when the build machine cannot run the programs
# but nixpkgs knows an emulator (qemu-user for another Linux CPU), so tests run; for MinGW,
# the directory of nixpkgs' windows.pthreads in the target's rustflags (std links it).
{
  lib,
  pkgs,
  crossToolchainEnvHook,
}:

stdenvSelector:
let
  prefix = "__CRANE_EXPORT_";
  # nixpkgs' host platform is cargo's target; its build platform cargo's host.
  selected = stdenvSelector pkgs;

  platformVars =
    kind: chosenPkgs:
    let
      chosen = stdenvSelector chosenPkgs;
      tool = name: "${chosen.cc.targetPrefix}${name}";
      triple = chosen.hostPlatform.rust.cargoEnvVarTarget;
      emulated =
        !(chosen.buildPlatform.canExecute chosen.hostPlatform)
        && chosen.hostPlatform.emulatorAvailable pkgs.pkgsBuildBuild;
    in
    lib.optionalAttrs chosen.hostPlatform.isMinGW {
      "${prefix}CARGO_TARGET_${triple}_RUSTFLAGS" = "-L native=${chosenPkgs.windows.pthreads}/lib";
    }
    // lib.optionalAttrs emulated {
      "${prefix}CARGO_TARGET_${triple}_RUNNER" = chosen.hostPlatform.emulator pkgs.pkgsBuildBuild;
    }
    // {
      "${prefix}CARGO_TARGET_${triple}_LINKER" = tool "cc";
      # The cc crate's variables, by triple and by role.
      "${prefix}CC_${triple}" = tool "cc";
      "${prefix}CXX_${triple}" = tool "c++";
      "${prefix}AR_${triple}" = tool "ar";
      "${prefix}${kind}_CC" = tool "cc";
      "${prefix}${kind}_CXX" = tool "c++";
      "${prefix}${kind}_AR" = tool "ar";
    };
in
if selected.buildPlatform == selected.hostPlatform then
  { }
else
  {
    "${prefix}CARGO_BUILD_TARGET" = selected.hostPlatform.rust.rustcTarget;
    nativeBuildInputs = [
      (stdenvSelector pkgs.pkgsBuildHost).cc
      (stdenvSelector pkgs.pkgsHostTarget).cc
      crossToolchainEnvHook
    ];
  }
  // platformVars "HOST" pkgs.pkgsBuildHost
  // platformVars "TARGET" pkgs.pkgsHostTarget
