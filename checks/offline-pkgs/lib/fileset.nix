# Stand-in for nixpkgs lib/fileset: sets of local files, combined with set
# operations and added to the store with `toSource`.
#
# Same public functions, semantics and error messages as nixpkgs' lib.fileset
# (its manual section and doc comments): paths coerce to the files under them,
# directories without files are never part of a set (nor of `toSource`'s
# result), and `toSource` gives a `cleanSourceWith` source named "source".
# Written for the stand-in; the representation (./fileset-internal.nix) is its
# own, so file sets from a real nixpkgs do not mix with these.
{ lib }:

let
  internal = import ./fileset-internal.nix { inherit lib; };
  inherit (internal) coerce;
  inherit (builtins) isPath pathExists typeOf;
  inherit (lib.strings) isStringLike;

  # nixpkgs coerces every argument of a combinator before combining them, so a
  # bad argument is reported even where the result would not need it.
  coerceAll =
    sets:
    builtins.seq (builtins.foldl' (_: set: builtins.seq set null) null sets) sets;

  coerceArgs =
    function: contexts: values:
    coerceAll (
      lib.lists.zipListsWith (context: coerce "lib.fileset.${function}: ${context}") contexts values
    );

  fromGit =
    function: argument: path: fetchArgs:
    if !isPath path then
      throw "lib.fileset.${function}: Expected the ${argument} to be a path, but it's a ${typeOf path} instead."
    else if lib.filesystem.pathType path != "directory" then
      throw "lib.fileset.${function}: Expected the ${argument} (${toString path}) to be a directory, but it's a file instead."
    else if internal.inStore path then
      # Already fetched (fetchGit, fetchgit without leaveDotGit ...): nothing
      # untracked is left, unless it was copied with its .git.
      if pathExists (path + "/.git") then
        throw ''
          lib.fileset.${function}: The ${argument} (${toString path}) is a store path within a working tree of a Git repository.
              This indicates that a source directory was imported into the store using a method such as `import "''${./.}"` or `path:.`.
              This function currently does not support such a use case, since it currently relies on `builtins.fetchGit`.
              You could make this work by using a fetcher such as `fetchGit` instead of copying the whole repository.
              If you can't avoid copying the repo to the store, see https://github.com/NixOS/nix/issues/9292.''
      else
        internal.fromPath path
    else if !pathExists (path + "/.git") then
      throw "lib.fileset.${function}: Expected the ${argument} (${toString path}) to point to a local working tree of a Git repository, but it's not."
    else
      # fetchGit copies exactly the tracked files (as `git ls-files` lists
      # them), uncommitted changes included; the set mirrors that copy.
      internal.mirror path
        (builtins.fetchGit (
          {
            url = path;
            shallow = true;
          }
          // fetchArgs
        )).outPath;
in
{
  # A path that may not exist: missing gives the empty file set.
  maybeMissing =
    path:
    if !isPath path then
      if isStringLike path then
        throw "lib.fileset.maybeMissing: Argument (\"${toString path}\") is a string-like value, but it should be a path instead."
      else
        throw "lib.fileset.maybeMissing: Argument is of type ${typeOf path}, but it should be a path instead."
    else if !pathExists path then
      internal.emptyNoBase
    else
      internal.fromPath path;

  # Prints the file set (base, then its entries) and returns the second argument.
  trace =
    fileset:
    let
      set = coerce "lib.fileset.trace: Argument" fileset;
    in
    builtins.seq (internal.printSet set) (x: x);

  # Prints the file set and returns it.
  traceVal =
    fileset:
    let
      set = coerce "lib.fileset.traceVal: Argument" fileset;
    in
    builtins.seq (internal.printSet set) set;

  # The files of `fileset` copied to the store as one directory that stands for
  # `root`: a cleanSourceWith result (origSrc = root, name "source").
  toSource =
    { root, fileset }:
    let
      set = coerce "lib.fileset.toSource: `fileset`" fileset;
      filter = internal.toSourceFilter set;
    in
    if !isPath root then
      if root ? _isLibCleanSourceWith then
        throw ''
          lib.fileset.toSource: `root` is a `lib.sources`-based value, but it should be a path instead.
              To use a `lib.sources`-based value, convert it to a file set using `lib.fileset.fromSource` and pass it as `fileset`.
              Note that this only works for sources created from paths.''
      else if isStringLike root then
        throw ''
          lib.fileset.toSource: `root` (${toString root}) is a string-like value, but it should be a path instead.
              Paths in strings are not supported by `lib.fileset`, use `lib.sources` or derivations instead.''
      else
        throw "lib.fileset.toSource: `root` is of type ${typeOf root}, but it should be a path instead."
    # Like nixpkgs, `fileset` is evaluated (and its errors come) before `root`'s
    # existence is looked at.
    else if builtins.seq set (!pathExists root) then
      throw "lib.fileset.toSource: `root` (${toString root}) is a path that does not exist."
    else if lib.filesystem.pathType root != "directory" then
      throw ''
        lib.fileset.toSource: `root` (${toString root}) is a file, but it should be a directory instead. Potential solutions:
            - If you want to import the file into the store _without_ a containing directory, use string interpolation or `builtins.path` instead of this function.
            - If you want to import the file into the store _with_ a containing directory, set `root` to the containing directory, such as ${toString (dirOf root)}, and set `fileset` to the file path.''
    # The base, not the files: a set that could hold files outside `root` is
    # rejected even when it holds none there (e.g. `difference ./. ./root`).
    else if set._base != null && !internal.isPrefix (internal.components root) set._parts then
      throw ''
        lib.fileset.toSource: `fileset` could contain files in ${toString set._base}, which is not under the `root` (${toString root}). Potential solutions:
            - Set `root` to ${toString set._base} or any directory higher up. This changes the layout of the resulting store path.
            - Set `fileset` to a file set that cannot contain files outside the `root` (${toString root}). This could change the files included in the result.''
    else
      builtins.seq filter (
        lib.sources.cleanSourceWith {
          name = "source";
          src = root;
          inherit filter;
        }
      );

  # The files as a list of paths (directory by directory, names sorted).
  toList = fileset: internal.toList (coerce "lib.fileset.toList: Argument" fileset);

  union =
    fileset1: fileset2:
    internal.unionMany (
      coerceArgs "union" [ "First argument" "Second argument" ] [
        fileset1
        fileset2
      ]
    );

  unions =
    filesets:
    if !builtins.isList filesets then
      throw "lib.fileset.unions: Argument is of type ${typeOf filesets}, but it should be a list instead."
    else
      internal.unionMany (
        coerceAll (lib.lists.imap0 (i: coerce "lib.fileset.unions: Element ${toString i}") filesets)
      );

  intersection =
    fileset1: fileset2:
    let
      sets = coerceArgs "intersection" [ "First argument" "Second argument" ] [
        fileset1
        fileset2
      ];
    in
    internal.intersection (builtins.elemAt sets 0) (builtins.elemAt sets 1);

  difference =
    positive: negative:
    let
      sets =
        coerceArgs "difference"
          [ "First argument (positive set)" "Second argument (negative set)" ]
          [
            positive
            negative
          ];
    in
    internal.difference (builtins.elemAt sets 0) (builtins.elemAt sets 1);

  # The files under `path` the predicate accepts. It is called on files only,
  # with { name; type; hasExt; ... } (`hasExt "rs"`: the name ends in ".rs").
  fileFilter =
    predicate: path:
    if !lib.trivial.isFunction predicate then
      throw "lib.fileset.fileFilter: First argument is of type ${typeOf predicate}, but it should be a function instead."
    else if !isPath path then
      if internal.isFileset path then
        throw ''
          lib.fileset.fileFilter: Second argument is a file set, but it should be a path instead.
              If you need to filter files in a file set, use `intersection fileset (fileFilter pred ./.)` instead.''
      else
        throw "lib.fileset.fileFilter: Second argument is of type ${typeOf path}, but it should be a path instead."
    else if !pathExists path then
      throw "lib.fileset.fileFilter: Second argument (${toString path}) is a path that does not exist."
    else
      internal.fileFilter predicate path;

  # The files of a path or of a `lib.sources` value (cleanSourceWith & co.)
  # made from a path. Copies nothing to the store.
  fromSource =
    source:
    let
      filtered = builtins.isAttrs source && source ? _isLibCleanSourceWith;
      origin = if filtered then source.origSrc else source;
    in
    if !isPath origin then
      if isStringLike origin then
        throw ''
          lib.fileset.fromSource: The source origin of the argument is a string-like value ("${toString origin}"), but it should be a path instead.
              Sources created from paths in strings cannot be turned into file sets, use `lib.sources` or derivations instead.''
      else
        throw "lib.fileset.fromSource: The source origin of the argument is of type ${typeOf origin}, but it should be a path instead."
    else if !pathExists origin then
      throw "lib.fileset.fromSource: The source origin (${toString origin}) of the argument is a path that does not exist."
    else if filtered then
      internal.fromFilter origin source.filter
    else
      internal.fromPath origin;

  # The files Git tracks in the working tree at `path` (its root, with .git).
  gitTracked = path: fromGit "gitTracked" "argument" path { };

  gitTrackedWith =
    {
      recurseSubmodules ? false,
    }:
    path:
    if !builtins.isBool recurseSubmodules then
      throw "lib.fileset.gitTrackedWith: Expected the attribute `recurseSubmodules` of the first argument to be a boolean, but it's a ${typeOf recurseSubmodules} instead."
    # fetchGit's `submodules` (2.4); kept for nixpkgs' message, as the stand-in needs 2.18+.
    else if recurseSubmodules && lib.strings.versionOlder builtins.nixVersion "2.4" then
      throw "lib.fileset.gitTrackedWith: Setting the attribute `recurseSubmodules` to `true` is only supported for Nix version 2.4 and after, but Nix version ${builtins.nixVersion} is used."
    else
      fromGit "gitTrackedWith" "second argument" path (
        lib.attrsets.optionalAttrs recurseSubmodules { submodules = true; }
      );
}
