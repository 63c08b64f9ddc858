# The offline stand-in for the slice of nixpkgs gantry uses (shared/nixpkgs-slice.md).
# `import ./checks/offline-pkgs { }` gives a package set; ./flake.nix exposes it as
# `legacyPackages.<system>` so flakes with a `nixpkgs` input can be checked offline with
# `--override-input nixpkgs path:<this directory>`. Host tools come from the machine's
# Debian packages and the Rust toolchain from rustup, both prepared by ci/setup-nix.sh,
# which also writes ./host.nix.
{
  system ? builtins.currentSystem,
  # nixpkgs' arguments for a cross package set (`import nixpkgs { localSystem; crossSystem; }`):
  # a system string or `{ config = …; }` each; pkgsCross.<name> gives the same sets.
  localSystem ? { inherit system; },
  crossSystem ? null,
  # Applied to the result in order, each as `pkgs // overlay pkgs pkgs` (no fixpoint: the
  # stand-in's own packages do not see what an overlay adds or replaces).
  overlays ? [ ],
  host ?
    if builtins.pathExists ./host.nix then
      import ./host.nix
    else
      throw "checks/offline-pkgs/host.nix is missing: run `. ci/setup-nix.sh` first",
  ...
}:

let
  lib = import ./lib { };

  # One value per platform, shared by every set and stdenv that has it: sets holding
  # functions compare equal only when they are the same value, and code compares them to
  # detect cross builds.
  buildPlatform = lib.systems.elaborate localSystem;

  tools = import ./host-tools.nix { inherit (buildPlatform) system; };
  libraries = import ./host-libraries.nix { inherit (buildPlatform) system; };
  rust = import ./rust-toolchain.nix {
    inherit host;
    inherit (buildPlatform) system;
    inherit (tools) hostPackage;
  };
  checkTools = import ./check-tools.nix { inherit host; inherit (buildPlatform) system; };

  initialPath = with tools; [
    coreutils
    findutils
    diffutils
    gnused
    gnugrep
    gawk
    gnutar
    gzip
    bzip2
    gnumake
    bash
    gnupatch
    xz
    file
  ];

  # nixpkgs' splice.nix: every derivation of the set, augmented with `__spliced`, its
  # counterparts in the six sets, which mkDerivation picks by the input list it is in.
  spliceReal =
    {
      pkgsBuildBuild,
      pkgsBuildHost,
      pkgsBuildTarget,
      pkgsHostHost,
      pkgsHostTarget,
      pkgsTargetTarget,
    }:
    let
      mash =
        pkgsBuildBuild // pkgsBuildTarget // pkgsHostHost // pkgsTargetTarget // pkgsBuildHost // pkgsHostTarget;
      splices = {
        buildBuild = pkgsBuildBuild;
        buildHost = pkgsBuildHost;
        buildTarget = pkgsBuildTarget;
        hostHost = pkgsHostHost;
        hostTarget = pkgsHostTarget;
        targetTarget = pkgsTargetTarget;
      };
    in
    lib.mapAttrs (
      name: value:
      if lib.isDerivation value then
        value // { __spliced = lib.mapAttrs (_: set: set.${name}) (lib.filterAttrs (_: set: set ? ${name}) splices); }
      else
        value
    ) mash;

  # One package set: `hostPlatform` and `targetPlatform` for its stdenv, `cc` its C
  # compiler, `rustPackages` its Rust toolchain, `sets` its pkgsXY (given as functions of
  # the set itself); `spliced` when its callPackage splices (a cross set).
  makeSet =
    {
      hostPlatform,
      targetPlatform,
      cc,
      rustPackages,
      sets,
      spliced ? false,
      extra ? { },
    }:
    let
      mkStdenv =
        cc:
        import ./stdenv {
          inherit lib initialPath cc buildPlatform hostPlatform targetPlatform;
          inherit (buildPlatform) system;
          inherit (tools) bash;
        };
    in
    lib.fix (
      self:
      let
        trivial = lib.callPackageWith self ./trivial-builders.nix { };
        these = sets self;
        splicePackages = if spliced then spliceReal else args: args.pkgsHostTarget;
        splicedPackages =
          splicePackages {
            inherit (these)
              pkgsBuildBuild
              pkgsBuildHost
              pkgsBuildTarget
              pkgsHostHost
              pkgsHostTarget
              pkgsTargetTarget
              ;
          }
          // {
            # Never spliced (nixpkgs' splice.nix).
            inherit (self)
              pkgs
              buildPackages
              targetPackages
              buildPlatform
              hostPlatform
              targetPlatform
              ;
          };
      in
      tools
      // libraries
      // rustPackages
      // checkTools
      // {
        # What `nix develop` runs the shell with.
        bashInteractive = tools.bash;
        # Named one by one: merging callPackage results with `//` would make the set's own
        # attribute names depend on itself.
        inherit (trivial)
          runCommandWith
          runCommand
          runCommandLocal
          runCommandCC
          writeTextFile
          writeText
          writeTextDir
          writeScript
          writeScriptBin
          writeShellScript
          writeShellScriptBin
          linkFarm
          symlinkJoin
          makeSetupHook
          replaceVars
          ;

        inherit lib splicePackages;
        pkgs = self;
        callPackage = lib.callPackageWith splicedPackages;
        newScope = extra: lib.callPackageWith (splicedPackages // extra);

        stdenv = mkStdenv cc;
        stdenvNoCC = mkStdenv null;

        inherit (these)
          buildPackages
          pkgsBuildBuild
          pkgsBuildHost
          pkgsBuildTarget
          pkgsHostHost
          pkgsHostTarget
          pkgsTargetTarget
          targetPackages
          ;

        inherit (hostPlatform) system;
        inherit buildPlatform hostPlatform targetPlatform;

        runtimeShell = "${tools.bash}/bin/bash";
        runtimeShellPackage = tools.bash;
        gnupatch = tools.gnupatch;
        patch = tools.gnupatch;
        pkgconf = tools.pkg-config;
        stdenv_32bit = throw "offline-pkgs: 32-bit stdenv is not part of the stand-in";

        fetchurl = lib.callPackageWith self ./fetchurl.nix { };
        fetchgit = lib.callPackageWith self ./fetchgit.nix { };
        mkShell = lib.callPackageWith self ./mk-shell.nix { };
        lndir = lib.callPackageWith self ./lndir.nix { };
        # The Wine builds the platforms' emulator is picked from (only a 64-bit one here).
        winePackagesFor =
          wineBuild:
          if wineBuild == "wine64" then
            { minimal = tools.wine64; }
          else
            throw "offline-pkgs: winePackagesFor \"${wineBuild}\" is not in the stand-in (only \"wine64\")";

        # The cross package sets of nixpkgs' lib.systems.examples this machine builds for.
        pkgsCross = lib.mapAttrs (_: crossFor) lib.systems.examples;
      }
      // extra
    );

  # The native set: build, host and target platform one value, every pkgsXY the set itself.
  native = makeSet {
    hostPlatform = buildPlatform;
    targetPlatform = buildPlatform;
    cc = tools.gcc;
    rustPackages = rust.native;
    sets = self: {
      buildPackages = self;
      pkgsBuildBuild = self;
      pkgsBuildHost = self;
      pkgsBuildTarget = self;
      pkgsHostHost = self;
      pkgsHostTarget = self;
      pkgsTargetTarget = self;
      targetPackages = self;
    };
  };

  # The cross set for `crossSystem` (build: this machine; host and target: that platform)
  # and its buildPackages (build and host: this machine; target: that platform). Both hold
  # the build machine's programs (the stand-in cannot build them for another platform), but
  # for Rust: the build set's toolchain holds the standard library of both platforms, the
  # cross set's stands for nixpkgs' programs for the cross platform (they fail when run).
  # Their stdenv.cc differs: the cross set's is Debian's cross compiler under nixpkgs'
  # targetPrefix.
  crossFor =
    crossSystem:
    let
      hostPlatform = lib.systems.elaborate crossSystem;
      rustPackages = rust.forTargets [
        buildPlatform.rust.rustcTarget
        hostPlatform.rust.rustcTarget
      ];
      buildSet = makeSet {
        inherit rustPackages;
        hostPlatform = buildPlatform;
        targetPlatform = hostPlatform;
        cc = tools.gcc;
        sets = self: {
          buildPackages = native;
          pkgsBuildBuild = native;
          pkgsBuildHost = native;
          pkgsBuildTarget = self;
          pkgsHostHost = self;
          pkgsHostTarget = self;
          pkgsTargetTarget = { };
          targetPackages = crossSet;
        };
      };
      crossSet = makeSet {
        inherit hostPlatform;
        rustPackages = rust.forPlatform hostPlatform.config;
        targetPlatform = hostPlatform;
        cc = tools.crossCcFor hostPlatform;
        spliced = true;
        sets = self: {
          buildPackages = buildSet;
          pkgsBuildBuild = native;
          pkgsBuildHost = buildSet;
          pkgsBuildTarget = buildSet;
          pkgsHostHost = self;
          pkgsHostTarget = self;
          pkgsTargetTarget = self;
          targetPackages = self;
        };
        # Libraries for the cross platform are not in the stand-in. curl stays the build
        # machine's: its program is what builds use (fetchers put it in nativeBuildInputs).
        extra =
          lib.mapAttrs (
            name: _: throw "offline-pkgs: ${name} for ${hostPlatform.config} is not in the stand-in (only the build machine's)"
          ) (removeAttrs libraries [ "curl" ])
        // lib.optionalAttrs hostPlatform.isMinGW { windows.pthreads = tools.mingwPthreads; };
      };
    in
    crossSet;
  result = if crossSystem == null then native else crossFor crossSystem;
in
builtins.foldl' (pkgs: overlay: pkgs // overlay pkgs pkgs) result overlays
