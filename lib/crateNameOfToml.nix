# crateNameOfToml toml: `{ pname; version; }` read from a parsed Cargo.toml as crane does, each
# null when absent: pname from package.metadata.crane.name, package.name or
# workspace.metadata.crane.name; version from package.version or workspace.package.version.
# Internal to crateNameFromCargoToml and crateNameForSource.
{ lib }:

toml:
let
  firstString = lib.findFirst builtins.isString null;
in
{
  pname = firstString [
    (toml.package.metadata.crane.name or null)
    (toml.package.name or null)
    (toml.workspace.metadata.crane.name or null)
  ];
  version = firstString [
    (toml.package.version or null)
    (toml.workspace.package.version or null)
  ];
}
