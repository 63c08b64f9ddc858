# The offline stand-in for the slice of nixpkgs gantry uses (shared/nixpkgs-slice.md).
# `import ./checks/offline-pkgs { }` gives a package set; ./flake.nix exposes it as
# `legacyPackages.<system>` so flakes with a `nixpkgs` input can be checked offline with
# `--override-input nixpkgs path:<this directory>`. Host tools come from the machine's
# Debian packages and the Rust toolchain from rustup, both prepared by ci/setup-nix.sh,
# which also writes ./host.nix.
{
  system ? builtins.currentSystem,
  host ?
    if builtins.pathExists ./host.nix then
      import ./host.nix
    else
      throw "checks/offline-pkgs/host.nix is missing: run `. ci/setup-nix.sh` first",
  ...
}:

let
  lib = import ./lib { };

  # One value for build, host and target platform: sets holding functions compare equal
  # only when they are the same value, and code compares them to detect cross builds.
  platform = {
    inherit system;
    config = "x86_64-unknown-linux-gnu";
    isLinux = true;
    isDarwin = false;
    isx86_64 = true;
    isAarch64 = false;
    is64bit = true;
    isStatic = false;
    isMusl = false;
    libc = "glibc";
    linker = "bfd";
    extensions = {
      sharedLibrary = ".so";
      staticLibrary = ".a";
      executable = "";
    };
    canExecute = other: other.system == system;
    emulatorAvailable = _: true;
    emulator = _: "";
    rust = {
      rustcTarget = "x86_64-unknown-linux-gnu";
      rustcTargetSpec = "x86_64-unknown-linux-gnu";
      cargoShortTarget = "x86_64-unknown-linux-gnu";
      cargoEnvVarTarget = "X86_64_UNKNOWN_LINUX_GNU";
      isNoStdTarget = false;
    };
  };

  tools = import ./host-tools.nix { inherit system; };
  rust = import ./rust-toolchain.nix {
    inherit system host;
    inherit (tools) hostPackage;
  };
  checkTools = import ./check-tools.nix { inherit system host; };

  initialPath = with tools; [
    coreutils
    findutils
    diffutils
    gnused
    gnugrep
    gawk
    gnutar
    gzip
    bzip2
    gnumake
    bash
    gnupatch
    xz
    file
  ];

  mkStdenv =
    cc:
    import ./stdenv {
      inherit lib system platform initialPath cc;
      inherit (tools) bash;
    };

  pkgs = lib.fix (
    self:
    let
      callPackage = lib.callPackageWith self;
      trivial = callPackage ./trivial-builders.nix { };
    in
    tools
    // rust
    // checkTools
    // {
      # What `nix develop` runs the shell with.
      bashInteractive = tools.bash;
      # Named one by one: merging callPackage results with `//` would make the set's own
      # attribute names depend on itself.
      inherit (trivial)
        runCommandWith
        runCommand
        runCommandLocal
        runCommandCC
        writeTextFile
        writeText
        writeTextDir
        writeScript
        writeScriptBin
        writeShellScript
        writeShellScriptBin
        linkFarm
        symlinkJoin
        makeSetupHook
        replaceVars
        ;

      inherit lib callPackage;
      newScope = extra: lib.callPackageWith (self // extra);

      stdenv = mkStdenv tools.gcc;
      stdenvNoCC = mkStdenv null;

      buildPackages = self;
      pkgsBuildBuild = self;
      pkgsBuildHost = self;
      pkgsBuildTarget = self;
      pkgsHostHost = self;
      pkgsHostTarget = self;
      pkgsTargetTarget = self;
      targetPackages = self;

      inherit system;
      buildPlatform = platform;
      hostPlatform = platform;
      targetPlatform = platform;

      runtimeShell = "${tools.bash}/bin/bash";
      runtimeShellPackage = tools.bash;
      gnupatch = tools.gnupatch;
      patch = tools.gnupatch;
      pkgconf = tools.pkg-config;
      stdenv_32bit = throw "offline-pkgs: 32-bit stdenv is not part of the stand-in";

      fetchurl = callPackage ./fetchurl.nix { };
      fetchgit = callPackage ./fetchgit.nix { };
      mkShell = callPackage ./mk-shell.nix { };
      lndir = callPackage ./lndir.nix { };
    }
  );
in
pkgs
