# Helpers shared by the stand-in's evaluation tests (./lib.nix, ./fileset.nix).
{ lib }:

rec {
  # Whether evaluating `v` deeply fails with a catchable error (throw/assert).
  fails = v: !(builtins.tryEval (builtins.deepSeq v v)).success;

  # JSON for failure messages only: never fails on functions, and paths become strings
  # (toJSON would copy them to the store).
  jsonable =
    v:
    if lib.isFunction v then
      "<function>"
    else if builtins.isList v then
      map jsonable v
    else if builtins.isAttrs v then
      builtins.mapAttrs (_: jsonable) v
    else if builtins.isPath v then
      toString v
    else
      v;
  render = v: builtins.toJSON (jsonable v);

  # What builtins.path would copy for a cleanSourceWith result, as sorted paths relative to
  # its origSrc, directories as "dir/". (`nix-instantiate --eval` runs read-only, so the
  # store copy itself cannot be inspected; this walks the tree and applies the filter the
  # same way: a rejected directory is not descended.)
  keptFiles =
    source:
    let
      root = toString source.origSrc;
      walk =
        rel:
        builtins.concatLists (
          lib.mapAttrsToList (
            name: type:
            let
              relPath = if rel == "" then name else "${rel}/${name}";
            in
            if !(source.filter "${root}/${relPath}" type) then
              [ ]
            else if type == "directory" then
              [ "${relPath}/" ] ++ walk relPath
            else
              [ relPath ]
          ) (builtins.readDir (if rel == "" then root else "${root}/${rel}"))
        );
    in
    walk "";
}
