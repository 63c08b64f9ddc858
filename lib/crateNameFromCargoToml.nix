# crateNameFromCargoToml: { pname; version; } from a manifest, as crane does:
# pname from package.metadata.crane.name, package.name, workspace.metadata.crane.name;
# version from package.version, then workspace.package.version (for `version.workspace =
# true`). Without either, "cargo-package" / "0.0.1" with a warning saying what to set.
{ lib, crateNameOfToml }:

{
  src ? null,
  cargoToml ?
    if src == null then
      throw "crateNameFromCargoToml: one of src, cargoToml or cargoTomlContents must be specified"
    else
      src + "/Cargo.toml",
  cargoTomlContents ?
    if builtins.pathExists cargoToml then
      builtins.readFile cargoToml
    else
      throw "crateNameFromCargoToml: no Cargo.toml at ${toString cargoToml}; point `src` at the directory holding the root Cargo.toml (a flake only sees files tracked by git), or pass pname and version",
  ...
}:

let
  inherit (crateNameOfToml (builtins.fromTOML cargoTomlContents)) pname version;
  where = if src != null then toString src else "the given Cargo.toml";
in
{
  pname =
    if pname != null then
      pname
    else
      lib.warn "crateNameFromCargoToml: no package.name in ${where}; using \"cargo-package\" (set pname, or package.metadata.crane.name)" "cargo-package";
  version =
    if version != null then
      version
    else
      lib.warn "crateNameFromCargoToml: no package.version or workspace.package.version in ${where}; using \"0.0.1\" (set version)" "0.0.1";
}
