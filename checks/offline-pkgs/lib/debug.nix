# A few helpers from nixpkgs lib/debug.nix.
{ lib }:

rec {
  traceIf = cond: msg: x: if cond then builtins.trace msg x else x;

  traceValFn = f: x: builtins.trace (f x) x;
  traceVal = traceValFn (x: x);

  traceSeq = x: y: builtins.trace (builtins.deepSeq x x) y;
  traceValSeqFn = f: v: traceValFn f (builtins.deepSeq v v);
  traceValSeq = traceValSeqFn (x: x);

  # `tests` is { testName = { expr; expected; }; }. Only names starting with
  # "test" run, or those listed in an optional `tests` attribute. Returns the
  # failures as [ { name; expected; result; } ].
  runTests =
    tests:
    let
      selected = tests.tests or [ ];
      wanted = name: (lib.strings.hasPrefix "test" name || builtins.elem name selected) && (selected == [ ] || builtins.elem name selected);
    in
    builtins.concatLists (
      lib.attrsets.mapAttrsToList (
        name: test:
        if wanted name && test.expr != test.expected then
          [
            {
              inherit name;
              inherit (test) expected;
              result = test.expr;
            }
          ]
        else
          [ ]
      ) tests
    );

  testAllTrue = expr: {
    inherit expr;
    expected = map (_: true) expr;
  };
}
