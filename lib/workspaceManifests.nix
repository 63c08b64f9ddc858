# workspaceManifests view: the Cargo.toml files of the workspace at `view`, as
# [ { dir; text; } ] (dir relative to its root, "" for the root), or null when they cannot be
# found without guessing (no root manifest, or member globs with patterns before the last
# path component or character classes). Only files the workspace names are read — the root
# manifest, the directories of member globs, path dependencies (transitively) — never a
# walk of the tree. Internal to mkDummySrc and manifestsDigest.
#
# `view` is a sourceView (sourceView.nix): files are read from its root, and only those it
# shows. The workspace is at its root, or at `view.workspaceDir` (relative to the root) when
# set: dirs stay relative to the root, so path dependencies beside the workspace are found.
{ lib }:

view:
let
  inherit (lib) concatMap concatStringsSep filter splitString;

  base = view.root;
  inherit (view) visible;
  manifestRel = dir: if dir == "" then "Cargo.toml" else "${dir}/Cargo.toml";
  hasManifest = dir: view.hasFile (manifestRel dir);
  read = dir: builtins.readFile (base + "/${manifestRel dir}");
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
      entries = builtins.readDir (if parent == "" then base else base + "/${parent}");
    in
    if !(isPattern glob) then
      [ (normalisePath glob) ]
    else if builtins.any isPattern (lib.init parts) || builtins.match ".*\\[.*" pattern != null then
      null
    else
      map (name: if parent == "" then name else "${parent}/${name}") (
        filter (
          name:
          entries.${name} == "directory"
          && builtins.match regex name != null
          && visible (if parent == "" then name else "${parent}/${name}") "directory"
        ) (builtins.attrNames entries)
      );

  dependencyTables =
    manifest:
    let
      own = t: concatMap (k: builtins.attrValues (t.${k} or { })) (import ./dependencyTableNames.nix);
    in
    own manifest
    ++ concatMap own (builtins.attrValues (manifest.target or { }))
    ++ builtins.attrValues (manifest.workspace.dependencies or { });
  pathDependencies =
    dir: manifest:
    filter (d: d != null) (
      map (dep: join dir dep.path) (filter (dep: builtins.isAttrs dep && dep ? path) (dependencyTables manifest))
    );

  workspaceDir = view.workspaceDir or "";
  inWorkspace = rel: if workspaceDir == "" then rel else "${workspaceDir}/${rel}";
  root = parse workspaceDir;
  expanded = map (glob: expandMember (inWorkspace glob)) (root.workspace.members or [ ]);
  excluded = map (dir: normalisePath (inWorkspace dir)) (root.workspace.exclude or [ ]);
  members = filter (d: d != null && !(builtins.elem d excluded) && hasManifest d) (
    concatMap (x: if x == null then [ ] else x) expanded
  );
  # Every package directory: the root, the members and, transitively, their path dependencies.
  dirs = map (x: x.key) (
    builtins.genericClosure {
      startSet = map (key: { inherit key; }) ([ workspaceDir ] ++ members);
      operator =
        item: map (key: { inherit key; }) (filter hasManifest (pathDependencies item.key (parse item.key)));
    }
  );
in
if !(hasManifest workspaceDir) || builtins.elem null expanded then
  null
else
  map (dir: {
    inherit dir;
    text = read dir;
  }) dirs
