{
  description = "Cross compiling for aarch64 Linux: the binary, its tests run under qemu, an app running it under qemu";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    # Wherever you keep gantry.
    gantry.url = "github:gantry-nix/gantry";
  };

  outputs =
    {
      self,
      nixpkgs,
      gantry,
    }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      # The package set for the machine the program runs on (as `import nixpkgs { localSystem;
      # crossSystem = "aarch64-linux"; }`).
      crossPkgs = pkgs.pkgsCross.aarch64-multiplatform;

      # A function of the package set (with rust-overlay: `p: p.rust-bin.stable.latest.default`):
      # gantry calls it for each of crossPkgs' sets, so the build gets the compiler that runs
      # on this machine and builds for aarch64.
      gantryLib = (gantry.mkLib crossPkgs).overrideToolchain (
        p:
        p.symlinkJoin {
          name = "rust-toolchain";
          paths = [
            p.cargo
            p.rustc
          ];
        }
      );

      # Every builder sets CARGO_BUILD_TARGET, the linker, the C compilers and qemu as cargo's
      # runner (mkCrossToolchainEnv), so the tests (doCheck) run under qemu.
      package = gantryLib.buildPackage {
        src = gantryLib.cleanCargoSource ./.;
        strictDeps = true;
      };
      emulator = crossPkgs.stdenv.hostPlatform.emulator pkgs;
    in
    {
      packages.${system}.default = package;

      apps.${system}.default = {
        type = "app";
        program = "${pkgs.writeShellScript "cross-aarch64" ''exec ${emulator} ${package}/bin/cross-aarch64 "$@"''}";
      };

      checks.${system} = {
        inherit package;
        runs-under-qemu = pkgs.runCommand "runs-under-qemu" { } ''
          [ "$(${emulator} ${package}/bin/cross-aarch64)" = "hello from aarch64" ]
          touch $out
        '';
      };
    };
}
