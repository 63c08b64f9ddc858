# Stand-in for nixpkgs lib/customisation.nix: overriding, callPackage, scopes.
{ lib }:

let
  inherit (builtins) intersectAttrs isAttrs mapAttrs;
  inherit (lib.trivial)
    functionArgs
    setFunctionArgs
    mirrorFunctionArgs
    isFunction
    toFunction
    id
    ;
  inherit (lib.fixedPoints) extends;
  check = import ./call-package-check.nix { inherit lib; };
in
rec {
  # Rebuild a derivation with changed `derivation` arguments. The new outPath
  # depends on the old drvPath so evaluation errors of the original surface.
  overrideDerivation =
    drv: f:
    let
      newDrv = derivation (drv.drvAttrs // f drv);
      passthru =
        {
          meta = drv.meta or { };
          passthru = drv.passthru or { };
        }
        // (drv.passthru or { })
        // lib.attrsets.optionalAttrs (drv ? __spliced) {
          __spliced = { } // mapAttrs (_: spliced: overrideDerivation spliced f) drv.__spliced;
        };
    in
    extendDerivation (builtins.seq drv.drvPath true) passthru newDrv;

  # Wrap `f` so its result gets `.override` (re-call with changed arguments)
  # and `.overrideDerivation`, and so `.overrideAttrs` results keep both.
  makeOverridable =
    f:
    let
      sameArgs = mirrorFunctionArgs f;
    in
    sameArgs (
      origArgs:
      let
        result = f origArgs;
        # newArgs may be a set or a function of the old arguments.
        mergeArgs = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
        override = sameArgs (newArgs: makeOverridable f (mergeArgs newArgs));
        # Post-process the result while staying overridable.
        mapResult = g: makeOverridable (sameArgs (args: g (f args))) origArgs;
      in
      if isAttrs result then
        result
        // {
          inherit override;
          overrideDerivation = fdrv: mapResult (drv: overrideDerivation drv fdrv);
          # Only present when the result had an overrideAttrs of its own.
          ${if result ? overrideAttrs then "overrideAttrs" else null} =
            fdrv: mapResult (drv: drv.overrideAttrs fdrv);
        }
      else if isFunction result then
        # A functor, keeping the inner function's argument metadata.
        setFunctionArgs result (functionArgs result) // { inherit override; }
      else
        result
    );

  # Call `fn` (a function or a file containing one) with the arguments it
  # declares taken from `autoArgs`, overlaid by `args`.
  callPackageWith =
    autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      fargs = functionArgs f;
      allArgs = intersectAttrs fargs autoArgs // args;
      error = check.errorMessage { inherit fargs autoArgs args; };
    in
    # abort, not throw: nixpkgs wants this uncatchable by tryEval.
    if error == null then makeOverridable f allArgs else abort error;

  # For functions returning a set of packages: each member becomes overridable.
  callPackagesWith =
    autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      origArgs = intersectAttrs (functionArgs f) autoArgs // args;
      pkgs = f origArgs;
      sameArgs = mirrorFunctionArgs f;
    in
    if lib.attrsets.isDerivation pkgs then
      throw (
        "function `callPackages` was called on a *single* derivation "
        + ''"${pkgs.name or "<unknown-name>"}";''
        + " did you mean to use `callPackage` instead?"
      )
    else
      mapAttrs (name: _: makeOverridable (sameArgs (newArgs: (f newArgs).${name})) origArgs) pkgs;

  # Add `passthru` to a derivation and to each of its outputs, checking
  # `condition` when outPath/drvPath is evaluated.
  extendDerivation =
    condition: passthru: drv:
    let
      outputs = drv.outputs or [ "out" ];
      common = drv // builtins.listToAttrs outputList // { all = map (o: o.value) outputList; } // passthru;
      forOutput = name: {
        inherit name;
        value =
          common
          // {
            inherit (drv.${name}) type outputName;
            outputSpecified = true;
            drvPath =
              assert condition;
              drv.${name}.drvPath;
            outPath =
              assert condition;
              drv.${name}.outPath;
          }
          // lib.attrsets.optionalAttrs (passthru ? overrideAttrs) {
            overrideAttrs = f: (passthru.overrideAttrs f).${name};
          };
      };
      outputList = map forOutput outputs;
    in
    common
    // {
      drvPath =
        assert condition;
        drv.drvPath;
      outPath =
        assert condition;
        drv.outPath;
    };

  hydraJob =
    drv:
    let
      outputs = drv.outputs or [ "out" ];
      common =
        {
          inherit (drv) name system meta;
          inherit outputs;
        }
        // lib.attrsets.optionalAttrs (drv._hydraAggregate or false) {
          _hydraAggregate = true;
          constituents = map hydraJob (lib.lists.flatten drv.constituents);
        }
        // builtins.listToAttrs outputList;
      forOutput = name: {
        inherit name;
        value = common // {
          inherit (drv.${name}) outPath drvPath;
          type = "derivation";
          outputName = name;
        };
      };
      outputList = map forOutput outputs;
      first = (builtins.head outputList).value;
    in
    if drv == null then null else builtins.deepSeq first first;

  # A package set whose members are called with the set itself (plus whatever
  # `newScope` was given), overridable as a whole via overrideScope.
  makeScope =
    newScope: f:
    let
      self = f self // {
        newScope = scope: newScope (self // scope);
        callPackage = self.newScope { };
        overrideScope = g: makeScope newScope (extends g f);
        # Deprecated spelling kept for older callers.
        overrideScope' =
          g:
          lib.trivial.warn "`overrideScope'` (from `lib.makeScope`) has been renamed to `overrideScope`." (
            makeScope newScope (extends g f)
          );
        packages = f;
      };
    in
    self;

  makeScopeWithSplicing =
    splicePackages: newScope: otherSplices: keep: extra: f:
    makeScopeWithSplicing' { inherit splicePackages newScope; } {
      inherit
        otherSplices
        keep
        extra
        f
        ;
    };

  makeScopeWithSplicing' =
    { splicePackages, newScope }:
    {
      otherSplices,
      keep ? (_self: { }),
      extra ? (_spliced0: { }),
      f,
    }:
    let
      spliced0 = splicePackages {
        pkgsBuildBuild = otherSplices.selfBuildBuild;
        pkgsBuildHost = otherSplices.selfBuildHost;
        pkgsBuildTarget = otherSplices.selfBuildTarget;
        pkgsHostHost = otherSplices.selfHostHost;
        pkgsHostTarget = self;
        pkgsTargetTarget = otherSplices.selfTargetTarget;
      };
      spliced = extra spliced0 // spliced0 // keep self;
      self = f self // {
        newScope = scope: newScope (spliced // scope);
        callPackage = newScope spliced;
        overrideScope =
          g:
          makeScopeWithSplicing' { inherit splicePackages newScope; } {
            inherit otherSplices keep extra;
            f = extends g f;
          };
        packages = f;
      };
    in
    self;

  # Build a mkDerivation-like helper on top of `constructDrv` that keeps the
  # fixed-point (`finalAttrs: { ... }`) calling convention. `extendDrvArgs` is
  # an overlay `finalAttrs: prevArgs: { ... }` over the caller's arguments;
  # `excludeDrvArgNames` are dropped from the caller's arguments before the
  # overlay's result is merged in.
  extendMkDerivation =
    let
      extendsExcluding =
        excluded: overlay: base: final:
        let
          prev = base final;
        in
        removeAttrs prev excluded // overlay final prev;
    in
    {
      constructDrv,
      excludeDrvArgNames ? [ ],
      excludeFunctionArgNames ? [ ],
      extendDrvArgs,
      inheritFunctionArgs ? true,
      transformDrv ? id,
    }:
    let
      inherited = lib.attrsets.optionalAttrs inheritFunctionArgs (
        removeAttrs (functionArgs constructDrv) excludeDrvArgNames
      );
      # The overlay's own set pattern, recovered by applying it to a dummy.
      own = functionArgs (extendDrvArgs { });
    in
    setFunctionArgs (
      fpargs:
      transformDrv (constructDrv (extendsExcluding excludeDrvArgNames extendDrvArgs (toFunction fpargs)))
    ) (removeAttrs (inherited // own) excludeFunctionArgNames)
    // {
      inherit
        constructDrv
        excludeDrvArgNames
        extendDrvArgs
        transformDrv
        ;
    };

  renameCrossIndexFrom = prefix: x: {
    buildBuild = x."${prefix}BuildBuild";
    buildHost = x."${prefix}BuildHost";
    buildTarget = x."${prefix}BuildTarget";
    hostHost = x."${prefix}HostHost";
    hostTarget = x."${prefix}HostTarget";
    targetTarget = x."${prefix}TargetTarget";
  };

  renameCrossIndexTo = prefix: x: {
    "${prefix}BuildBuild" = x.buildBuild;
    "${prefix}BuildHost" = x.buildHost;
    "${prefix}BuildTarget" = x.buildTarget;
    "${prefix}HostHost" = x.hostHost;
    "${prefix}HostTarget" = x.hostTarget;
    "${prefix}TargetTarget" = x.targetTarget;
  };

  mapCrossIndex =
    f:
    {
      buildBuild,
      buildHost,
      buildTarget,
      hostHost,
      hostTarget,
      targetTarget,
    }:
    {
      buildBuild = f buildBuild;
      buildHost = f buildHost;
      buildTarget = f buildTarget;
      hostHost = f hostHost;
      hostTarget = f hostTarget;
      targetTarget = f targetTarget;
    };
}
