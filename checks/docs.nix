# The documentation matches the library: every public attribute of mkLib's result is
# documented in docs/API.md and listed in docs/migration-from-crane.md, and every crane name
# the table marks as available exists.
{
  pkgs,
  lib,
  gantryLib,
  gantrySrc,
  ...
}:

let
  api = builtins.readFile (gantrySrc + "/docs/API.md");
  migration = builtins.readFile (gantrySrc + "/docs/migration-from-crane.md");
  # The functions table: everything before the attributes section.
  lines = lib.splitString "\n" (builtins.head (lib.splitString "## Attributes" migration));

  # The scope's own plumbing, and the internal attributes API.md lists as such.
  plumbing = [ "callPackage" "newScope" "overrideScope" "overrideScope'" "packages" ];
  # The paragraph starting "Internal attributes", up to the blank line after it.
  internalParagraph = builtins.head (
    lib.splitString "\n\n" (builtins.elemAt (lib.splitString "Internal attributes" api) 1)
  );
  internal = map builtins.head (
    builtins.filter (m: m != null) (
      map (w: builtins.match "`([^`]+)`.*" w) (lib.splitString " " (builtins.replaceStrings [ "\n" ] [ " " ] internalParagraph))
    )
  );
  # Documented: the name in code, alone or as the start of a signature (`path p`).
  documented = n: lib.hasInfix "`${n}`" api || lib.hasInfix "`${n} " api;
  public = builtins.filter (n: !(builtins.elem n (plumbing ++ internal))) (builtins.attrNames gantryLib);

  # Rows of the functions table: | `name` | status | notes |
  rows = builtins.filter (r: r != null) (
    map (l: builtins.match "\\| `([^`]+)` \\| (same|different|not supported|gantry only) \\|.*" l) lines
  );
  tableNames = map builtins.head rows;
  available = map builtins.head (builtins.filter (r: builtins.elemAt r 1 != "not supported") rows);

  problems =
    map (n: "${n} is not documented in docs/API.md") (
      builtins.filter (n: !(documented n)) public
    )
    ++ map (n: "${n} is missing from the table in docs/migration-from-crane.md") (
      builtins.filter (n: !(builtins.elem n tableNames)) public
    )
    ++ map (n: "docs/migration-from-crane.md says ${n} is available, but the library has no ${n}") (
      builtins.filter (n: !(gantryLib ? ${n})) available
    );
in
{
  checks.docs-cover-the-library =
    if internal == [ ] || lib.length rows < 40 then
      throw "checks/docs.nix: could not read the internal names of docs/API.md or the table of docs/migration-from-crane.md"
    else if problems != [ ] then
      throw "docs: ${lib.concatStringsSep "; " problems}"
    else
      pkgs.runCommand "docs-cover-the-library" { } ''
        echo "${toString (lib.length public)} public names documented and in the migration table"
        touch $out
      '';
  expectFailure = { };
}
