{
  description = "Git dependencies vendored by gantry: one fetched at evaluation time, one as a fixed-output derivation";

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

      commonArgs = {
        src = gantryLib.cleanCargoSource ./.;
        # A hash makes that checkout a fixed-output fetchgit; sources without one are fetched
        # with builtins.fetchGit at evaluation time, pinned by the commit in Cargo.lock.
        outputHashes = {
          "git+file:///tmp/gantry-fixtures/git/greeting.git?rev=3e8bdc7221b61f11baacf200a449a5f97380c7f4#3e8bdc7221b61f11baacf200a449a5f97380c7f4" =
            "sha256-8Un2kaDWtbB85wNqb+TlrzXaUPMDtHLvoXH8ok+GttE=";
        };
      };
      package = gantryLib.buildPackage (
        commonArgs // { cargoArtifacts = gantryLib.buildDepsOnly commonArgs; }
      );
    in
    {
      packages.${system}.default = package;

      checks.${system} = {
        inherit package;
        runs = pkgs.runCommand "runs" { } ''
          ${package}/bin/git-dependencies > out
          grep -qx 'draw 2x3 area=6 using shapes-core 1.1.0 (branch main)' out
          grep -qx 'hello git-dependencies from greeting (first commit)' out
          touch $out
        '';
      };
    };
}
