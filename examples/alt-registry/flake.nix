{
  description = "A crate from an alternative registry (sparse index) vendored by gantry";

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
      # The registry's download URL comes from its config.json, fetched (pinned by its sha256)
      # at evaluation time.
      gantryLib = (gantry.mkLib pkgs).appendCrateRegistries [
        ((gantry.mkLib pkgs).registryFromSparse {
          indexUrl = "file:///tmp/gantry-fixtures/registry/sparse/";
          configSha256 = "0efb3d003e9c6503229ab40c9a09c1228e1f597a2ae42b34db5a1ac235bafa64";
        })
      ];

      # cleanCargoSource keeps .cargo/config.toml, which names the registry.
      src = gantryLib.cleanCargoSource ./.;
      package = gantryLib.buildPackage {
        inherit src;
        cargoArtifacts = gantryLib.buildDepsOnly { inherit src; };
      };
    in
    {
      packages.${system}.default = package;

      checks.${system} = {
        inherit package;
        runs = pkgs.runCommand "runs" { } ''
          [ "$(${package}/bin/alt-registry)" = "registry fixture (sparse index): 2 + 3 = 5 (fixture-text 0.2.0 via fixture-math 1.0.0)" ]
          touch $out
        '';
      };
    };
}
