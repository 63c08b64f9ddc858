# memberVersions { src, lockText }: for `src` a sourceView (sourceView.nix: a path, or a
# cleanSourceWith result over one, read through its filter), the workspace's manifests and lock with the
# members' own versions taken out at evaluation time, or null when that cannot be done safely.
# Internal to mkDummySrc: releasing a version changes only these texts, so with them replaced
# by the normalised ones the dummy's inputs — and the deps derivation — stay the same. The
# helper still normalises authoritatively at build time; this pass only has to remove every
# trace of the versions, and gives up (null: no normalisation, never a wrong build) on what
# it does not understand: `[patch]`/`[replace]`, glob patterns beyond the last component,
# lock entries naming a member with its version.
#
# The manifests come from workspaceManifests (no walk of the tree).
{ lib, workspaceManifests }:

# lockText: the lock file's text (that of src when null).
{ src, lockText ? null }:
let
  inherit (lib) concatStringsSep filter hasPrefix splitString;
  found = workspaceManifests src;
  texts = if found == null then [ ] else found;

  # --- Manifest text: versions of [package] / [workspace.package], and version requirements
  # next to a `path` in inline dependency tables.
  versionLine = ''[[:space:]]*version[[:space:]]*=[[:space:]]*"[^"]*"[[:space:]]*(#.*)?'';
  tableName =
    line:
    let
      m = builtins.match ''[[:space:]]*\[(.*)][[:space:]]*(#.*)?'' line;
    in
    if m == null then null else builtins.replaceStrings [ " " "\t" ] [ "" "" ] (builtins.head m);
  isDependencyTable = t: builtins.match "(.*\\.)?(dev-|dev_|build-|build_)?dependencies" t != null;
  dropPathVersion =
    line:
    let
      req = ''version[[:space:]]*=[[:space:]]*"[^"]*"'';
      last = builtins.match "(.*[{].*),[[:space:]]*${req}[[:space:]]*([}].*)" line;
      inner = builtins.match "(.*[{,][[:space:]]*)${req}[[:space:]]*,[[:space:]]*(.*[}].*)" line;
      hasPath = builtins.match ".*[{,][[:space:]]*path[[:space:]]*=.*" line != null;
    in
    if !hasPath then
      line
    else if last != null then
      "${builtins.elemAt last 0} ${builtins.elemAt last 1}"
    else if inner != null then
      "${builtins.elemAt inner 0}${builtins.elemAt inner 1}"
    else
      line;
  normaliseManifest =
    text:
    let
      # Every line with the table it belongs to.
      tagged =
        (builtins.foldl'
          (
            acc: line:
            let
              t = tableName line;
              table = if t != null then t else acc.table;
            in
            {
              inherit table;
              items = acc.items ++ [
                {
                  inherit line table;
                  header = t != null;
                }
              ];
            }
          )
          {
            table = "";
            items = [ ];
          }
          (splitString "\n" text)
        ).items;
      matches = regex: line: builtins.match regex line != null;
      # [dependencies.x] tables: their version requirement goes only where a path is given.
      isDotted = matches "(.*\\.)?(dev-|dev_|build-|build_)?dependencies\\..*";
      withPath = map (i: i.table) (
        builtins.filter (i: !i.header && isDotted i.table && matches "[[:space:]]*path[[:space:]]*=.*" i.line) tagged
      );
      out =
        i:
        if i.header then
          i.line
        else if (i.table == "package" || i.table == "workspace.package") && matches versionLine i.line then
          ''version = "0.0.0"''
        else if isDotted i.table then
          (if builtins.elem i.table withPath && matches versionLine i.line then "" else i.line)
        else if isDependencyTable i.table then
          dropPathVersion i.line
        else
          i.line;
    in
    concatStringsSep "\n" (map out tagged);

  # --- Lock text: the version line of every [[package]] without a source (the members and
  # path dependencies).
  lockPath = src.root + "/Cargo.lock";
  normaliseLock =
    text:
    let
      parsed = builtins.fromTOML text;
      locals = map (p: p.name) (filter (p: !(p ? source)) (parsed.package or [ ]));
      # "name version" references to a local package: the version would survive.
      namedWithVersion = builtins.any (name: lib.hasInfix "\"${name} " text) locals;
      blocks = splitString "\n[[package]]\n" text;
      normaliseBlock =
        block:
        let
          lines = splitString "\n" block;
        in
        if builtins.any (line: hasPrefix "source = " line) lines then
          block
        else
          concatStringsSep "\n" (
            map (line: if builtins.match ''version = "[^"]*"'' line != null then ''version = "0.0.0"'' else line) lines
          );
    in
    if namedWithVersion then
      null
    else
      concatStringsSep "\n[[package]]\n" ([ (builtins.head blocks) ] ++ map normaliseBlock (builtins.tail blocks));

  patched = builtins.any (
    x: builtins.any (line: builtins.match "[[:space:]]*\\[(patch|replace)[].].*" line != null) (splitString "\n" x.text)
  ) texts;
  manifests = map (x: x // { normalised = normaliseManifest x.text; }) texts;
  lock =
    if lockText != null then
      normaliseLock lockText
    else if builtins.pathExists lockPath then
      normaliseLock (builtins.readFile lockPath)
    else
      null;
  usable = found != null && !patched && lock != null;
in
if !usable then
  null
else
  {
    # Directories (relative to src, "" for the root) whose Cargo.toml is replaced.
    manifests = map (m: {
      inherit (m) dir;
      text = m.normalised;
    }) manifests;
    lock = lock;
  }
