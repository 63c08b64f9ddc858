{
  description = "gantry's offline stand-in for the slice of nixpkgs it uses";

  outputs =
    { self }:
    let
      systems = [ "x86_64-linux" ];
      forSystem = system: import ./. { inherit system; };
    in
    {
      lib = import ./lib { };
      legacyPackages = builtins.listToAttrs (
        map (system: {
          name = system;
          value = forSystem system;
        }) systems
      );
    };
}
