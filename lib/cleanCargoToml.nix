# cleanCargoToml: the parsed manifest without the keys the filter rejects, evaluated in Nix.
# Same semantics as `gantry clean-toml` (which mkDummySrc uses at build time).
{ filters }:

let
  # Walks tables key by key; array elements are walked with their array's path.
  filterValue =
    keep: path: value:
    if builtins.isAttrs value then
      builtins.listToAttrs (
        builtins.concatMap (
          name:
          let
            p = path ++ [ name ];
          in
          if keep p then [ { inherit name; value = filterValue keep p value.${name}; } ] else [ ]
        ) (builtins.attrNames value)
      )
    else if builtins.isList value then
      map (filterValue keep path) value
    else
      value;
in
{
  cargoToml ? throw "cleanCargoToml: either cargoToml or cargoTomlContents must be specified",
  cargoTomlContents ? builtins.readFile cargoToml,
  cleanCargoTomlFilter ? filters.cargoTomlDefault,
}:
filterValue cleanCargoTomlFilter [ ] (builtins.fromTOML cargoTomlContents)
