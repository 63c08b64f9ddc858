# Stand-in for nixpkgs lib/attrsets.nix.
{ lib }:

let
  inherit (builtins)
    attrNames
    attrValues
    listToAttrs
    mapAttrs
    isAttrs
    length
    elemAt
    head
    catAttrs
    concatMap
    filter
    ;
in
rec {
  inherit (builtins)
    attrNames
    attrValues
    listToAttrs
    hasAttr
    isAttrs
    getAttr
    removeAttrs
    intersectAttrs
    catAttrs
    mapAttrs
    ;

  # Walks by index so no intermediate lists are built.
  attrByPath =
    attrPath: default: set:
    let
      n = length attrPath;
      walk =
        i: s:
        if i == n then
          s
        else
          let
            name = elemAt attrPath i;
          in
          if s ? ${name} then walk (i + 1) s.${name} else default;
    in
    walk 0 set;

  hasAttrByPath =
    attrPath: set:
    let
      n = length attrPath;
      walk =
        i: s:
        i == n
        || (
          let
            name = elemAt attrPath i;
          in
          s ? ${name} && walk (i + 1) s.${name}
        );
    in
    walk 0 set;

  longestValidPathPrefix =
    attrPath: v:
    let
      n = length attrPath;
      walk =
        s: i:
        if i == n then
          attrPath
        else
          let
            name = elemAt attrPath i;
          in
          if s ? ${name} then walk s.${name} (i + 1) else lib.lists.take i attrPath;
    in
    walk v 0;

  setAttrByPath =
    attrPath: value:
    let
      n = length attrPath;
      build = i: if i == n then value else { ${elemAt attrPath i} = build (i + 1); };
    in
    build 0;

  # Missing paths abort (not throw), as in nixpkgs.
  getAttrFromPath =
    attrPath: set:
    attrByPath attrPath (abort ("cannot find attribute '" + builtins.concatStringsSep "." attrPath + "'")) set;

  concatMapAttrs = f: set: builtins.foldl' (acc: x: acc // x) { } (attrValues (mapAttrs f set));

  # Deeper updates run before shallower ones; updates of one path run in
  # list order. See nixpkgs for the full contract.
  updateManyAttrsByPath =
    let
      go =
        depth: hasValue: value: updates:
        let
          here = lib.lists.partition (u: length u.path == depth) updates;
          deeper = lib.lists.groupBy (u: elemAt u.path depth) here.wrong;
          nestedApplied =
            if here.wrong == [ ] then
              if hasValue then
                value
              else
                throw (
                  "updateManyAttrsByPath: Path '${showAttrPath (head here.right).path}' does "
                  + "not exist in the given value, but the first update to this "
                  + "path tries to access the existing value."
                )
            else if !hasValue then
              mapAttrs (_: go (depth + 1) false null) deeper
            else if isAttrs value then
              value // mapAttrs (name: go (depth + 1) (value ? ${name}) value.${name}) deeper
            else
              let
                p = (head here.wrong).path;
              in
              throw (
                "updateManyAttrsByPath: Path '${showAttrPath p}' needs to "
                + "be updated, but path '${showAttrPath (lib.lists.take depth p)}' "
                + "of the given value is not an attribute set, so we can't "
                + "update an attribute inside of it."
              );
        in
        # Lazy fold: intermediate values of repeated updates stay unevaluated.
        lib.lists.foldl (acc: u: u.update acc) nestedApplied here.right;
    in
    updates: value: go 0 true value updates;

  attrVals = names: set: map (name: set.${name}) names;

  getAttrs = names: set: genAttrs names (name: set.${name});

  filterAttrs = pred: set: removeAttrs set (filter (name: !(pred name set.${name})) (attrNames set));

  # Recurses into every attribute-set value that the predicate keeps,
  # derivations included.
  filterAttrsRecursive =
    pred: set:
    listToAttrs (
      concatMap (
        name:
        let
          v = set.${name};
        in
        if pred name v then [ (nameValuePair name (if isAttrs v then filterAttrsRecursive pred v else v)) ] else [ ]
      ) (attrNames set)
    );

  foldlAttrs =
    f: init: set:
    builtins.foldl' (acc: name: f acc name set.${name}) init (attrNames set);

  foldAttrs =
    op: nul: listOfAttrs:
    lib.lists.foldr (
      set: acc:
      lib.lists.foldr (name: acc': acc' // { ${name} = op set.${name} (acc.${name} or nul); }) acc (
        attrNames set
      )
    ) { } listOfAttrs;

  # Stops descending as soon as `pred` holds.
  collect =
    pred: v:
    if pred v then
      [ v ]
    else if isAttrs v then
      concatMap (collect pred) (attrValues v)
    else
      [ ];

  cartesianProduct =
    attrsOfLists:
    builtins.foldl' (
      acc: name: concatMap (partial: map (x: partial // { ${name} = x; }) attrsOfLists.${name}) acc
    ) [ { } ] (attrNames attrsOfLists);

  mapCartesianProduct = f: attrsOfLists: map f (cartesianProduct attrsOfLists);

  nameValuePair = name: value: { inherit name value; };

  mapAttrs' = f: set: listToAttrs (mapAttrsToList f set);

  # Ordered by attribute name.
  mapAttrsToList = f: set: attrValues (mapAttrs f set);

  attrsToList = mapAttrsToList nameValuePair;

  mapAttrsRecursive = f: set: mapAttrsRecursiveCond (_: true) f set;

  mapAttrsRecursiveCond =
    cond: f: set:
    let
      recurse =
        path:
        mapAttrs (
          name: value:
          let
            here = path ++ [ name ];
          in
          if isAttrs value && cond value then recurse here value else f here value
        );
    in
    recurse [ ] set;

  mapAttrsToListRecursiveCond =
    pred: f: set:
    let
      visit = path: value: if isAttrs value && pred path value then walk path value else [ (f path value) ];
      walk = path: s: concatMap (name: visit (path ++ [ name ]) s.${name}) (attrNames s);
    in
    walk [ ] set;

  mapAttrsToListRecursive = mapAttrsToListRecursiveCond (_: _: true);

  genAttrs = names: f: genAttrs' names (name: nameValuePair name (f name));

  # First occurrence wins on duplicate names (listToAttrs semantics).
  genAttrs' = xs: f: listToAttrs (map f xs);

  isDerivation = value: value.type or null == "derivation";

  toDerivation =
    path:
    let
      storePath = builtins.storePath path;
      drv = {
        type = "derivation";
        name = lib.strings.sanitizeDerivationName (builtins.substring 33 (-1) (baseNameOf storePath));
        outPath = storePath;
        outputs = [ "out" ];
        out = drv;
        outputName = "out";
      };
    in
    drv;

  optionalAttrs = cond: set: if cond then set else { };

  zipAttrsWithNames =
    names: f: sets:
    listToAttrs (
      map (name: {
        inherit name;
        value = f name (catAttrs name sets);
      }) names
    );

  zipAttrsWith = builtins.zipAttrsWith or (f: sets: zipAttrsWithNames (concatMap attrNames sets) f sets);

  zipAttrs = zipAttrsWith (_: values: values);

  # Balanced merge tree: later lists win, like folding with `//`.
  mergeAttrsList =
    list:
    let
      merge =
        from: to:
        if to - from >= 2 then
          let
            mid = from + (to - from) / 2;
          in
          merge from mid // merge mid to
        else
          elemAt list from;
    in
    if list == [ ] then { } else merge 0 (length list);

  # `pred path lhsValue rhsValue` decides where merging stops; the right side
  # then wins wholesale.
  recursiveUpdateUntil =
    pred: lhs: rhs:
    let
      step =
        path:
        zipAttrsWith (
          name: values:
          let
            here = path ++ [ name ];
          in
          # values is [ rhsValue lhsValue ] or a single value.
          if length values == 1 || pred here (elemAt values 1) (head values) then
            head values
          else
            step here values
        );
    in
    step [ ] [
      rhs
      lhs
    ];

  # Recurses only while both sides are attribute sets.
  recursiveUpdate = recursiveUpdateUntil (_path: l: r: !(isAttrs l && isAttrs r));

  matchAttrs =
    pattern: attrs:
    assert isAttrs pattern;
    builtins.all (
      name:
      attrs ? ${name}
      && (
        let
          p = pattern.${name};
          v = attrs.${name};
        in
        if isAttrs p then isAttrs v && matchAttrs p v else p == v
      )
    ) (attrNames pattern);

  overrideExisting = old: new: mapAttrs (name: value: new.${name} or value) old;

  showAttrPath =
    path:
    if path == [ ] then
      "<root attribute path>"
    else
      builtins.concatStringsSep "." (map lib.strings.escapeNixIdentifier path);

  # `outputSpecified = true` (set on `drv.dev` etc.) pins the output, which
  # makes this idempotent.
  getOutput =
    output: pkg:
    if pkg.outputSpecified or false then pkg else pkg.${output} or pkg.out or pkg;

  getFirstOutput =
    candidates: pkg:
    let
      present = filter (name: pkg ? ${name}) candidates;
    in
    if pkg.outputSpecified or false || present == [ ] then pkg else pkg.${head present};

  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";
  getStatic = getFirstOutput [
    "static"
    "lib"
    "out"
  ];
  getInclude = getFirstOutput [
    "include"
    "dev"
    "out"
  ];

  chooseDevOutputs = map getDev;

  recurseIntoAttrs = set: set // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = set: set // { recurseForDerivations = false; };

  unionOfDisjoint =
    x: y:
    let
      both = builtins.intersectAttrs x y;
      names = builtins.concatStringsSep " " (attrNames both);
    in
    x // y // mapAttrs (name: _: throw "unionOfDisjoint: collision on ${name}; complete list: ${names}") both;
}
