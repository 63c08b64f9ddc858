# lib.systems in the shape of nixpkgs' lib/systems: `examples` (the named platforms
# pkgsCross offers; only those the stand-in can build for) and `elaborate`, which turns a
# system string or `{ config = …; }` into a platform value with the attributes nixpkgs
# computes and gantry, crane and the stand-in read. nixpkgs parses any triple; this knows
# the triples below and refuses others with one line.
{ lib }:

let
  # What nixpkgs' parser derives from each known triple.
  known = {
    "x86_64-unknown-linux-gnu" = {
      system = "x86_64-linux";
      cpu = "x86_64";
      kernel = "linux";
      libc = "glibc";
      rustcTarget = "x86_64-unknown-linux-gnu";
    };
    "x86_64-unknown-linux-musl" = {
      system = "x86_64-linux";
      cpu = "x86_64";
      kernel = "linux";
      libc = "musl";
      rustcTarget = "x86_64-unknown-linux-musl";
    };
    "aarch64-unknown-linux-gnu" = {
      system = "aarch64-linux";
      cpu = "aarch64";
      kernel = "linux";
      libc = "glibc";
      rustcTarget = "aarch64-unknown-linux-gnu";
    };
    "x86_64-w64-mingw32" = {
      system = "x86_64-windows";
      cpu = "x86_64";
      kernel = "windows";
      libc = "msvcrt";
      rustcTarget = "x86_64-pc-windows-gnu";
    };
  };
  # nixpkgs' system doubles for the native case: `elaborate "x86_64-linux"`.
  configOfSystem = {
    "x86_64-linux" = "x86_64-unknown-linux-gnu";
    "aarch64-linux" = "aarch64-unknown-linux-gnu";
  };
in
rec {
  # nixpkgs' lib/systems/examples.nix entries the stand-in can build for.
  examples = {
    gnu64 = { config = "x86_64-unknown-linux-gnu"; };
    musl64 = { config = "x86_64-unknown-linux-musl"; };
    aarch64-multiplatform = { config = "aarch64-unknown-linux-gnu"; };
    mingwW64 = { config = "x86_64-w64-mingw32"; libc = "msvcrt"; };
  };

  elaborate =
    systemOrArgs:
    let
      args =
        if builtins.isString systemOrArgs then
          { system = systemOrArgs; }
        else
          systemOrArgs;
      config =
        args.config or (
          configOfSystem.${args.system or ""}
            or (throw "offline-pkgs: lib.systems.elaborate: no platform for ${builtins.toJSON args} in the stand-in (it knows ${lib.concatStringsSep ", " (builtins.attrNames known)})")
        );
      p =
        known.${config}
          or (throw "offline-pkgs: lib.systems.elaborate: the stand-in does not know the platform ${config} (it knows ${lib.concatStringsSep ", " (builtins.attrNames known)})");
      isLinux = p.kernel == "linux";
      isWindows = p.kernel == "windows";
      final = {
        inherit config isLinux isWindows;
        inherit (p) system libc;
        isDarwin = false;
        isx86_64 = p.cpu == "x86_64";
        isx86 = p.cpu == "x86_64";
        isAarch64 = p.cpu == "aarch64";
        is64bit = true;
        isMusl = p.libc == "musl";
        isGnu = p.libc == "glibc";
        isMinGW = isWindows;
        isStatic = args.isStatic or false;
        linker = "bfd";
        qemuArch = p.cpu;
        parsed = {
          cpu.name = p.cpu;
          kernel.name = p.kernel;
        };
        extensions = {
          sharedLibrary = if isWindows then ".dll" else ".so";
          staticLibrary = if isWindows then ".lib" else ".a";
          executable = if isWindows then ".exe" else "";
        };
        # nixpkgs: same CPU family and kernel (a glibc machine runs musl programs).
        canExecute = other: p.cpu == other.parsed.cpu.name && p.kernel == other.parsed.kernel.name;
        # nixpkgs picks the emulator from the build package set: the shell when that
        # platform runs the program itself, wine for Windows, qemu-user for another Linux.
        emulatorAvailable = pkgs: (selectEmulator pkgs) != null;
        emulator =
          pkgs:
          let
            e = selectEmulator pkgs;
          in
          if e == null then throw "Don't know how to run ${config} executables." else e;
        rust = rec {
          inherit (p) rustcTarget;
          rustcTargetSpec = rustcTarget;
          cargoShortTarget = rustcTarget;
          cargoEnvVarTarget = lib.toUpper (builtins.replaceStrings [ "-" ] [ "_" ] cargoShortTarget);
          isNoStdTarget = false;
        };
      };
      selectEmulator =
        pkgs:
        if pkgs.stdenv.hostPlatform.canExecute final then
          "${pkgs.runtimeShell} -c '\"$@\"' --"
        else if isWindows then
          "${(pkgs.winePackagesFor "wine64").minimal}/bin/wine64"
        else if isLinux && pkgs.stdenv.hostPlatform.isLinux then
          "${pkgs.qemu-user}/bin/qemu-${final.qemuArch}"
        else
          null;
    in
    final;
}
