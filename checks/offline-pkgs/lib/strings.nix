# Stand-in for nixpkgs lib/strings.nix.
{ lib }:

let
  inherit (builtins)
    concatStringsSep
    stringLength
    substring
    match
    split
    isString
    isPath
    isList
    isAttrs
    isInt
    elem
    head
    genList
    replaceStrings
    typeOf
    ;

  # The path-argument warning nixpkgs emits for the prefix/suffix/infix helpers.
  warnOnPathArg =
    fname: arg: what:
    lib.trivial.warnIf (isPath arg) ''
      lib.strings.${fname}: The first argument (${toString arg}) is a path value, but only strings are supported.
          There is almost certainly a bug in the calling code, since this function ${what} in such a case.
          This function also copies the path to the Nix store, which may not be what you want.
          This behavior is deprecated and will throw an error in the future.'';
in
rec {
  inherit (builtins)
    compareVersions
    concatMap
    elem
    elemAt
    filter
    fromJSON
    genList
    head
    isInt
    isList
    isAttrs
    isPath
    isString
    match
    parseDrvName
    readFile
    replaceStrings
    split
    storeDir
    stringLength
    substring
    tail
    toJSON
    typeOf
    unsafeDiscardStringContext
    appendContext
    ;

  join = concatStringsSep;
  concatStringsSep = builtins.concatStringsSep;
  concatStrings = builtins.concatStringsSep "";

  concatMapStrings = f: list: concatStrings (map f list);
  concatImapStrings = f: list: concatStrings (lib.lists.imap1 f list);

  concatMapStringsSep =
    sep: f: list:
    concatStringsSep sep (map f list);
  concatImapStringsSep =
    sep: f: list:
    concatStringsSep sep (lib.lists.imap1 f list);

  concatMapAttrsStringSep =
    sep: f: attrs:
    concatStringsSep sep (builtins.attrValues (builtins.mapAttrs f attrs));

  # Every line gets a trailing newline; an empty list gives "".
  concatLines = lines: if lines == [ ] then "" else concatStringsSep "\n" lines + "\n";

  intersperse =
    sep: list:
    if builtins.length list <= 1 then
      list
    else
      builtins.tail (
        concatMap (x: [
          sep
          x
        ]) list
      );

  replaceString = from: to: replaceStrings [ from ] [ to ];

  replicate = n: s: concatStrings (lib.lists.replicate n s);

  # Whitespace is exactly space, tab, CR and LF (not [:space:]).
  trimWith =
    {
      start ? false,
      end ? false,
    }:
    let
      ws = " \t\r\n";
      pattern =
        if start && end then
          "[${ws}]*(.*[^${ws}])[${ws}]*"
        else if start then
          "[${ws}]*(.*)"
        else if end then
          "(.*[^${ws}])[${ws}]*"
        else
          "(.*)";
    in
    s:
    let
      m = match pattern s;
    in
    # All-whitespace (or empty) input does not match the pattern at all.
    if m == null then "" else head m;

  trim = trimWith {
    start = true;
    end = true;
  };

  # null entries are skipped; everything else gets "/subDir" appended.
  makeSearchPath =
    subDir: paths: concatStringsSep ":" (map (p: p + "/" + subDir) (builtins.filter (p: p != null) paths));

  makeSearchPathOutput =
    output: subDir: pkgs:
    makeSearchPath subDir (map (p: if p == null then null else lib.attrsets.getOutput output p) pkgs);

  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  makeIncludePath = makeSearchPathOutput "dev" "include";
  makeBinPath = makeSearchPathOutput "bin" "bin";

  normalizePath =
    s:
    lib.trivial.warnIf (isPath s) ''
      lib.strings.normalizePath: The argument (${toString s}) is a path value, but only strings are supported.
          Path values are always normalised in Nix, so there's no need to call this function on them.
          This function also copies the path to the Nix store and returns the store path, the same as "''${path}" will, which may not be what you want.
          This behavior is deprecated and will throw an error in the future.'' (
      builtins.foldl' (acc: c: if c == "/" && hasSuffix "/" acc then acc else acc + c) "" (
        stringToCharacters s
      )
    );

  optionalString = cond: s: if cond then s else "";

  hasPrefix =
    pref: str:
    warnOnPathArg "hasPrefix" pref "always returns `false`" (substring 0 (stringLength pref) str == pref);

  hasSuffix =
    suffix: content:
    let
      n = stringLength content;
      k = stringLength suffix;
    in
    warnOnPathArg "hasSuffix" suffix "always returns `false`" (
      n >= k && substring (n - k) n content == suffix
    );

  hasInfix =
    infix: content:
    warnOnPathArg "hasInfix" infix "always returns `false`" (
      match ".*${escapeRegex infix}.*" "${content}" != null
    );

  # Bytes, not Unicode characters.
  stringToCharacters = s: genList (i: substring i 1 s) (stringLength s);

  stringAsChars = f: s: concatStrings (map f (stringToCharacters s));

  escape = chars: replaceStrings chars (map (c: "\\" + c) chars);

  # Unquoted when every character is in the safe set (and the string is not
  # empty); otherwise single-quoted, with ' written as '\''.
  escapeShellArg =
    arg:
    let
      s = toString arg;
    in
    if match "[[:alnum:],._+:@%/-]+" s != null then s else "'" + replaceString "'" "'\\''" s + "'";

  escapeShellArgs = concatMapStringsSep " " escapeShellArg;

  isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;

  toShellVar =
    name: value:
    lib.trivial.throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
      if isAttrs value && !isStringLike value then
        "declare -A ${name}=(${
          concatStringsSep " " (
            lib.attrsets.mapAttrsToList (k: v: "[${escapeShellArg k}]=${escapeShellArg v}") value
          )
        })"
      else if isList value then
        "declare -a ${name}=(${escapeShellArgs value})"
      else
        "${name}=${escapeShellArg value}"
    );

  toShellVars = vars: concatStringsSep "\n" (lib.attrsets.mapAttrsToList toShellVar vars);

  # JSON string syntax is Nix string syntax except for `$` (antiquotation).
  escapeNixString = s: escape [ "$" ] (builtins.toJSON s);

  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");

  escapeNixIdentifier =
    let
      keywords = [
        "assert"
        "else"
        "if"
        "in"
        "inherit"
        "let"
        "or"
        "rec"
        "then"
        "with"
      ];
    in
    s:
    if match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null && !(elem s keywords) then s else escapeNixString s;

  escapeXML =
    replaceStrings
      [ "\"" "'" "<" ">" "&" ]
      [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];

  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  # ASCII only.
  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;

  toSentenceCase =
    str:
    lib.trivial.throwIfNot (isString str) "toSentenceCase does only accepts string values, but got ${typeOf str}" (
      addContextFrom str (toUpper (substring 0 1 str) + toLower (substring 1 (stringLength str) str))
    );

  # `substring 0 0` keeps the string context while contributing no characters.
  addContextFrom = src: target: substring 0 0 src + target;

  # Literal separator; empty fields are kept ("a,,b" -> [ "a" "" "b" ]).
  splitString =
    sep: s:
    let
      parts = builtins.filter isString (split (escapeRegex (toString sep)) (toString s));
    in
    map (addContextFrom s) parts;

  splitStringBy =
    predicate: keepSplit: str:
    let
      len = stringLength str;
      go =
        pos: current: acc:
        if pos == len then
          acc ++ [ current ]
        else
          let
            c = substring pos 1 str;
            prev = if pos > 0 then substring (pos - 1) 1 str else "";
          in
          if predicate prev c then
            go (pos + 1) (if keepSplit then c else "") (acc ++ [ current ])
          else
            go (pos + 1) (current + c) acc;
    in
    if len == 0 then [ (addContextFrom str "") ] else map (addContextFrom str) (go 0 "" [ ]);

  # Removes the prefix at most once; no match leaves the string unchanged.
  removePrefix =
    prefix: str:
    warnOnPathArg "removePrefix" prefix "never removes any prefix" (
      let
        n = stringLength prefix;
      in
      if substring 0 n str == prefix then substring n (-1) str else str
    );

  removeSuffix =
    suffix: str:
    warnOnPathArg "removeSuffix" suffix "never removes any suffix" (
      let
        k = stringLength suffix;
        n = stringLength str;
      in
      if k <= n && substring (n - k) k str == suffix then substring 0 (n - k) str else str
    );

  versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !(versionOlder v1 v2);

  getName = x: if isString x then (parseDrvName x).name else x.pname or (parseDrvName x.name).name;
  getVersion =
    x: if isString x then (parseDrvName x).version else x.version or (parseDrvName x.name).version;

  nameFromURL =
    url: sep:
    let
      file = lib.lists.last (splitString "/" url);
      name = head (splitString sep file);
    in
    assert name != file;
    name;

  cmakeOptionType =
    let
      known = [
        "BOOL"
        "FILEPATH"
        "PATH"
        "STRING"
        "INTERNAL"
        "LIST"
      ];
    in
    type: feature: value:
    assert elem (toUpper type) known;
    assert isString feature;
    assert isString value;
    "-D${feature}:${toUpper type}=${value}";

  cmakeBool =
    condition: flag:
    assert isString condition;
    assert builtins.isBool flag;
    cmakeOptionType "bool" condition (toUpper (lib.trivial.boolToString flag));

  cmakeFeature =
    feature: value:
    assert isString feature;
    assert isString value;
    cmakeOptionType "string" feature value;

  mesonOption =
    feature: value:
    assert isString feature;
    assert isString value;
    "-D${feature}=${value}";

  mesonBool =
    condition: flag:
    assert isString condition;
    assert builtins.isBool flag;
    mesonOption condition (lib.trivial.boolToString flag);

  mesonEnable =
    feature: flag:
    assert isString feature;
    assert builtins.isBool flag;
    mesonOption feature (if flag then "enabled" else "disabled");

  enableFeature =
    flag: feature:
    assert builtins.isBool flag;
    assert isString feature;
    "--${if flag then "enable" else "disable"}-${feature}";

  enableFeatureAs =
    flag: feature: value:
    enableFeature flag feature + optionalString flag "=${value}";

  withFeature =
    flag: feature:
    assert isString feature;
    "--${if flag then "with" else "without"}-${feature}";

  withFeatureAs =
    flag: feature: value:
    withFeature flag feature + optionalString flag "=${value}";

  # Left-pads with `filler` (repeated) up to `width`; longer input is an error.
  fixedWidthString =
    width: filler: str:
    let
      len = stringLength str;
    in
    assert lib.asserts.assertMsg (len <= width)
      "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString len})";
    if len == width then str else filler + fixedWidthString (width - stringLength filler) filler str;

  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);

  floatToString =
    float:
    let
      s = toString float;
    in
    lib.trivial.warnIf (float != builtins.fromJSON s) "Imprecise conversion from float to string ${s}" s;

  # Strings, paths and sets with outPath/__toString.
  isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;

  isConvertibleWithToString =
    x:
    isStringLike x
    || elem (typeOf x) [
      "null"
      "int"
      "float"
      "bool"
    ]
    || (isList x && builtins.all isConvertibleWithToString x);

  # Exactly a store path (not something below one).
  isStorePath =
    x:
    if !isStringLike x then
      false
    else
      let
        s = toString x;
      in
      substring 0 1 s == "/" && (dirOf s == builtins.storeDir || match "/[0-9a-z]{52}" s != null);

  # Surrounding whitespace is allowed; leading zeros are rejected because they
  # would be ambiguous with octal.
  toInt =
    let
      stripped = match "[[:space:]]*(-?[[:digit:]]+)[[:space:]]*";
      leadingZero = match "0[[:digit:]]+";
    in
    str:
    let
      m = stripped str;
      digits = head m;
      parsed = builtins.fromJSON digits;
      generalError = "toInt: Could not convert ${escapeNixString str} to int.";
    in
    if m == null then
      throw generalError
    else if leadingZero digits == [ ] then
      throw "toInt: Ambiguity in interpretation of ${escapeNixString str} between octal and zero padded integer."
    else if !isInt parsed then
      throw generalError
    else
      parsed;

  toIntBase10 =
    let
      stripped = match "[[:space:]]*0*(-?[[:digit:]]+)[[:space:]]*";
      allZeros = match "0+";
    in
    str:
    let
      m = stripped str;
      digits = head m;
      parsed = builtins.fromJSON digits;
      generalError = "toIntBase10: Could not convert ${escapeNixString str} to int.";
    in
    if m == null then
      throw generalError
    else if allZeros digits == [ ] then
      0
    else if !isInt parsed then
      throw generalError
    else
      parsed;

  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  # Valid names up to 207 characters pass through (context dropped). Otherwise:
  # drop leading dots, turn every run of invalid characters into one "-", keep
  # the last 207 characters (211 minus ".drv") and use "unknown" for "".
  sanitizeDerivationName =
    let
      valid = match "[[:alnum:]+_?=-][[:alnum:]+._?=-]*";
      clean =
        s:
        let
          noContext = builtins.unsafeDiscardStringContext s;
          noLeadingDots = builtins.elemAt (match "\\.*(.*)" noContext) 0;
          dashed = concatMapStrings (part: if isList part then "-" else part) (
            split "[^[:alnum:]+._?=-]+" noLeadingDots
          );
          len = stringLength dashed;
          tail207 = substring (lib.trivial.max (len - 207) 0) (-1) dashed;
        in
        if tail207 == "" then "unknown" else tail207;
    in
    s:
    if stringLength s <= 207 && valid s != null then builtins.unsafeDiscardStringContext s else clean s;

  levenshtein =
    a: b:
    let
      la = stringLength a;
      lb = stringLength b;
      table = genList (i: genList (j: cell i j) (lb + 1)) (la + 1);
      at = i: j: builtins.elemAt (builtins.elemAt table i) j;
      cell =
        i: j:
        if j == 0 then
          i
        else if i == 0 then
          j
        else
          let
            cost = if substring (i - 1) 1 a == substring (j - 1) 1 b then 0 else 1;
          in
          lib.trivial.min (lib.trivial.min (at (i - 1) j + 1) (at i (j - 1) + 1)) (at (i - 1) (j - 1) + cost);
    in
    at la lb;

  commonPrefixLength =
    a: b:
    let
      m = lib.trivial.min (stringLength a) (stringLength b);
      go = i: if i < m && substring i 1 a == substring i 1 b then go (i + 1) else i;
    in
    go 0;

  commonSuffixLength =
    a: b:
    let
      la = stringLength a;
      lb = stringLength b;
      m = lib.trivial.min la lb;
      go = i: if i < m && substring (la - i - 1) 1 a == substring (lb - i - 1) 1 b then go (i + 1) else i;
    in
    go 0;

  # Fast path for k <= 2 after stripping the common prefix and suffix.
  levenshteinAtMost =
    let
      within1 = x: y: stringLength x <= 1 && stringLength y <= 1;
      # Only called with |x| >= |y| and |x| - |y| <= 2.
      within2 =
        x: y:
        let
          lx = stringLength x;
          ly = stringLength y;
          inner = s: l: substring 1 (l - 2) s;
          dropLast = s: l: substring 0 (l - 1) s;
          dropFirst = s: l: substring 1 (l - 1) s;
        in
        if lx - ly == 2 then
          inner x lx == y
        else if lx - ly == 1 then
          inner x lx == dropLast y ly || inner x lx == dropFirst y ly
        else
          inner x lx == inner y ly || dropLast x lx == dropFirst y ly || dropFirst x lx == dropLast y ly;
    in
    k:
    if k <= 0 then
      a: b: a == b
    else
      let
        check =
          a: b:
          let
            la = stringLength a;
            lb = stringLength b;
            pre = commonPrefixLength a b;
            suf = commonSuffixLength a b;
            ai = substring pre (la - pre - suf) a;
            bi = substring pre (lb - pre - suf) b;
          in
          if la < lb then
            check b a
          else if la - lb > k then
            false
          else if k == 1 then
            within1 ai bi
          else if k == 2 then
            within2 ai bi
          else
            levenshtein ai bi <= k;
      in
      check;
}
