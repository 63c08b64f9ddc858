{
  description = "C code through build scripts: a -sys crate compiling its bundled C with cc, or linking the system zlib found by pkg-config";

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

      # The same arguments for the deps and the final build, so nothing is rebuilt.
      build =
        args:
        gantryLib.buildPackage (
          args
          // {
            inherit src;
            cargoArtifacts = gantryLib.buildDepsOnly (args // { inherit src; });
            requireFreshDependencies = true;
          }
        );
      runs =
        name: pkg:
        pkgs.runCommand name { } ''
          [ "$(${pkg}/bin/build-script-c-library)" = "crc32 c69c6f7c" ]
          touch $out
        '';
    in
    {
      packages.${system} = {
        # libz-sys finds zlib through pkg-config and links it.
        default = build {
          nativeBuildInputs = [ pkgs.pkg-config ];
          buildInputs = [ pkgs.zlib ];
        };
        # libz-sys compiles its bundled zlib sources with the cc crate.
        bundled = build { cargoExtraArgs = "--locked --features static"; };
      };

      checks.${system} = {
        system-zlib = runs "system-zlib" self.packages.${system}.default;
        bundled-zlib = runs "bundled-zlib" self.packages.${system}.bundled;
      };
    };
}
