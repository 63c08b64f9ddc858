{
  description = "One crate built with gantry: package, app, checks and a dev shell";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    # Wherever you keep gantry.
    gantry.url = "github:gantry-nix/gantry";
    advisory-db = {
      url = "github:rustsec/advisory-db";
      flake = false;
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      gantry,
      advisory-db,
    }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      gantryLib = gantry.mkLib pkgs;

      # Only what cargo reads: editing the README rebuilds nothing.
      src = gantryLib.cleanCargoSource ./.;
      commonArgs = { inherit src; };
      # Every dependency compiled once, shared by the package and every check below.
      cargoArtifacts = gantryLib.buildDepsOnly commonArgs;
      quick-start = gantryLib.buildPackage (commonArgs // { inherit cargoArtifacts; });
    in
    {
      packages.${system}.default = quick-start;

      apps.${system}.default = {
        type = "app";
        program = "${quick-start}/bin/quick-start";
      };

      checks.${system} = {
        inherit quick-start;
        clippy = gantryLib.cargoClippy (
          commonArgs
          // {
            inherit cargoArtifacts;
            cargoClippyExtraArgs = "--all-targets -- -D warnings";
          }
        );
        fmt = gantryLib.cargoFmt { inherit src; };
        test = gantryLib.cargoTest (commonArgs // { inherit cargoArtifacts; });
        doc = gantryLib.cargoDoc (commonArgs // { inherit cargoArtifacts; });
        audit = gantryLib.cargoAudit { inherit src advisory-db; };
        # deny.toml is not a Cargo source: give cargo-deny the whole directory.
        deny = gantryLib.cargoDeny { src = ./.; };
      };

      devShells.${system}.default = gantryLib.devShell { checks = self.checks.${system}; };
    };
}
