{
  description = "gantry: build Cargo projects with Nix, crane's API, dependencies compiled once";

  # No inputs: gantry is bound to the caller's nixpkgs through mkLib.
  outputs =
    { self }:
    {
      # mkLib pkgs: gantry's functions for that package set (see docs/API.md).
      mkLib = pkgs: import ./lib { inherit pkgs; };
    };
}
