# The documentation matches the library. docs-cover-the-library: no internal function (the
# list in API.md) is in the scope, and every public attribute of
# mkLib's result is documented in docs/API.md. docs-migration-table: the tables of
# docs/migration-from-crane.md against docs/crane-names.txt (crane's public names, kept as
# data) and against gantry itself (see tableProblems).
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

  # The scope's own plumbing, and the internal functions API.md lists (kept out of the scope).
  plumbing = [ "callPackage" "newScope" "overrideScope" "overrideScope'" "packages" ];
  # The paragraph starting "Internal functions", up to the blank line after it.
  internalParagraph = builtins.head (
    lib.splitString "\n\n" (builtins.elemAt (lib.splitString "Internal functions" api) 1)
  );
  internal = map builtins.head (
    builtins.filter (m: m != null) (
      map (w: builtins.match "`([^`]+)`.*" w) (lib.splitString " " (builtins.replaceStrings [ "\n" ] [ " " ] internalParagraph))
    )
  );
  # Documented: the name in code, alone or as the start of a signature (`path p`).
  documented = n: lib.hasInfix "`${n}`" api || lib.hasInfix "`${n} " api;
  public = builtins.filter (n: !(builtins.elem n plumbing)) (builtins.attrNames gantryLib);
  # An internal function that found its way into the public scope.
  leaked = builtins.filter (n: gantryLib ? ${n}) internal;

  # docs/crane-names.txt: `[section]` lines, then a name a line; `#` starts a comment.
  craneNames =
    let
      lines = builtins.filter (l: l != "" && !(lib.hasPrefix "#" l)) (
        map lib.trim (lib.splitString "\n" (builtins.readFile (gantrySrc + "/docs/crane-names.txt")))
      );
      step =
        acc: l:
        let
          section = builtins.match "\\[(.*)]" l;
        in
        if section != null then
          acc // { current = builtins.head section; }
        else
          acc // { ${acc.current} = (acc.${acc.current} or [ ]) ++ [ l ]; };
    in
    removeAttrs (builtins.foldl' step { current = "none"; } lines) [ "current" ];

  # The functions gantry's hooks define (NAME() {), without the private `_` ones.
  hookFunctions =
    let
      dir = gantrySrc + "/hooks";
      scripts = builtins.filter (f: lib.hasSuffix ".sh" f) (builtins.attrNames (builtins.readDir dir));
      defined = f: builtins.filter (l: l != null) (
        map (l: builtins.match "([A-Za-z][A-Za-z0-9_]*)\\(\\) \\{.*" l) (lib.splitString "\n" (builtins.readFile (dir + "/${f}")))
      );
    in
    map builtins.head (lib.concatMap defined scripts);

  # What is wrong with the migration document `text`: each table (the functions table before
  # the first section, "## Hook functions") against crane's names of its kind and gantry's.
  tableProblems =
    text:
    let
      sections = lib.splitString "\n## " text;
      section = title: lib.findFirst (s: lib.hasPrefix title s) "" sections;
      # Rows: | `name` | status | notes |
      rowsOf =
        part:
        builtins.filter (r: r != null) (
          map (l: builtins.match "\\| `([^`]+)` \\| (same|different|not supported|gantry only) \\|.*" l) (
            lib.splitString "\n" part
          )
        );
      tables = {
        scope = {
          what = "the functions table";
          rows = rowsOf (builtins.head sections);
          crane = craneNames.scope or [ ];
          gantry = public;
          exists = n: gantryLib ? ${n};
          where = "the library";
        };
        "hook functions" = {
          what = "the hook functions table";
          rows = rowsOf (section "Hook functions");
          crane = craneNames."hook functions" or [ ];
          gantry = hookFunctions;
          exists = n: builtins.elem n hookFunctions;
          where = "gantry's hooks (hooks/*.sh)";
        };
      };
      problemsOf =
        kind: t:
        let
          names = map builtins.head t.rows;
          status = n: builtins.elemAt (lib.findFirst (r: builtins.head r == n) null t.rows) 1;
          inTable = n: builtins.elem n names;
          isCrane = n: builtins.elem n t.crane;
        in
        if t.crane == [ ] || t.rows == [ ] then
          [ "cannot read ${t.what} or the [${kind}] names of docs/crane-names.txt" ]
        else
          map (n: "crane's ${n} is missing from ${t.what}") (builtins.filter (n: !(inTable n)) t.crane)
          ++ map (n: "gantry's ${n} is missing from ${t.what}") (
            builtins.filter (n: !(inTable n) && !(isCrane n)) t.gantry
          )
          ++ map (n: "${t.what} calls ${n} crane's, but docs/crane-names.txt does not list it: mark it gantry only") (
            builtins.filter (n: status n != "gantry only" && !(isCrane n)) names
          )
          ++ map (n: "${t.what} marks ${n} gantry only, but it is crane's: say same, different or not supported") (
            builtins.filter (n: status n == "gantry only" && isCrane n) names
          )
          ++ map (n: "${t.what} says ${n} is ${status n}, but ${t.where} has no ${n}") (
            builtins.filter (n: status n != "not supported" && !(t.exists n)) names
          )
          ++ map (n: "${t.what} says ${n} is not supported, but ${t.where} has it") (
            builtins.filter (n: status n == "not supported" && t.exists n) names
          );
    in
    lib.concatLists (lib.mapAttrsToList problemsOf tables);

  # A build that fails listing the problems of `text`, or passes saying what it compared.
  tableCheck =
    name: text:
    let
      problems = tableProblems text;
    in
    pkgs.runCommand name { } (
      if problems != [ ] then
        "printf 'docs/migration-from-crane.md: %s\\n' ${lib.escapeShellArgs problems} >&2; exit 1"
      else
        ''
          echo "${toString (lib.length craneNames.scope)} crane scope names and ${toString (lib.length craneNames."hook functions")} hook functions have rows; ${toString (lib.length public)} public names and ${toString (lib.length hookFunctions)} hook functions of gantry too"
          touch $out
        ''
    );

  # The document with the row of `name` taken out: the check must notice.
  withoutRow = name: lib.concatStringsSep "\n" (
    builtins.filter (l: !(lib.hasPrefix "| `${name}` |" l)) (lib.splitString "\n" migration)
  );
in
{
  checks.docs-cover-the-library =
    let
      undocumented = builtins.filter (n: !(documented n)) public;
    in
    if internal == [ ] then
      throw "checks/docs.nix: could not read the internal names of docs/API.md"
    else if leaked != [ ] then
      throw "docs: ${lib.concatMapStringsSep "; " (n: "the internal ${n} is in the public scope") leaked}"
    else if undocumented != [ ] then
      throw "docs: ${lib.concatMapStringsSep "; " (n: "${n} is not documented in docs/API.md") undocumented}"
    else
      pkgs.runCommand "docs-cover-the-library" { } ''
        echo "${toString (lib.length public)} public names documented in docs/API.md"
        touch $out
      '';

  checks.docs-migration-table = tableCheck "docs-migration-table" migration;

  expectFailure = {
    # A crane name without its row (cargoBuild: crane's, and gantry's too).
    docs-migration-table-missing-row = {
      drv = tableCheck "docs-migration-table-missing-row" (withoutRow "cargoBuild");
      message = "crane's cargoBuild is missing from the functions table";
    };
    # A crane hook function without its row.
    docs-migration-table-missing-hook-function = {
      drv = tableCheck "docs-migration-table-missing-hook-function" (withoutRow "postBuildInstallFromCargoBuildLog");
      message = "crane's postBuildInstallFromCargoBuildLog is missing from the hook functions table";
    };
  };
}
