# crateNameForSource src: the name for a store path holding `src`: the crate's name from its
# root Cargo.toml (package.metadata.crane.name, package.name, workspace.metadata.crane.name),
# or "source" when there is none. A path, or a filtered source over one (cleanSourceWith,
# lib.fileset.toSource), is read through its filter (sourceView): a root Cargo.toml the
# source leaves out is not read, so it names nothing. Anything else (a string, a derivation)
# is read at the directory behind it. Internal to cleanCargoSource and path.
{ crateNameOfToml, sourceView }:

src:
let
  view = sourceView src;
  behind = toString (src.origSrc or src) + "/Cargo.toml";
  manifest =
    if view != null then
      (if view.hasFile "Cargo.toml" then view.root + "/Cargo.toml" else null)
    else if builtins.pathExists behind then
      behind
    else
      null;
  toml = if manifest == null then { } else builtins.fromTOML (builtins.readFile manifest);
  pname = (crateNameOfToml toml).pname;
in
if pname == null then "source" else pname
