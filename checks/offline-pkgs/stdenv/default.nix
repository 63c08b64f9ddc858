# The stand-in stdenv: a derivation whose `setup` script is SHELL, initialPath, the default
# inputs and preHook followed by ./setup.sh, plus `mkDerivation`, which feeds the
# `derivation` builtin the way nixpkgs' make-derivation.nix does (shared/nixpkgs-slice.md §5).
{
  lib,
  system,
  buildPlatform,
  hostPlatform,
  targetPlatform,
  bash,
  initialPath,
  cc ? null,
  extraNativeBuildInputs ? [ ],
  preHook ? "",
}:

let
  shell = "${bash}/bin/bash";

  # stdenv's default setup hooks, each a plain file (a regular-file input is sourced).
  defaultHooks = map (f: builtins.path { path = ./hooks + "/${f}"; name = f; }) [
    "no-broken-symlinks.sh"
    "make-symlinks-relative.sh"
    "move-dirs.sh"
    "multiple-outputs.sh"
    "patch-shebangs.sh"
    "reproducible-builds.sh"
    "set-source-date-epoch-to-latest.sh"
    "strip.sh"
  ];

  defaultNativeBuildInputs = defaultHooks ++ extraNativeBuildInputs ++ lib.optional (cc != null) cc;

  setup = derivation {
    name = if cc == null then "stdenv-linux-nocc" else "stdenv-linux";
    inherit system initialPath defaultNativeBuildInputs preHook shell;
    builder = shell;
    setupBody = ./setup.sh;
    args = [
      "-euc"
      ''
        PATH=/usr/bin
        mkdir -p "$out"
        {
          printf 'export SHELL=%s\n' "$shell"
          printf 'initialPath="%s"\n' "$initialPath"
          printf 'defaultNativeBuildInputs="%s"\n' "$defaultNativeBuildInputs"
          printf 'defaultBuildInputs=""\n'
          printf '%s\n' "$preHook"
          cat "$setupBody"
        } > "$out/setup"
      ''
    ];
  };

  isCross = buildPlatform != hostPlatform;

  # Input lists: nested lists flattened, nulls dropped, a spliced package replaced by its
  # counterpart for the list's platforms (nixpkgs' `drv.__spliced.buildHost or drv` for
  # nativeBuildInputs, and so on), derivations mapped to their `dev` output when they have
  # one (lib.getDev).
  normaliseInputs =
    splice: xs:
    map (x: if builtins.isAttrs x then lib.getDev (x.__spliced.${splice} or x) else x) (
      builtins.filter (x: x != null) (lib.flatten xs)
    );

  # Each input list and the splice it takes its packages from.
  inputLists = {
    depsBuildBuild = "buildBuild";
    depsBuildBuildPropagated = "buildBuild";
    nativeBuildInputs = "buildHost";
    propagatedNativeBuildInputs = "buildHost";
    depsBuildTarget = "buildTarget";
    depsBuildTargetPropagated = "buildTarget";
    depsHostHost = "hostHost";
    depsHostHostPropagated = "hostHost";
    buildInputs = "hostTarget";
    propagatedBuildInputs = "hostTarget";
    depsTargetTarget = "targetTarget";
    depsTargetTargetPropagated = "targetTarget";
  };

  # `env` values become plain variables; nixpkgs allows strings, bools, ints and derivations.
  checkEnv =
    attrs: env:
    let
      bad = lib.filterAttrs (
        n: v:
        !(builtins.isString v || builtins.isBool v || builtins.isInt v || lib.isDerivation v)
      ) env;
      clashing = builtins.filter (n: attrs ? ${n}) (builtins.attrNames env);
    in
    if bad != { } then
      throw "The `env` attribute set can only contain derivation, string, boolean or integer attributes. The `${builtins.head (builtins.attrNames bad)}` attribute is of type ${builtins.typeOf bad.${builtins.head (builtins.attrNames bad)}}."
    else if clashing != [ ] then
      throw "The `env` attribute set cannot contain any attributes passed to derivation. The following attributes are overlapping: ${builtins.concatStringsSep ", " clashing}"
    else
      env;

  # One derivation from the final arguments.
  mkDerivationSimple =
    overrideAttrs: attrs:
    let
      doCheck = attrs.doCheck or false;
      doInstallCheck = attrs.doInstallCheck or false;
      env = checkEnv attrs (attrs.env or { });
      name = lib.sanitizeDerivationName (
        if attrs ? name then
          attrs.name
        else
          assert lib.assertMsg (attrs ? version && attrs.version != null) "The `version` attribute cannot be null.";
          # nixpkgs names a cross build's derivation after its host platform too.
          "${attrs.pname}${lib.optionalString isCross "-${hostPlatform.config}"}-${attrs.version}"
      );
      inputs = lib.mapAttrs (n: splice: normaliseInputs splice (attrs.${n} or [ ])) inputLists;
      checkInputs = {
        buildInputs =
          inputs.buildInputs ++ lib.optionals doCheck (normaliseInputs "hostTarget" (attrs.checkInputs or [ ]));
        nativeBuildInputs =
          inputs.nativeBuildInputs
          ++ lib.optionals doCheck (normaliseInputs "buildHost" (attrs.nativeCheckInputs or [ ]))
          ++ lib.optionals doInstallCheck (normaliseInputs "buildHost" (attrs.nativeInstallCheckInputs or [ ]));
      };
      derivationArgs =
        removeAttrs attrs [
          "meta"
          "passthru"
          "env"
          "pos"
          "checkInputs"
          "nativeCheckInputs"
          "installCheckInputs"
          "nativeInstallCheckInputs"
          "__structuredAttrs"
          "realBuilder"
        ]
        // inputs
        // checkInputs
        // env
        // {
          inherit name system doCheck doInstallCheck;
          stdenv = stdenv;
          builder = attrs.realBuilder or shell;
          args = attrs.args or [
            "-e"
            ./source-stdenv.sh
            (attrs.builder or ./default-builder.sh)
          ];
          strictDeps = attrs.strictDeps or false;
          outputs = attrs.outputs or [ "out" ];
          patches = attrs.patches or [ ];
          __ignoreNulls = true;
        };
      drv =
        if attrs.__structuredAttrs or false then
          throw "offline-pkgs stdenv: __structuredAttrs is not supported by the stand-in"
        else
          derivation derivationArgs;
      passthru = attrs.passthru or { };
      meta = attrs.meta or { };
      common = passthru // {
        inherit meta overrideAttrs passthru;
      };
      outputAttrs = lib.genAttrs drv.outputs (o: drv.${o} // common // { outputSpecified = true; });
      result = drv // common // outputAttrs // { all = map (o: outputAttrs.${o}) drv.outputs; };
    in
    result;

  # `rattrs finalAttrs` gives the arguments; finalAttrs is their fixed point plus
  # finalPackage and overrideAttrs. overrideAttrs re-runs everything on `prev // new`.
  makeDerivationExtensible =
    rattrs:
    let
      args = rattrs (args // { inherit finalPackage overrideAttrs; });
      overrideAttrs =
        f0:
        let
          f =
            final: prev:
            let
              x = if builtins.isFunction f0 then f0 prev else f0;
            in
            if builtins.isFunction x then f0 final prev else x;
        in
        makeDerivationExtensible (
          final:
          let
            prev = rattrs final;
          in
          prev // f final prev
        );
      finalPackage = mkDerivationSimple overrideAttrs args;
    in
    finalPackage;

  mkDerivation =
    fnOrAttrs:
    makeDerivationExtensible (if builtins.isFunction fnOrAttrs then fnOrAttrs else _: fnOrAttrs);

  stdenv = setup // {
    inherit
      mkDerivation
      shell
      cc
      initialPath
      system
      ;
    hasCC = cc != null;
    inherit buildPlatform hostPlatform targetPlatform;
    isLinux = hostPlatform.isLinux;
    isDarwin = hostPlatform.isDarwin;
    shellDryRun = "${shell} -n -O extglob";
  };
in
stdenv
