# Cross compilation in crane's forms (issue 17): a project with a -sys crate compiling C
# (libz-sys, static), a proc-macro (serde_derive) and unit tests, built for
# - aarch64 as crane's examples/cross-rust-overlay does it: the library over
#   `pkgsCross.aarch64-multiplatform`, `overrideToolchain (p: …)`, the crate as a callPackage
#   expression; mkCrossToolchainEnv supplies the target, linker, C compilers and qemu runner
#   (crane's checks build the same example);
# - musl through `pkgsCross.musl64` (the same machinery, nothing emulated), and as crane's
#   examples/cross-musl does it on a native pkgs (CARGO_BUILD_TARGET and crt-static given by
#   the caller, a toolchain holding the musl target);
# - Windows through `pkgsCross.mingwW64`: crane's mkCrossToolchainEnv MinGW path (it adds
#   windows.pthreads for the linker; examples/cross-windows gives the same by hand), the
#   package with tests off as in that example, the tests through cargoTest under wine64
#   (nixpkgs' emulator for the platform, which mkCrossToolchainEnv makes cargo's runner).
# Each binary is inspected (`file`, readelf) and run: natively, or with the platform's
# emulator as crane's example app does.
{
  pkgs,
  lib,
  gantry,
  gantryLib,
  ...
}:

let
  inherit (import ./support.nix { inherit pkgs lib; }) freshPackage;
  src = ./projects/cross-app;
  expectedOutput = arch: ''{"arch":"${arch}","crc32":"4b17fa8a"}'';

  # A toolchain of one package set, as rust-overlay's `rust-bin…default` gives one: in a
  # cross set's pkgsBuildHost, nixpkgs' rustc and cargo build for the cross platform.
  toolchainOf =
    p:
    p.symlinkJoin {
      name = "rust-toolchain-of-the-set";
      paths = [
        p.rustc
        p.cargo
      ];
    };

  # crane's examples/cross-rust-overlay, for aarch64.
  aarch64Pkgs = pkgs.pkgsCross.aarch64-multiplatform;
  aarch64Lib = (gantry.mkLib aarch64Pkgs).overrideToolchain toolchainOf;
  aarch64 = aarch64Pkgs.callPackage (
    { stdenv }:
    let
      commonArgs = {
        inherit src;
        strictDeps = true;
      };
      cargoArtifacts = aarch64Lib.buildDepsOnly commonArgs;
    in
    {
      inherit stdenv cargoArtifacts;
      package = aarch64Lib.buildPackage (
        commonArgs
        // {
          inherit cargoArtifacts;
          requireFreshDependencies = true;
        }
      );
      tests = aarch64Lib.cargoTest (
        commonArgs
        // {
          inherit cargoArtifacts;
          requireFreshDependencies = true;
          cargoTestExtraArgs = "-- --nocapture";
        }
      );
      # Where cargo put each unit: the proc-macro with the build machine's units, the
      # binary under the target's directory.
      units = aarch64Lib.cargoBuild (
        commonArgs
        // {
          inherit cargoArtifacts;
          doCheck = false;
          postBuild = ''
            target=''${CARGO_TARGET_DIR:-target}
            file -L "$target"/release/deps/libserde_derive-*.so | tee units.txt
            file -L "$target"/aarch64-unknown-linux-gnu/release/cross-app | tee -a units.txt
            grep -q 'libserde_derive-.*x86-64' units.txt || { echo "serde_derive was not built for the build machine" >&2; exit 1; }
            grep -q 'cross-app: .*ARM aarch64' units.txt || { echo "cross-app was not built for aarch64" >&2; exit 1; }
          '';
        }
      );
    }
  ) { };

  # buildDepsPerCrate for aarch64 (issue 17): every dependency unit of the final build comes
  # fresh from the pieces, the build machine's units (build scripts, serde_derive) as well as
  # the target's.
  aarch64PerCrate = aarch64Lib.buildPackage {
    inherit src;
    strictDeps = true;
    cargoArtifacts = aarch64Lib.buildDepsPerCrate {
      inherit src;
      strictDeps = true;
      requireFreshDependencies = true;
    };
    requireFreshDependencies = true;
    postBuild = ''
      target=''${CARGO_TARGET_DIR:-target}
      file -L "$target"/release/deps/libserde_derive-*.so | tee units.txt
      grep -q 'libserde_derive-.*x86-64' units.txt || { echo "serde_derive was not built for the build machine" >&2; exit 1; }
    '';
  };

  # rust-overlay's `rust-bin` (the stand-in reproduces it for the machine's rustup
  # toolchains, checks/offline-pkgs/README.md); without it the checks below are skipped.
  hasRustBin = pkgs ? rust-bin;
  hasNightly = hasRustBin && pkgs.rust-bin ? nightly;

  # crane's checks `noStd` (checks/no_std): a toolchain holding x86_64-unknown-none,
  # CARGO_BUILD_TARGET, `cargoCheckExtraArgs = "--lib --bins --examples"` (no test harness
  # without std) and doCheck = false. The dependencies build over the dummy source, whose
  # stubs are no_std with a panic handler for such targets (crane's dummy.rs decision:
  # target_os "none" or "uefi").
  noStdLib = gantryLib.overrideToolchain (
    pkgs.rust-bin.stable.latest.minimal.override { targets = [ "x86_64-unknown-none" ]; }
  );
  noStdArgs = {
    src = ./projects/no-std-target;
    strictDeps = true;
    CARGO_BUILD_TARGET = "x86_64-unknown-none";
    cargoCheckExtraArgs = "--lib --bins --examples";
    doCheck = false;
  };
  noStd = freshPackage noStdLib noStdArgs;

  # A UEFI application the same way (crane's mkDummySrc for target_os "uefi", ipetkov/crane
  # pull 1019): the dummy binaries export their `main` as `efi_main`, the entry point the
  # UEFI targets link against, or the dependencies' build fails to link.
  uefiLib = gantryLib.overrideToolchain (
    pkgs.rust-bin.stable.latest.minimal.override { targets = [ "x86_64-unknown-uefi" ]; }
  );
  uefiArgs = noStdArgs // {
    src = ./projects/uefi-app;
    CARGO_BUILD_TARGET = "x86_64-unknown-uefi";
  };
  uefi = freshPackage uefiLib uefiArgs;

  # crane's examples/build-std: a nightly toolchain with rust-src, std's own Cargo.lock
  # vendored with the project's through vendorMultipleCargoDeps, `-Z build-std`.
  nightlyFor =
    p:
    p.rust-bin.nightly.latest.default.override {
      extensions = [ "rust-src" ];
      targets = [ "x86_64-unknown-linux-gnu" ];
    };
  buildStdLib = gantryLib.overrideToolchain nightlyFor;
  buildStdSrc = ./projects/build-std;
  buildStd = buildStdLib.buildPackage {
    src = buildStdSrc;
    strictDeps = true;
    cargoVendorDir = buildStdLib.vendorMultipleCargoDeps {
      inherit (buildStdLib.findCargoFiles buildStdSrc) cargoConfigs;
      cargoLockList = [
        ./projects/build-std/Cargo.lock
        # Import from derivation, as in crane's example.
        "${(nightlyFor pkgs).passthru.availableComponents.rust-src}/lib/rustlib/src/rust/library/Cargo.lock"
      ];
    };
    cargoExtraArgs = "-Z build-std --target x86_64-unknown-linux-gnu";
    requireFreshDependencies = true;
    # The standard library was compiled for this build, not taken from the toolchain.
    postBuild = ''
      target=''${CARGO_TARGET_DIR:-target}
      ls "$target"/x86_64-unknown-linux-gnu/release/deps/libstd-*.rlib || { echo "std was not built from rust-src" >&2; exit 1; }
    '';
  };

  # pkgsCross.musl64: the same machinery for a platform the build machine runs.
  musl64Pkgs = pkgs.pkgsCross.musl64;
  musl64Lib = (gantry.mkLib musl64Pkgs).overrideToolchain toolchainOf;
  musl64 = musl64Lib.buildPackage {
    inherit src;
    strictDeps = true;
    requireFreshDependencies = true;
  };

  # crane's examples/cross-musl: a native pkgs, the target and static linking given by the
  # caller, a toolchain holding the musl target.
  craneMuslLib = gantryLib.overrideToolchain (p: toolchainOf p.pkgsCross.musl64.pkgsBuildHost);
  craneMuslArgs = {
    inherit src;
    strictDeps = true;
    CARGO_BUILD_TARGET = "x86_64-unknown-linux-musl";
    CARGO_BUILD_RUSTFLAGS = "-C target-feature=+crt-static";
  };
  craneMusl = craneMuslLib.buildPackage craneMuslArgs;
  # The same arguments with the dependency build given: buildDepsOnly, and buildDepsPerCrate,
  # whose plan and pieces must be for the caller's target (every dependency unit of the final
  # build fresh), not the build machine's.
  craneMuslOn =
    cargoArtifacts:
    craneMuslLib.buildPackage (
      craneMuslArgs
      // {
        inherit cargoArtifacts;
        requireFreshDependencies = true;
      }
    );
  craneMuslDeps = craneMuslOn (craneMuslLib.buildDepsOnly craneMuslArgs);
  craneMuslPerCrate = craneMuslOn (
    craneMuslLib.buildDepsPerCrate (craneMuslArgs // { requireFreshDependencies = true; })
  );

  # Windows, with crane's examples/cross-windows' doCheck = false. Its programs run under
  # nixpkgs' emulator for the platform, wine64 (mkCrossToolchainEnv's runner, as crane's),
  # given a writable WINEPREFIX: Wine cannot make its prefix in the sandbox's HOME.
  mingwPkgs = pkgs.pkgsCross.mingwW64;
  mingwLib = (gantry.mkLib mingwPkgs).overrideToolchain toolchainOf;
  mingwArgs = {
    inherit src;
    strictDeps = true;
  };
  mingwDeps = mingwLib.buildDepsOnly mingwArgs;
  mingw = mingwLib.buildPackage (
    mingwArgs
    // {
      cargoArtifacts = mingwDeps;
      doCheck = false;
    }
  );
  # The tests, compiled for Windows (a PE executable, which Linux cannot run: they pass only
  # if cargo ran them through the runner).
  mingwTests = mingwLib.cargoTest (
    mingwArgs
    // {
      cargoArtifacts = mingwDeps;
      requireFreshDependencies = true;
      cargoTestExtraArgs = "-- --nocapture";
      preBuild = ''
        export WINEPREFIX=$(mktemp -d)
      '';
    }
  );

  # mkCrossToolchainEnv's variables on a derivation, as crane's lib/mkCrossToolchainEnv.nix
  # names them: what differs from `expected` (names and values; a runner's value only
  # by its program), one line each.
  exportsOf = drv: lib.filterAttrs (n: _: lib.hasPrefix "__CRANE_EXPORT_" n) drv.drvAttrs;
  envProblems =
    what: drv: expected:
    let
      got = exportsOf drv;
      want = lib.mapAttrs' (n: lib.nameValuePair "__CRANE_EXPORT_${n}") expected;
      differs = n: if lib.hasSuffix "_RUNNER" n then !(lib.hasSuffix want.${n} got.${n}) else got.${n} != want.${n};
    in
    map (n: "${what}: ${n} missing") (builtins.filter (n: !(got ? ${n})) (builtins.attrNames want))
    ++ map (n: "${what}: ${n} unexpected") (builtins.filter (n: !(want ? ${n})) (builtins.attrNames got))
    ++ map (n: "${what}: ${n} = ${got.${n}}, expected ${want.${n}}") (
      builtins.filter (n: got ? ${n} && differs n) (builtins.attrNames want)
    );
  # cargo's host (the build machine, no prefix) and target (`prefix`, env name `triple`).
  crossVars =
    target: triple: prefix:
    {
      CARGO_BUILD_TARGET = target;
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER = "cc";
      CC_X86_64_UNKNOWN_LINUX_GNU = "cc";
      CXX_X86_64_UNKNOWN_LINUX_GNU = "c++";
      AR_X86_64_UNKNOWN_LINUX_GNU = "ar";
      HOST_CC = "cc";
      HOST_CXX = "c++";
      HOST_AR = "ar";
      "CARGO_TARGET_${triple}_LINKER" = "${prefix}cc";
      "CC_${triple}" = "${prefix}cc";
      "CXX_${triple}" = "${prefix}c++";
      "AR_${triple}" = "${prefix}ar";
      TARGET_CC = "${prefix}cc";
      TARGET_CXX = "${prefix}c++";
      TARGET_AR = "${prefix}ar";
    };
  envChecked =
    envProblems "aarch64" aarch64.package (
      crossVars "aarch64-unknown-linux-gnu" "AARCH64_UNKNOWN_LINUX_GNU" "aarch64-unknown-linux-gnu-"
      // { CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER = "/bin/qemu-aarch64"; }
    )
    ++ envProblems "musl64" musl64 (
      crossVars "x86_64-unknown-linux-musl" "X86_64_UNKNOWN_LINUX_MUSL" "x86_64-unknown-linux-musl-"
    )
    ++ envProblems "mingwW64" mingw (
      crossVars "x86_64-pc-windows-gnu" "X86_64_PC_WINDOWS_GNU" "x86_64-w64-mingw32-"
      // {
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS = "-L native=${mingwPkgs.windows.pthreads}/lib";
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER = "/bin/wine64";
      }
    )
    # Native: nothing at all, whatever doIncludeCrossToolchainEnv says.
    ++ envProblems "native" (gantryLib.buildPackage { inherit src; }) { }
    ++ lib.optional (gantryLib.mkCrossToolchainEnv (p: p.stdenv) != { }) "native: mkCrossToolchainEnv is not empty";

  # The binary is an aarch64 ELF and runs under the platform's emulator.
  aarch64Runs =
    name: pkg:
    pkgs.runCommand name { nativeBuildInputs = [ pkgs.file ]; } ''
      bin=${pkg}/bin/cross-app
      file -L "$bin" | tee file.txt
      grep -q 'ELF 64-bit .*ARM aarch64' file.txt || { echo "not an aarch64 ELF" >&2; exit 1; }
      out_text=$(${aarch64Pkgs.stdenv.hostPlatform.emulator pkgs} "$bin")
      [ "$out_text" = ${lib.escapeShellArg (expectedOutput "aarch64")} ] || { echo "printed $out_text" >&2; exit 1; }
      touch $out
    '';

  # The binary is a static musl executable (no interpreter, no shared library) and runs.
  staticAndRuns =
    name: pkg:
    pkgs.runCommand name { nativeBuildInputs = [ pkgs.file pkgs.binutils ]; } ''
      bin=${pkg}/bin/cross-app
      file -L "$bin" | tee file.txt
      grep -q 'x86-64' file.txt || { echo "not an x86-64 executable" >&2; exit 1; }
      grep -q 'static' file.txt || { echo "not statically linked" >&2; exit 1; }
      if readelf -l "$bin" | grep -q INTERP; then echo "has a program interpreter" >&2; exit 1; fi
      if readelf -d "$bin" | grep -q NEEDED; then echo "needs shared libraries" >&2; exit 1; fi
      out_text=$("$bin")
      [ "$out_text" = ${lib.escapeShellArg (expectedOutput "x86_64")} ] || { echo "printed $out_text" >&2; exit 1; }
      touch $out
    '';
in
{
  checks = {
    # An aarch64 ELF, which runs under the platform's emulator (crane's example app).
    cross-aarch64 = aarch64Runs "cross-aarch64" aarch64.package;
    # The tests, compiled for aarch64, pass under qemu (mkCrossToolchainEnv's runner).
    cross-aarch64-tests = aarch64.tests;
    # serde_derive (a proc-macro) built for the build machine, the binary for aarch64.
    cross-aarch64-units = aarch64.units;
    cross-musl64 = staticAndRuns "cross-musl64" musl64;
    # Per-crate pieces for aarch64: the binary is an aarch64 ELF and runs under qemu.
    cross-aarch64-per-crate = aarch64Runs "cross-aarch64-per-crate" aarch64PerCrate;
    # The variables each cross derivation gets, crane's names and values.
    cross-toolchain-env = pkgs.runCommand "cross-toolchain-env" { } (
      if envChecked == [ ] then
        "touch $out"
      else
        "printf '%s\\n' ${lib.escapeShellArgs envChecked} >&2; exit 1"
    );
  }
  // lib.optionalAttrs hasRustBin {
    # A bare-metal x86-64 ELF (statically linked, no interpreter); its _start uses Linux
    # system calls, so it runs here.
    cross-no-std = pkgs.runCommand "cross-no-std" { nativeBuildInputs = [ pkgs.file pkgs.binutils ]; } ''
      bin=${noStd}/bin/no-std-target
      file -L "$bin" | tee file.txt
      grep -q 'ELF 64-bit LSB executable, x86-64.*statically linked' file.txt || { echo "not a static x86-64 ELF" >&2; exit 1; }
      if readelf -l "$bin" | grep -q INTERP; then echo "has a program interpreter" >&2; exit 1; fi
      out_text=$("$bin")
      [ "$out_text" = "hypotenuse 5" ] || { echo "printed $out_text" >&2; exit 1; }
      touch $out
    '';
    # A UEFI application image (PE32+, EFI application subsystem); not run (no firmware here).
    cross-uefi = pkgs.runCommand "cross-uefi" { nativeBuildInputs = [ pkgs.file ]; } ''
      file -L ${uefi}/bin/uefi-app.efi | tee file.txt
      grep -q 'PE32+ executable (EFI application) x86-64' file.txt || { echo "not an x86-64 EFI application" >&2; exit 1; }
      touch $out
    '';
  }
  // lib.optionalAttrs hasNightly {
    cross-build-std = pkgs.runCommand "cross-build-std" { } ''
      out_text=$(${buildStd}/bin/build-std)
      [ "$out_text" = "build-std 42" ] || { echo "printed $out_text" >&2; exit 1; }
      touch $out
    '';
  }
  // {
    # A Windows executable (PE32+ for x86-64), which runs under the platform's emulator.
    cross-mingw = pkgs.runCommand "cross-mingw" { nativeBuildInputs = [ pkgs.file ]; } ''
      bin=${mingw}/bin/cross-app.exe
      file -L "$bin" | tee file.txt
      grep -q 'PE32+ executable (console) x86-64.*MS Windows' file.txt || { echo "not a Windows x86-64 executable" >&2; exit 1; }
      export WINEPREFIX=$(mktemp -d)
      out_text=$(${mingwPkgs.stdenv.hostPlatform.emulator pkgs} "$bin")
      [ "$out_text" = ${lib.escapeShellArg (expectedOutput "x86_64")} ] || { echo "printed $out_text" >&2; exit 1; }
      touch $out
    '';
    # The tests, compiled for Windows, pass under wine (mkCrossToolchainEnv's runner).
    cross-mingw-tests = mingwTests;
    cross-musl-crane = staticAndRuns "cross-musl-crane" craneMusl;
    # CARGO_BUILD_TARGET by hand through buildDepsOnly, and through buildDepsPerCrate.
    cross-musl-crane-deps = staticAndRuns "cross-musl-crane-deps" craneMuslDeps;
    cross-musl-crane-per-crate = staticAndRuns "cross-musl-crane-per-crate" craneMuslPerCrate;
  };

  skipped =
    lib.optional (!hasRustBin) "cross-no-std: this package set has no rust-bin (rust-overlay's; the stand-in has one)"
    ++ lib.optional (!hasNightly) "cross-build-std: this package set has no rust-bin.nightly (rust-overlay's; the stand-in has one when rustup has a nightly toolchain)";

  expectFailure = {
    # The target as `--target` in cargoExtraArgs: pieces are built without cargoExtraArgs
    # (each piece's project pins its crates), so buildDepsPerCrate asks for CARGO_BUILD_TARGET
    # instead of building the pieces for the build machine.
    cross-per-crate-target-in-extra-args = {
      drv = craneMuslLib.buildDepsPerCrate {
        inherit src;
        strictDeps = true;
        cargoExtraArgs = "--locked --target x86_64-unknown-linux-musl";
        requireFreshDependencies = true;
      };
      message = "buildDepsPerCrate: --target in cargoExtraArgs is not supported per crate";
    };
    # A target the toolchain has no standard library for: one line naming it and the fix.
    cross-target-missing = {
      drv = gantryLib.buildPackage {
        # No build script or C: rustc's error is the first one.
        src = ./projects/no-deps;
        CARGO_BUILD_TARGET = "x86_64-unknown-linux-gnux32";
      };
      message = "the Rust toolchain has no standard library for the target x86_64-unknown-linux-gnux32";
    };
    # One toolchain derivation while cross compiling: crane's warning (printed while the
    # derivation is evaluated; the build then fails on purpose).
    cross-unspliced-toolchain-warns = {
      drv =
        let
          warned = ((gantry.mkLib aarch64Pkgs).overrideToolchain (toolchainOf aarch64Pkgs.pkgsBuildHost)).buildPackage {
            inherit src;
          };
        in
        pkgs.runCommand "cross-unspliced-toolchain-warns" {
          evaluated = builtins.unsafeDiscardStringContext warned.drvPath;
        } "echo 'evaluated, the warning is above' >&2; exit 1";
      message = "needs a toolchain for each package set, and one derivation was given";
    };
  };
}
