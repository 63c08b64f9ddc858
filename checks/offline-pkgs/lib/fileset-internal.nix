# Internals of the lib.fileset stand-in (./fileset.nix); not a lib namespace.
#
# A file set is an attribute set
#
#   { _type = "fileset"; _base; _parts; _tree; _noEval; }
#
# `_base` is a directory (a path value) no file of the set lies outside of, or
# null for the empty set that has no such directory (what `unions [ ]` and
# `maybeMissing` of a missing path give); `_parts` are its path components.
# `_tree` says what below `_base` is in the set:
#
#   true               everything at this path (a file, or a whole directory)
#   false              nothing
#   { name = tree; }   a directory: only its entries with an attribute, each
#                      as deep as its own tree says
#
# Trees are built from readDir inside lazy attribute values, so combinators only
# read the directories (and call the predicates/filters) that decide the result.
# The on-disk listing is consulted again when the set is used (toSource, toList,
# trace), which is also where directories without any file drop out.
{ lib }:

let
  inherit (builtins)
    isAttrs
    isString
    length
    elemAt
    mapAttrs
    readDir
    split
    stringLength
    substring
    ;
  inherit (lib.lists) take drop foldr;
  inherit (lib.strings) hasPrefix;

  # nixpkgs' wording: a file set has no printable value.
  noEvalMessage = ''
    lib.fileset: Directly evaluating a file set is not supported.
      To turn it into a usable source, use `lib.fileset.toSource`.
      To pretty-print the contents, use `lib.fileset.trace` or `lib.fileset.traceVal`.'';

  components = path: builtins.filter (s: isString s && s != "") (split "/" (toString path));

  # Whether the components `a` start the components `b` (a is b or above it).
  isPrefix = a: b: length a <= length b && take (length a) b == a;

  commonLength =
    a: b:
    let
      go = i: if i < length a && i < length b && elemAt a i == elemAt b i then go (i + 1) else i;
    in
    go 0;

  # `path`'s n-th parent, as a path value (no string round trip).
  up = n: path: if n == 0 then path else up (n - 1) (dirOf path);

  # The path string builtins.path hands a filter for entry `name` of `dir`.
  childString = dir: name: if dir == "/" then "/${name}" else "${dir}/${name}";

  inStore =
    path:
    let
      s = toString path;
      prefix = builtins.storeDir + "/";
    in
    hasPrefix prefix s && stringLength s > stringLength prefix;
in
rec {
  inherit noEvalMessage components isPrefix inStore;

  make = base: tree: {
    _type = "fileset";
    _base = base;
    _parts = components base;
    _tree = tree;
    # Printing a file set (`nix eval`, deepSeq) fails with nixpkgs' explanation.
    _noEval = throw noEvalMessage;
  };

  emptyNoBase = {
    _type = "fileset";
    _base = null;
    _parts = null;
    _tree = false;
    _noEval = throw noEvalMessage;
  };

  isFileset = v: isAttrs v && v._type or null == "fileset";

  # A path known to exist. A file's set is based on its directory, so every
  # base is a directory.
  fromPath =
    path:
    if lib.filesystem.pathType path == "directory" then
      make path true
    else
      make (dirOf path) { ${baseNameOf path} = true; };

  # Paths and file sets become file sets; everything else is an error naming
  # `context` (e.g. "lib.fileset.union: First argument"), in nixpkgs' words.
  coerce =
    context: value:
    if isFileset value then
      if value ? _tree then
        value
      else
        throw "${context} is a file set that was not created by this lib.fileset (the offline nixpkgs stand-in), so it cannot be used here."
    else if !builtins.isPath value then
      if isAttrs value && value ? _isLibCleanSourceWith then
        throw ''
          ${context} is a `lib.sources`-based value, but it should be a file set or a path instead.
              To convert a `lib.sources`-based value to a file set you can use `lib.fileset.fromSource`.
              Note that this only works for sources created from paths.''
      else if lib.strings.isStringLike value then
        throw ''
          ${context} ("${toString value}") is a string-like value, but it should be a file set or a path instead.
              Paths represented as strings are not supported by `lib.fileset`, use `lib.sources` or derivations instead.''
      else
        throw "${context} is of type ${builtins.typeOf value}, but it should be a file set or a path instead."
    else if !builtins.pathExists value then
      throw ''
        ${context} (${toString value}) is a path that does not exist.
            To create a file set from a path that may not exist, use `lib.fileset.maybeMissing`.''
    else
      fromPath value;

  # `set`'s tree as seen from the base with components `parts`, which must be
  # above, at or below the set's own base.
  treeAt =
    parts: set:
    let
      own = length set._parts;
      wanted = length parts;
    in
    if wanted <= own then
      # Higher up: wrap the tree in the directories leading down to the base.
      foldr (name: tree: { ${name} = tree; }) set._tree (drop wanted set._parts)
    else
      # Further down: follow the tree; true/false hold for everything below.
      builtins.foldl' (tree: name: if isAttrs tree then tree.${name} or false else tree) set._tree (
        drop own parts
      );

  # Trees on one base. A tree that is `true` ends the search, so later trees are
  # only looked at when the earlier ones do not include everything.
  unionTrees =
    trees:
    let
      partial = builtins.filter isAttrs trees;
    in
    if builtins.any (tree: tree == true) trees then
      true
    else if partial == [ ] then
      false
    else
      builtins.zipAttrsWith (_name: unionTrees) partial;

  # The base of a union is the deepest directory above all bases.
  unionMany =
    sets:
    let
      based = builtins.filter (set: set._base != null) sets;
      first = builtins.head based;
      shared = builtins.foldl' (
        n: set: lib.trivial.min n (commonLength first._parts set._parts)
      ) (length first._parts) based;
      parts = take shared first._parts;
    in
    if based == [ ] then
      emptyNoBase
    else
      make (up (length first._parts - shared) first._base) (unionTrees (map (treeAt parts) based));

  intersectTrees =
    a: b:
    if a == false then
      false
    else if a == true then
      b
    else if b == false then
      false
    else if b == true then
      a
    else
      mapAttrs (name: intersectTrees a.${name}) (builtins.intersectAttrs a b);

  # The base of an intersection is the deeper base; bases side by side share
  # nothing, which gives the empty set without a base.
  intersection =
    a: b:
    let
      deeper = if length a._parts >= length b._parts then a else b;
      other = if length a._parts >= length b._parts then b else a;
    in
    if a._base == null || b._base == null || !isPrefix other._parts deeper._parts then
      emptyNoBase
    else
      make deeper._base (intersectTrees (treeAt deeper._parts a) (treeAt deeper._parts b));

  # `path` is where the trees are; a whole directory on the left is listed when
  # the right takes only part of it.
  subtractTree =
    path: a: b:
    if a == false || b == true then
      false
    else if b == false then
      a
    else
      mapAttrs (name: sub: subtractTree (path + "/${name}") sub (b.${name} or false)) (
        if a == true then mapAttrs (_: _: true) (readDir path) else a
      );

  # The result keeps the positive side's base, whatever is taken away.
  difference =
    positive: negative:
    if positive._base == null then
      emptyNoBase
    else if negative._base == null then
      positive
    else
      let
        overlaps = isPrefix positive._parts negative._parts || isPrefix negative._parts positive._parts;
      in
      make positive._base (
        subtractTree positive._base positive._tree (
          if overlaps then treeAt positive._parts negative else false
        )
      );

  # `predicate` decides per file (never per directory); `path` exists.
  fileFilter =
    predicate: path:
    let
      keep =
        name: type:
        # `if` rejects a predicate that does not return a Boolean.
        if
          predicate {
            inherit name type;
            hasExt = ext: lib.strings.hasSuffix ".${ext}" name;
            # Like nixpkgs: an attribute no `{ name, type, hasExt }:` pattern
            # accepts, so predicates stay open to attributes added later.
            "lib.fileset.fileFilter: The predicate function passed as the first argument must be able to handle extra attributes for future compatibility. If you're using `{ name, file, hasExt }:`, use `{ name, file, hasExt, ... }:` instead." =
              null;
          }
        then
          true
        else
          false;
      dir =
        p:
        mapAttrs (name: type: if type == "directory" then dir (p + "/${name}") else keep name type) (
          readDir p
        );
      type = lib.filesystem.pathType path;
    in
    if type == "directory" then
      make path (dir path)
    else
      make (dirOf path) { ${baseNameOf path} = keep (baseNameOf path) type; };

  # The files a builtins.path filter keeps below `root` (an existing path): the
  # filter sees the same path strings and types as there, a rejected directory
  # is not entered, and `root` itself is never asked about.
  fromFilter =
    root: filter:
    let
      entry =
        path: string: type:
        if !filter string type then
          false
        else if type == "directory" then
          dir path string
        else
          true;
      dir = path: string: mapAttrs (name: entry (path + "/${name}") (childString string name)) (readDir path);
      type = lib.filesystem.pathType root;
    in
    if type == "directory" then
      make root (dir root (toString root))
    else
      make (dirOf root) { ${baseNameOf root} = true; };

  # Every file of the store path `copy` (a fetchGit result), as files of `local`.
  mirror =
    local: copy:
    let
      dir = p: mapAttrs (name: type: if type == "directory" then dir "${p}/${name}" else true) (readDir p);
    in
    make local (dir copy);

  # What the set really holds below `path` (of on-disk `type`): null when no
  # file, a file's type, or for a directory with at least one file an attribute
  # set of its non-null entries. Entries come from the on-disk listing, so a
  # name in a tree that is not there (anymore) is ignored. Strict in the
  # included parts; excluded directories are not read.
  resolve =
    path: type: tree:
    if tree == false then
      null
    else if type != "directory" then
      if tree == true then type else null
    else
      let
        entries = mapAttrs (
          name: entryType:
          resolve (path + "/${name}") entryType (if tree == true then true else tree.${name} or false)
        ) (readDir path);
        kept = lib.attrsets.filterAttrs (_: v: v != null) entries;
      in
      if kept == { } then null else kept;

  resolveSet = set: if set._base == null then null else resolve set._base "directory" set._tree;

  # A builtins.path filter keeping exactly the files of `set` (and the
  # directories leading to them, so no empty directory).
  toSourceFilter =
    set:
    let
      resolved = resolveSet set;
      baseString = toString set._base;
      baseSlash = if baseString == "/" then "/" else baseString + "/";
      lookup = builtins.foldl' (node: name: if isAttrs node then node.${name} or null else null) resolved;
      filter =
        path: type:
        let
          pathSlash = path + "/";
        in
        if hasPrefix pathSlash baseSlash then
          # The base or a directory above it: on the way to the files.
          true
        else if !hasPrefix baseSlash path then
          false
        else
          let
            found = lookup (components (substring (stringLength baseSlash) (-1) path));
          in
          found != null
          && (
            found != "unknown"
            || throw ''
              lib.fileset.toSource: `fileset` contains a file that cannot be added to the store: ${path}
                  This file is neither a regular file nor a symlink, the only file types supported by the Nix store.
                  Therefore the file set cannot be added to the Nix store as is. Make sure to not include that file to avoid this error.''
          );
    in
    # Resolving up front reports errors (and reads the tree) at toSource time.
    if resolved == null then _path: _type: false else filter;

  toList =
    set:
    let
      walk =
        path: node:
        if isAttrs node then
          builtins.concatLists (lib.attrsets.mapAttrsToList (name: walk (path + "/${name}")) node)
        else
          [ path ];
      resolved = resolveSet set;
    in
    if resolved == null then [ ] else walk set._base resolved;

  # Whether a directory has any file at all (for trace's summaries).
  hasFiles =
    path:
    let
      listing = readDir path;
    in
    builtins.any (name: listing.${name} != "directory" || hasFiles (path + "/${name}")) (
      builtins.attrNames listing
    );

  # Whether the resolved directory `node` at `path` holds every file there.
  complete =
    path: node:
    let
      listing = readDir path;
    in
    builtins.all (
      name:
      let
        sub = node.${name} or null;
        subPath = path + "/${name}";
      in
      if sub == null then
        listing.${name} == "directory" && !hasFiles subPath
      else if isAttrs sub then
        complete subPath sub
      else
        true
    ) (builtins.attrNames listing);

  # The lines trace prints: the base, then included entries as an indented
  # list; whole directories are summarised. (nixpkgs leaves the format open.)
  traceLines =
    set:
    let
      resolved = resolveSet set;
      entries =
        indent: path: node:
        builtins.concatLists (
          lib.attrsets.mapAttrsToList (
            name: sub:
            let
              subPath = path + "/${name}";
            in
            if !isAttrs sub then
              [ "${indent}- ${name} (${sub})" ]
            else if complete subPath sub then
              [ "${indent}- ${name} (all files in directory)" ]
            else
              [ "${indent}- ${name}" ] ++ entries "${indent}  " subPath sub
          ) node
        );
    in
    if resolved == null then
      [ "(empty)" ]
    else if complete set._base resolved then
      [ "${toString set._base} (all files in directory)" ]
    else
      [ (toString set._base) ] ++ entries "" set._base resolved;

  # Evaluating this prints the lines, in order.
  printSet = set: builtins.foldl' (printed: line: builtins.trace line printed) null (traceLines set);
}
