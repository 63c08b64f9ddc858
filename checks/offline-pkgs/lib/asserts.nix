# Stand-in for nixpkgs lib/asserts.nix.
{ lib }:

let
  # A small subset of lib.generators.toPretty (multiline style), enough for
  # the messages below.
  pretty =
    v:
    if builtins.isString v then
      builtins.toJSON v
    else if builtins.isList v then
      if v == [ ] then "[ ]" else "[\n" + lib.strings.concatMapStrings (x: "  ${pretty x}\n") v + "]"
    else if builtins.isBool v then
      lib.trivial.boolToString v
    else if v == null then
      "null"
    else
      toString v;
in
rec {
  # `assert assertMsg cond "why";` gives a readable error instead of
  # "assertion failed".
  assertMsg = pred: msg: pred || builtins.throw msg;

  assertOneOf =
    name: val: xs:
    assertMsg (builtins.elem val xs) "${name} must be one of ${pretty xs}, but is: ${pretty val}";

  assertEachOneOf =
    name: vals: xs:
    assertMsg (builtins.all (v: builtins.elem v xs) vals)
      "each element in ${name} must be one of ${pretty xs}, but is: ${pretty vals}";
}
