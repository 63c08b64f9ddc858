# crateNameForSource src: the name for a store path holding `src`: the crate's name from its
# root Cargo.toml (package.metadata.crane.name, package.name, workspace.metadata.crane.name),
# or "source" when there is none. Internal to cleanCargoSource and path.
{ crateNameOfToml }:

src:
let
  root = src.origSrc or src;
  manifest = toString root + "/Cargo.toml";
  toml = if builtins.pathExists manifest then builtins.fromTOML (builtins.readFile manifest) else { };
  pname = (crateNameOfToml toml).pname;
in
if pname == null then "source" else pname
