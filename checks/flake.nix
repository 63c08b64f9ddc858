{
  description = "gantry's Nix test suite";

  # CI overrides both inputs: nixpkgs with the offline stand-in (checks/offline-pkgs),
  # gantry with the repository under test (see checks/run.sh).
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    gantry.url = "path:..";
  };

  outputs =
    { nixpkgs, gantry, ... }:
    let
      system = "x86_64-linux";
      suite = import ./. {
        pkgs = nixpkgs.legacyPackages.${system};
        inherit gantry;
      };
    in
    {
      checks.${system} = suite.checks;
      # Checks that take many minutes, built by checks/run.sh with GANTRY_SLOW_CHECKS=1.
      slowChecks.${system} = suite.slowChecks;
      # Builds that must fail, each with the text its error must contain.
      expectFailure.${system} = suite.expectFailure;
      # Checks this machine cannot run, each with the reason (printed by checks/run.sh).
      skipped.${system} = suite.skipped;
      # Entered by checks/run.sh with `nix develop`.
      devShells.${system}.default = suite.devShell;
    };
}
