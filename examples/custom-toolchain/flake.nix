{
  description = "gantry with a toolchain of one's own (e.g. from rust-overlay) through overrideToolchain";

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

      # One derivation holding cargo, rustc, clippy and rustfmt. With rust-overlay this would be
      # `p: p.rust-bin.stable.latest.default`; here it is put together from nixpkgs' own.
      toolchain =
        p:
        p.symlinkJoin {
          name = "my-rust-toolchain";
          paths = [
            p.cargo
            p.rustc
            p.clippy
            p.rustfmt
          ];
        };
      gantryLib = (gantry.mkLib pkgs).overrideToolchain toolchain;

      package = gantryLib.buildPackage { src = gantryLib.cleanCargoSource ./.; };
    in
    {
      packages.${system}.default = package;

      checks.${system} = {
        inherit package;
        runs = pkgs.runCommand "runs" { } ''
          [ "$(${package}/bin/custom-toolchain)" = "built by a custom toolchain" ]
          touch $out
        '';
        clippy = gantryLib.cargoClippy { src = gantryLib.cleanCargoSource ./.; };
      };

      devShells.${system}.default = gantryLib.devShell { };
    };
}
