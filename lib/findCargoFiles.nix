# findCargoFiles: every Cargo.toml and cargo config file under `src`, found by walking the
# tree at evaluation time (crane's API; gantry's own dummy source avoids this walk).
{ lib }:

src:
let
  walk =
    dir:
    let
      entries = builtins.readDir dir;
      here = name: type: {
        cargoTomls = lib.optional (type == "regular" && name == "Cargo.toml") (dir + "/${name}");
        cargoConfigs = lib.optional (
          type == "regular" && (name == "config" || name == "config.toml") && baseNameOf dir == ".cargo"
        ) (dir + "/${name}");
      };
      below = name: type: if type == "directory" then walk (dir + "/${name}") else { cargoTomls = [ ]; cargoConfigs = [ ]; };
      parts = lib.mapAttrsToList (name: type: [ (here name type) (below name type) ]) entries;
      all = lib.flatten parts;
    in
    {
      cargoTomls = lib.concatMap (p: p.cargoTomls) all;
      cargoConfigs = lib.concatMap (p: p.cargoConfigs) all;
    };
in
walk src
