{
  description = "gantry's offline stand-in for rust-overlay (its rust-bin is in the nixpkgs stand-in)";

  outputs =
    { self }:
    {
      overlays.default = import ./.;
    };
}
