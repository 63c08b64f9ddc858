{
  description = "A wasm web app built by trunk: the page, its wasm module and JS glue in one directory";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    # Wherever you keep gantry.
    gantry.url = "github:gantry-nix/gantry";
    # For a toolchain holding the wasm32-unknown-unknown standard library.
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      gantry,
      rust-overlay,
    }:
    let
      system = "x86_64-linux";
      pkgs = import nixpkgs {
        inherit system;
        overlays = [ (import rust-overlay) ];
      };
      inherit (pkgs) lib;

      # trunk builds for wasm32-unknown-unknown: the toolchain must hold that target.
      gantryLib = (gantry.mkLib pkgs).overrideToolchain (
        p: p.rust-bin.stable.latest.default.override { targets = [ "wasm32-unknown-unknown" ]; }
      );

      # The Cargo sources and the page (index.html; add other assets the same way).
      src = lib.fileset.toSource {
        root = ./.;
        fileset = lib.fileset.unions [
          (gantryLib.fileset.commonCargoSources ./.)
          ./index.html
        ];
      };

      commonArgs = {
        inherit src;
        strictDeps = true;
        # The dependencies are built for the web, not for this machine.
        CARGO_BUILD_TARGET = "wasm32-unknown-unknown";
      };

      # The dependencies alone, reused by the app and by clippy (no tests: they would not
      # run on this machine).
      cargoArtifacts = gantryLib.buildDepsOnly (commonArgs // { doCheck = false; });

      # A directory to put on a web server: index.html, the .wasm module and its JS glue.
      my-app = gantryLib.buildTrunkPackage (
        commonArgs
        // {
          inherit cargoArtifacts;
          # Must be the version of wasm-bindgen in Cargo.lock; nixpkgs names each release.
          wasm-bindgen-cli = pkgs.wasm-bindgen-cli_0_2_126;
        }
      );
    in
    {
      packages.${system}.default = my-app;

      checks.${system} = {
        inherit my-app;
        # The page loads the glue, and the module is wasm ("\0asm").
        my-app-dist = pkgs.runCommand "my-app-dist" { } ''
          js=$(cd ${my-app} && echo trunk-example-*.js)
          grep -qF "$js" ${my-app}/index.html
          [ "$(head -c 4 ${my-app}/trunk-example-*_bg.wasm | od -An -tx1 | tr -d ' \n')" = 0061736d ]
          touch $out
        '';
        my-app-clippy = gantryLib.cargoClippy (
          commonArgs
          // {
            inherit cargoArtifacts;
            cargoClippyExtraArgs = "--all-targets -- --deny warnings";
          }
        );
        my-app-fmt = gantryLib.cargoFmt { inherit src; };
      };

      devShells.${system}.default = gantryLib.devShell {
        checks = self.checks.${system};
        packages = [ pkgs.trunk ];
      };
    };
}
