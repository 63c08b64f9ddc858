# Stand-in for nixpkgs lib/lists.nix.
{ lib }:

let
  inherit (builtins)
    length
    elemAt
    genList
    head
    tail
    filter
    elem
    isList
    ;
  inherit (lib.trivial) min max;
in
rec {
  inherit (builtins)
    head
    tail
    length
    isList
    elemAt
    concatLists
    filter
    elem
    genList
    map
    concatMap
    any
    all
    partition
    sort
    ;

  singleton = x: [ x ];

  forEach = xs: f: map f xs;

  # Index-based folds: no deep recursion on `tail`, no list copies.
  foldr =
    op: nul: list:
    let
      n = length list;
      go = i: if i == n then nul else op (elemAt list i) (go (i + 1));
    in
    go 0;

  fold = foldr;

  # Lazy in the accumulator (unlike foldl').
  foldl =
    op: nul: list:
    let
      go = i: if i < 0 then nul else op (go (i - 1)) (elemAt list i);
    in
    go (length list - 1);

  # builtins.foldl' does not force the initial accumulator; nixpkgs' does.
  foldl' = op: acc: builtins.seq acc (builtins.foldl' op acc);

  imap0 = f: list: genList (i: f i (elemAt list i)) (length list);
  imap1 = f: list: genList (i: f (i + 1) (elemAt list i)) (length list);

  ifilter0 =
    ipred: list:
    map (i: elemAt list i) (filter (i: ipred i (elemAt list i)) (genList (i: i) (length list)));

  flatten = x: if isList x then concatMap flatten x else [ x ];

  remove = e: filter (x: x != e);

  findSingle =
    pred: default: multiple: list:
    let
      hits = filter pred list;
    in
    if hits == [ ] then
      default
    else if length hits > 1 then
      multiple
    else
      head hits;

  # Uses foldl' (constant stack) instead of recursion; the accumulator is
  # either "not found yet, looking at index -acc-1" (negative) or the hit.
  findFirstIndex =
    pred: default: list:
    let
      step = acc: x: if acc >= 0 then acc else if pred x then -acc - 1 else acc - 1;
      found = builtins.foldl' step (-1) list;
    in
    if found < 0 then default else found;

  findFirst =
    pred: default: list:
    let
      i = findFirstIndex pred null list;
    in
    if i == null then default else elemAt list i;

  count = pred: foldl' (n: x: if pred x then n + 1 else n) 0;

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];

  toList = x: if isList x then x else [ x ];

  range = first: last: if first > last then [ ] else genList (i: first + i) (last - first + 1);

  replicate = n: x: genList (_: x) n;

  groupBy =
    builtins.groupBy or (
      pred:
      foldl' (
        acc: x:
        let
          key = pred x;
        in
        acc // { ${key} = (acc.${key} or [ ]) ++ [ x ]; }
      ) { }
    );

  groupBy' =
    op: nul: pred: list:
    builtins.mapAttrs (_: foldl op nul) (groupBy pred list);

  zipListsWith =
    f: xs: ys:
    genList (i: f (elemAt xs i) (elemAt ys i)) (min (length xs) (length ys));

  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  reverseList =
    xs:
    let
      n = length xs;
    in
    genList (i: elemAt xs (n - 1 - i)) n;

  # `before a b` means b depends on a. Walks from the head of the list towards
  # an element nothing is before.
  listDfs =
    stopOnCycles: before: list:
    let
      visit =
        current: visited: rest:
        let
          loops = filter (x: before x current) visited;
          split = partition (x: before x current) rest;
        in
        if stopOnCycles && loops != [ ] then
          {
            cycle = current;
            inherit loops visited rest;
          }
        else if split.right == [ ] then
          {
            minimal = current;
            inherit visited rest;
          }
        else
          visit (head split.right) ([ current ] ++ visited) (tail split.right ++ split.wrong);
    in
    visit (head list) [ ] (tail list);

  toposort =
    before: list:
    let
      dfs = listDfs true before list;
      sortedRest = toposort before (dfs.visited ++ dfs.rest);
    in
    if length list < 2 then
      { result = list; }
    else if dfs ? cycle then
      {
        cycle = reverseList ([ dfs.cycle ] ++ dfs.visited);
        inherit (dfs) loops;
      }
    else if sortedRest ? cycle then
      sortedRest
    else
      { result = [ dfs.minimal ] ++ sortedRest.result; };

  # Computes the key once per element.
  sortOn =
    f: list:
    map (pair: elemAt pair 1) (
      sort (a: b: head a < head b) (
        map (x: [
          (f x)
          x
        ]) list
      )
    );

  compareLists =
    cmp: a: b:
    if a == [ ] then
      (if b == [ ] then 0 else -1)
    else if b == [ ] then
      1
    else
      let
        c = cmp (head a) (head b);
      in
      if c != 0 then c else compareLists cmp (tail a) (tail b);

  # Digit runs compare numerically ("disk9" < "disk11").
  naturalSort =
    list:
    let
      chunks =
        s: map (part: if isList part then lib.strings.toInt (head part) else part) (builtins.split "(0|[1-9][0-9]*)" s);
      keyed = map (s: [
        (chunks s)
        s
      ]) list;
    in
    map (pair: elemAt pair 1) (
      sort (a: b: compareLists lib.trivial.compare (head a) (head b) < 0) keyed
    );

  take = n: sublist 0 n;

  takeEnd = n: xs: drop (max 0 (length xs - n)) xs;

  drop = n: list: sublist n (length list) list;

  dropEnd = n: xs: take (max 0 (length xs - n)) xs;

  # Is `list1` a prefix of `list2`?
  hasPrefix = list1: list2: take (length list1) list2 == list1;

  removePrefix =
    list1: list2:
    if hasPrefix list1 list2 then
      drop (length list1) list2
    else
      throw "lib.lists.removePrefix: First argument is not a list prefix of the second argument";

  sublist =
    start: n: list:
    let
      len = length list;
      size =
        if start >= len then
          0
        else if start + n > len then
          len - start
        else
          n;
    in
    genList (i: elemAt list (start + i)) size;

  commonPrefix =
    list1: list2:
    let
      differs = zipListsWith (a: b: a != b) list1 list2;
    in
    take (findFirstIndex (x: x) (length differs) differs) list1;

  last =
    list:
    assert lib.asserts.assertMsg (list != [ ]) "lists.last: list must not be empty!";
    elemAt list (length list - 1);

  init =
    list:
    assert lib.asserts.assertMsg (list != [ ]) "lists.init: list must not be empty!";
    take (length list - 1) list;

  crossLists = f: foldl (fs: args: concatMap (g: map g args) fs) [ f ];

  # Keeps the first occurrence, O(n^2).
  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];

  # Sorted result, strings only.
  uniqueStrings = list: builtins.attrNames (groupBy (x: x) list);

  allUnique = list: length (unique list) == length list;

  intersectLists = e: filter (x: elem x e);

  subtractLists = e: filter (x: !(elem x e));

  mutuallyExclusive = a: b: a == [ ] || !(builtins.any (x: elem x a) b);

  concatAttrValues = set: builtins.concatLists (builtins.attrValues set);
}
