{
  description = "gantry's offline stand-in for rust-overlay (its rust-bin is in the nixpkgs stand-in)";

  # As rust-overlay's, so a flake's `rust-overlay.inputs.nixpkgs.follows` has its target
  # (never fetched: it is followed, and the overlay does not use it).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    {
      overlays.default = import ./.;
    };
}
