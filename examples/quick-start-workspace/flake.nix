{
  description = "A workspace built with gantry: one member alone, or all of them";

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
      gantryLib = gantry.mkLib pkgs;

      src = gantryLib.cleanCargoSource ./.;
      commonArgs = {
        inherit src;
        pname = "quick-start-workspace";
        version = "0.1.0";
      };
      # The whole workspace's dependencies, built once for every member.
      cargoArtifacts = gantryLib.buildDepsOnly commonArgs;
      member =
        name:
        gantryLib.buildPackage (
          commonArgs
          // {
            inherit cargoArtifacts;
            pname = name;
            cargoExtraArgs = "--locked -p ${name}";
            requireFreshDependencies = true;
          }
        );
    in
    {
      packages.${system} = {
        hello = member "hello";
        stats = member "stats";
        # Every member together.
        default = gantryLib.buildPackage (commonArgs // { inherit cargoArtifacts; });
      };

      checks.${system} = {
        inherit (self.packages.${system}) hello stats default;
        clippy = gantryLib.cargoClippy (
          commonArgs
          // {
            inherit cargoArtifacts;
            cargoClippyExtraArgs = "--all-targets -- -D warnings";
          }
        );
        test = gantryLib.cargoTest (commonArgs // { inherit cargoArtifacts; });
        hello-says-hello = pkgs.runCommand "hello-says-hello" { } ''
          [ "$(${self.packages.${system}.hello}/bin/hello)" = "hello workspace #1" ]
          touch $out
        '';
      };

      devShells.${system}.default = gantryLib.devShell { checks = self.checks.${system}; };
    };
}
