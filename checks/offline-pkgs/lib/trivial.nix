# Stand-in for nixpkgs lib/trivial.nix: tiny combinators, function metadata,
# warnings and the release/version strings.
{ lib }:

let
  inherit (builtins) isString;

  # Bumping these keeps `versionAtLeast lib.version "X"` checks in callers working.
  releaseString = "26.05";
  suffixString = "pre-gantry-standin";
in
{
  id = x: x;

  const = x: _ignored: x;

  # Left-to-right application of a list of functions.
  pipe = value: fns: builtins.foldl' (acc: fn: fn acc) value fns;

  concat = xs: ys: xs ++ ys;

  or = a: b: a || b;
  and = a: b: a && b;
  # Negating both sides forces both arguments to be booleans.
  xor = a: b: (!a) != (!b);

  bitNot = builtins.sub (-1);

  # Unlike `toString true` (which is "1"), this gives "true"/"false".
  boolToString = b: if b then "true" else "false";
  boolToYesNo = b: if b then "yes" else "no";

  mergeAttrs = lhs: rhs: lhs // rhs;

  flip = f: a: b: f b a;

  defaultTo = default: value: if value == null then default else value;

  mapNullable = f: value: if value == null then value else f value;

  inherit (builtins)
    pathExists
    readFile
    isBool
    isInt
    isFloat
    add
    sub
    lessThan
    seq
    deepSeq
    genericClosure
    bitAnd
    bitOr
    bitXor
    ;

  release = releaseString;
  versionSuffix = suffixString;
  version = releaseString + suffixString;
  codeName = "Yarara";

  oldestSupportedRelease = 2505;
  oldestSupportedReleaseIsAtLeast = rel: rel <= lib.trivial.oldestSupportedRelease;
  isInOldestRelease =
    lib.warnIf (lib.trivial.oldestSupportedReleaseIsAtLeast 2411)
      "lib.isInOldestRelease is deprecated. Use lib.oldestSupportedReleaseIsAtLeast instead."
      lib.trivial.oldestSupportedReleaseIsAtLeast;

  # There is no git checkout of nixpkgs behind this stand-in.
  revisionWithDefault = default: default;

  inNixShell = builtins.getEnv "IN_NIX_SHELL" != "";

  # Pure evaluation hides `builtins.currentSystem`.
  inPureEvalMode = !(builtins ? currentSystem);

  min = a: b: if a < b then a else b;
  max = a: b: if a > b then a else b;

  # Truncating remainder (same sign as the dividend), like C's `%`.
  mod = base: divisor: base - divisor * (builtins.div base divisor);

  compare =
    a: b:
    if a < b then
      -1
    else if a > b then
      1
    else
      0;

  splitByAndCompare =
    pred: yes: no: a: b:
    let
      pa = pred a;
      pb = pred b;
    in
    if pa && pb then
      yes a b
    else if pa then
      -1
    else if pb then
      1
    else
      no a b;

  importJSON = file: builtins.fromJSON (builtins.readFile file);
  importTOML = file: builtins.fromTOML (builtins.readFile file);

  # Nix 2.8 has no `builtins.warn`, so emulate the >= 2.23 behaviour like nixpkgs
  # does: print "evaluation warning: ..." and honour NIX_ABORT_ON_WARN.
  warn =
    builtins.warn or (
      let
        abortOnWarn = builtins.elem (builtins.getEnv "NIX_ABORT_ON_WARN") [
          "1"
          "true"
          "yes"
        ];
      in
      # `value` stays an explicit argument so strictness matches builtins.warn.
      msg: value:
      assert isString msg;
      builtins.trace "evaluation warning: ${msg}" (
        if abortOnWarn then
          abort "NIX_ABORT_ON_WARN=true; warnings are treated as unrecoverable errors."
        else
          value
      )
    );

  warnIf = cond: msg: if cond then lib.trivial.warn msg else lib.trivial.id;
  warnIfNot = cond: msg: if cond then lib.trivial.id else lib.trivial.warn msg;

  # These return the identity function on success so calls can be chained.
  throwIfNot = cond: msg: if cond then lib.trivial.id else throw msg;
  throwIf = cond: msg: if cond then throw msg else lib.trivial.id;

  checkListOfEnum =
    msg: valid: given:
    let
      unexpected = builtins.filter (x: !(builtins.elem x valid)) given;
      show = xs: builtins.concatStringsSep ", " (map toString xs);
    in
    lib.trivial.throwIfNot (unexpected == [ ]) "${msg}: ${show unexpected} unexpected; valid ones: ${show valid}";

  info = msg: builtins.trace "INFO: ${msg}";

  showWarnings = warnings: result: lib.lists.foldr (w: acc: lib.trivial.warn w acc) result warnings;

  # Function annotations. A functor set carries the argument metadata that a
  # dynamically built function cannot have natively.
  setFunctionArgs = f: args: {
    __functor = _self: f;
    __functionArgs = args;
  };

  functionArgs =
    f:
    if f ? __functor then
      f.__functionArgs or (lib.trivial.functionArgs (f.__functor f))
    else
      builtins.functionArgs f;

  # Sets with a `__functor` are callable, so they count as functions here
  # (builtins.isFunction says false for them).
  isFunction = f: builtins.isFunction f || (f ? __functor && lib.trivial.isFunction (f.__functor f));

  mirrorFunctionArgs =
    f:
    let
      args = lib.trivial.functionArgs f;
    in
    g: lib.trivial.setFunctionArgs g args;

  toFunction = v: if lib.trivial.isFunction v then v else _: v;

  toBaseDigits =
    base: n:
    let
      digitsOf = k: if k < base then [ k ] else digitsOf (k / base) ++ [ (k - (k / base) * base) ];
    in
    assert builtins.isInt base;
    assert builtins.isInt n;
    assert base >= 2;
    assert n >= 0;
    digitsOf n;

  toHexString =
    let
      digit = d: builtins.elemAt (lib.strings.stringToCharacters "0123456789ABCDEF") d;
    in
    n: lib.strings.concatMapStrings digit (lib.trivial.toBaseDigits 16 n);

  fromHexString =
    str:
    let
      m = builtins.match "(0x)?([0-7]?[0-9A-Fa-f]{1,15})" str;
    in
    if m != null then
      (builtins.fromTOML "v=0x${builtins.elemAt m 1}").v
    else
      lib.trivial.warn "fromHexString: \"${str}\" is not a valid input and will be rejected in 26.05" (
        builtins.fromTOML "v=0x${lib.strings.removePrefix "0x" (lib.strings.toLower str)}"
      ).v;
}
