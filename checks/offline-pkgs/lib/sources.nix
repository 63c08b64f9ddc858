# Stand-in for nixpkgs lib/sources.nix: filtered sources and source naming.
{ lib }:

let
  inherit (builtins) match baseNameOf;
  inherit (lib.strings) hasSuffix hasPrefix;

  # Accept a path/string or a previous cleanSourceWith result uniformly.
  toSourceAttributes =
    src:
    if src ? _isLibCleanSourceWith then
      { inherit (src) origSrc filter name; }
    else
      {
        origSrc = src;
        filter = _: _: true;
        name = "source";
      };

  fromSourceAttributes =
    {
      origSrc,
      filter,
      name,
    }:
    {
      _isLibCleanSourceWith = true;
      inherit origSrc filter name;
      outPath = builtins.path {
        path = origSrc;
        inherit filter name;
      };
    };

  # Drops VCS metadata, editor backup/swap files, object files, `result*`
  # symlinks and things that cannot go into the store.
  cleanSourceFilter =
    name: type:
    let
      base = baseNameOf (toString name);
      isVcs =
        base == ".git"
        || (
          type == "directory"
          && builtins.elem base [
            ".svn"
            "CVS"
            ".hg"
            ".jj"
            ".pijul"
            "_darcs"
          ]
        );
      isEditorJunk = hasSuffix "~" base || match "^\\.sw[a-z]$" base != null || match "^\\..*\\.sw[a-z]$" base != null;
      isBuildOutput = hasSuffix ".o" base || hasSuffix ".so" base;
      isResultLink = type == "symlink" && hasPrefix "result" base;
    in
    !(isVcs || isEditorJunk || isBuildOutput || isResultLink || type == "unknown");

  # Composes: a cleanSourceWith of a cleanSourceWith copies to the store once,
  # with both filters ANDed (the inner one only consulted when the outer
  # one accepts) and the innermost explicit name (default "source").
  cleanSourceWith =
    {
      src,
      filter ? _path: _type: true,
      name ? null,
    }:
    let
      orig = toSourceAttributes src;
    in
    fromSourceAttributes {
      inherit (orig) origSrc;
      filter = path: type: filter path type && orig.filter path type;
      name = if name != null then name else orig.name;
    };

  cleanSource =
    src:
    cleanSourceWith {
      filter = cleanSourceFilter;
      inherit src;
    };

  trace =
    src:
    let
      attrs = toSourceAttributes src;
    in
    fromSourceAttributes (
      attrs
      // {
        filter =
          path: type:
          let
            keep = attrs.filter path type;
          in
          builtins.trace "${attrs.name}.filter ${path} = ${lib.trivial.boolToString keep}" keep;
      }
    )
    // {
      satisfiesSubpathInvariant = src ? satisfiesSubpathInvariant && src.satisfiesSubpathInvariant;
    };

  # Regexes are matched against the path relative to the original source root.
  sourceByRegex =
    src: regexes:
    let
      root = (toSourceAttributes src).origSrc;
    in
    cleanSourceWith {
      filter =
        path: _type:
        let
          rel = lib.strings.removePrefix (toString root + "/") (toString path);
        in
        builtins.any (re: match re rel != null) regexes;
      inherit src;
    };

  # Directories are always kept (so matching files deep down survive).
  sourceFilesBySuffices =
    src: exts:
    cleanSourceWith {
      filter =
        name: type:
        type == "directory" || builtins.any (ext: hasSuffix ext (baseNameOf (toString name))) exts;
      inherit src;
    };

  pathHasContext = builtins.hasContext or (hasPrefix builtins.storeDir);

  canCleanSource = src: src ? _isLibCleanSourceWith || !(pathHasContext (toString src));

  # Only a simple reader: HEAD, a loose ref file or packed-refs.
  commitIdOrError =
    let
      isFile = lib.filesystem.pathIsRegularFile;
      absolute = base: p: if hasPrefix "/" p then p else toString (/. + "${base}/${p}");
      read =
        file: gitDir:
        let
          direct = gitDir + "/${file}";
          packed = gitDir + "/packed-refs";
        in
        if isFile gitDir then
          # A worktree/submodule `.git` file: follow `gitdir:` and, for
          # worktrees, `commondir` (refs live in the common directory).
          let
            m = match "^gitdir: (.*)$" (lib.strings.fileContents gitDir);
          in
          if m == null then
            { error = "File contains no gitdir reference: " + gitDir; }
          else
            let
              realGitDir = absolute (dirOf gitDir) (builtins.head m);
              commonFile = "${realGitDir}/commondir";
              commonRaw = if isFile commonFile then lib.strings.fileContents commonFile else realGitDir;
              commonDir = absolute realGitDir (lib.strings.removeSuffix "/" commonRaw);
            in
            read (lib.strings.removePrefix "${commonDir}/" "${realGitDir}/${file}") commonDir
        else if isFile direct then
          let
            content = lib.strings.fileContents direct;
            ref = match "^ref: (.*)$" content;
          in
          if ref == null then { value = content; } else read (builtins.head ref) gitDir
        else if isFile packed then
          let
            line = match "([a-z0-9]+) ${file}";
            hits = builtins.filter (s: builtins.isString s && line s != null) (
              builtins.split "\n" (builtins.readFile packed)
            );
          in
          if hits == [ ] then
            { error = "Could not find " + file + " in " + packed; }
          else
            { value = builtins.head (line (builtins.head hits)); }
        else
          { error = "Not a .git directory: " + toString gitDir; };
    in
    read "HEAD";

  commitIdFromGitRepo =
    path:
    let
      r = commitIdOrError path;
    in
    r.value or (throw r.error);

  pathIsGitRepo = path: commitIdOrError path ? value;

  # A clean package name from a URL, path or string: last ":"-separated part,
  # trailing "/" dropped, basename, then archive/git extensions chopped off
  # one at a time ("foo.tar.gz" -> "foo", "repo.git" -> "repo").
  urlToName =
    url:
    let
      base = baseNameOf (lib.strings.removeSuffix "/" (lib.lists.last (lib.strings.splitString ":" (toString url))));
      dropOneExt =
        name:
        let
          m = match "(.*)\\.(git|tar|zip|gz|tgz|bz|tbz|bz2|tbz2|lzma|txz|xz|zstd)$" name;
        in
        if m == null then name else builtins.head m;
      shrink =
        name:
        let
          shorter = dropOneExt name;
        in
        if builtins.stringLength shorter < builtins.stringLength name then shrink shorter else name;
    in
    shrink base;

  # "refs/tags/v12.0" -> "12.0"; hex revisions are cut to 7 characters.
  shortRev =
    rev:
    let
      base = baseNameOf (toString rev);
      hex = match "[a-f0-9]+" base;
      versioned = match "([A-Za-z]+[-_. ]?)*(v)?([0-9.]+.*)" base;
    in
    if hex != null then
      builtins.substring 0 7 base
    else if versioned != null then
      lib.lists.last versioned
    else
      base;

  revOrTag =
    rev: tag:
    if tag != null then
      tag
    else if rev != null then
      rev
    else
      "HEAD";

  repoRevToNameFull =
    repo: rev: suffix:
    "${urlToName repo}${if rev != null then "-${shortRev rev}" else ""}${
      if suffix != null then "-${suffix}" else ""
    }-source";

  # kind: "source" | "versioned" | "full" (how fetchers name their outputs).
  repoRevToName =
    kind:
    if kind == "source" then
      (_repo: _rev: _suffix: "source")
    else if kind == "versioned" then
      (repo: rev: _suffix: repoRevToNameFull repo rev null)
    else if kind == "full" then
      repoRevToNameFull
    else
      throw "repoRevToName: invalid kind";

  # nixpkgs moved these to lib.filesystem and warns on the old location.
  movedToFilesystem =
    name:
    lib.trivial.warnIf (lib.trivial.oldestSupportedReleaseIsAtLeast 2305)
      "lib.sources.${name} has been moved to lib.filesystem.${name}."
      lib.filesystem.${name};
in
{
  pathType = movedToFilesystem "pathType";
  pathIsDirectory = movedToFilesystem "pathIsDirectory";
  pathIsRegularFile = movedToFilesystem "pathIsRegularFile";

  inherit
    pathIsGitRepo
    commitIdFromGitRepo
    cleanSource
    cleanSourceWith
    cleanSourceFilter
    pathHasContext
    canCleanSource
    urlToName
    shortRev
    revOrTag
    repoRevToName
    sourceByRegex
    sourceFilesBySuffices
    trace
    ;
}
