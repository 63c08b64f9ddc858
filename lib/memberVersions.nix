# memberVersions { src, lockText }: for a path `src`, the workspace's manifests and lock with the
# members' own versions taken out at evaluation time, or null when that cannot be done safely.
# Internal to mkDummySrc: releasing a version changes only these texts, so with them replaced
# by the normalised ones the dummy's inputs — and the deps derivation — stay the same. The
# helper still normalises authoritatively at build time; this pass only has to remove every
# trace of the versions, and gives up (null: no normalisation, never a wrong build) on what
# it does not understand: `[patch]`/`[replace]`, glob patterns beyond the last component,
# dotted dependency tables, lock entries naming a member with its version.
#
# Only files the workspace names are read (root manifest, member globs' directories, path
# dependencies): no walk of the tree.
{ lib }:

# lockText: the lock file's text (that of src when null).
{ src, lockText ? null }:
let
  inherit (lib) concatMap concatStringsSep filter hasPrefix splitString;

  manifestPath = dir: if dir == "" then src + "/Cargo.toml" else src + "/${dir}/Cargo.toml";
  hasManifest = dir: builtins.pathExists (manifestPath dir);
  read = dir: builtins.readFile (manifestPath dir);
  parse = dir: builtins.fromTOML (read dir);

  # "a/./b/../c" -> "a/c"; null when it leaves src.
  normalisePath =
    path:
    let
      step =
        acc: part:
        if acc == null then
          null
        else if part == "" || part == "." then
          acc
        else if part == ".." then
          (if acc == [ ] then null else lib.init acc)
        else
          acc ++ [ part ];
      parts = builtins.foldl' step [ ] (splitString "/" path);
    in
    if parts == null then null else concatStringsSep "/" parts;
  join = dir: rel: normalisePath (if dir == "" then rel else "${dir}/${rel}");

  # A member entry: a directory, or a glob whose only pattern is in the last component.
  expandMember =
    glob:
    let
      parts = splitString "/" (normalisePath glob);
      isPattern = s: builtins.match ".*[][*?].*" s != null;
      parent = concatStringsSep "/" (lib.init parts);
      pattern = lib.last parts;
      regex = builtins.replaceStrings [ "\\*" "\\?" ] [ ".*" "." ] (lib.escapeRegex pattern);
      entries = builtins.readDir (if parent == "" then src else src + "/${parent}");
    in
    if !(isPattern glob) then
      [ (normalisePath glob) ]
    else if builtins.any isPattern (lib.init parts) || builtins.match ".*\\[.*" pattern != null then
      null
    else
      map (name: if parent == "" then name else "${parent}/${name}") (
        filter (name: entries.${name} == "directory" && builtins.match regex name != null) (
          builtins.attrNames entries
        )
      );

  dependencyTables =
    manifest:
    let
      own = t: concatMap (k: builtins.attrValues (t.${k} or { })) [
        "dependencies"
        "dev-dependencies"
        "dev_dependencies"
        "build-dependencies"
        "build_dependencies"
      ];
    in
    own manifest
    ++ concatMap own (builtins.attrValues (manifest.target or { }))
    ++ builtins.attrValues (manifest.workspace.dependencies or { });
  pathDependencies =
    dir: manifest:
    filter (d: d != null) (
      map (dep: join dir dep.path) (filter (dep: builtins.isAttrs dep && dep ? path) (dependencyTables manifest))
    );

  root = parse "";
  expanded = map expandMember (root.workspace.members or [ ]);
  excluded = map normalisePath (root.workspace.exclude or [ ]);
  members = filter (d: d != null && !(builtins.elem d excluded) && hasManifest d) (
    concatMap (x: if x == null then [ ] else x) expanded
  );
  # Every package directory: the root, the members and, transitively, their path dependencies.
  dirs = map (x: x.key) (
    builtins.genericClosure {
      startSet = map (key: { inherit key; }) ([ "" ] ++ members);
      operator =
        item: map (key: { inherit key; }) (filter hasManifest (pathDependencies item.key (parse item.key)));
    }
  );

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
      step =
        acc: line:
        let
          t = tableName line;
          table = if t != null then t else acc.table;
          out =
            if t != null then
              line
            else if (table == "package" || table == "workspace.package") && builtins.match versionLine line != null then
              ''version = "0.0.0"''
            else if isDependencyTable table then
              dropPathVersion line
            else
              line;
        in
        {
          inherit table;
          lines = acc.lines ++ [ out ];
          # Dotted dependency tables ([dependencies.x]) may hold a path and a version on
          # separate lines: not handled, so give up.
          understood = acc.understood && !(t != null && builtins.match "(.*\\.)?(dev-|dev_|build-|build_)?dependencies\\..*" t != null);
        };
      result = builtins.foldl' step {
        table = "";
        lines = [ ];
        understood = true;
      } (splitString "\n" text);
    in
    if result.understood then concatStringsSep "\n" result.lines else null;

  # --- Lock text: the version line of every [[package]] without a source (the members and
  # path dependencies).
  lockPath = src + "/Cargo.lock";
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

  texts = map (dir: {
    inherit dir;
    text = read dir;
  }) dirs;
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
  usable =
    !(builtins.elem null expanded) && !patched && lock != null && builtins.all (m: m.normalised != null) manifests;
in
if !(hasManifest "") || !usable then
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
