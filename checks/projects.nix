# The pipeline on each kind of project from the seed and the issue: no dependencies, nested
# dependencies (serde with derive), a workspace, a -sys crate compiling
# bundled C through cc, the same crate linking the system zlib found by pkg-config, features
# through cargoExtraArgs, a no_std library with a custom profile, a custom CARGO_TARGET_DIR,
# a replaced Cargo.lock and an overridden toolchain. Every case runs in both artifact modes:
# buildDepsOnly, then buildPackage on its artifacts with requireFreshDependencies (cargo's
# `fresh` flags must show zero recompiled dependency units), then the binary runs.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib) buildDepsOnly buildPackage cargoBuild;
  inherit (import ./support.nix { inherit pkgs lib; })
    runsAndPrints
    freshPackage
    artifactModes
    noCompileWrapper
    storeReferences
    ;

  # For each artifact mode: name-<mode> (`verify name pkg` checks the installed package),
  # name-<mode>-references (no store path of the vendored sources or the toolchain in the
  # binaries) and name-<mode>-chain (cargoBuild → cargoBuild, the second one under a rustc
  # wrapper that fails on any compilation).
  pipelineCase =
    name: args: verify:
    lib.listToAttrs (
      lib.concatMap (
        mode:
        let
          common = args // { installCargoArtifactsMode = mode; };
          deps = buildDepsOnly common;
          pkg = buildPackage (
            common
            // {
              cargoArtifacts = deps;
              requireFreshDependencies = true;
            }
          );
          step =
            artifacts: extra:
            cargoBuild (
              common
              // {
                cargoArtifacts = artifacts;
                doInstallCargoArtifacts = true;
                requireFreshDependencies = true;
                doCheck = false;
              }
              // extra
            );
          chain = step (step deps { }) { RUSTC_WRAPPER = noCompileWrapper; };
        in
        [
          (lib.nameValuePair "${name}-${mode}" (verify "${name}-${mode}" pkg))
          (lib.nameValuePair "${name}-${mode}-references" (storeReferences false "${name}-${mode}-references" pkg))
          (lib.nameValuePair "${name}-${mode}-chain" chain)
        ]
      ) artifactModes
    );

  # Whether the installed binary links zlib dynamically must be `dynamic`: libz-sys falls
  # back to its bundled sources silently when pkg-config finds nothing.
  zlibChecks =
    dynamic: name: pkg:
    pkgs.runCommand "${name}-zlib" { nativeBuildInputs = [ pkgs.binutils ]; } ''
      out_text=$(${pkg}/bin/zlib-user)
      [ "$out_text" = "crc32 c69c6f7c" ] || { echo "zlib-user printed '$out_text'" >&2; exit 1; }
      if readelf -d ${pkg}/bin/zlib-user | grep -q 'NEEDED.*libz\.so'; then linked=1; else linked=; fi
      ${
        if dynamic then
          ''[ -n "$linked" ] || { echo "zlib-user does not link libz.so: pkg-config did not find the system zlib" >&2; exit 1; }''
        else
          ''[ -z "$linked" ] || { echo "zlib-user links libz.so although the bundled zlib was asked for" >&2; exit 1; }''
      }
      touch $out
    '';

  prints = bin: expected: name: pkg: runsAndPrints name pkg bin expected;

  # The stand-in's C libraries used as nixpkgs' are (pkg-config in nativeBuildInputs, the
  # libraries in buildInputs, curl also native for its curl-config, as nixpkgs' cargo): each
  # -sys crate of projects/system-libs must link the system library, which each replaces,
  # silently, by its bundled copy when pkg-config finds nothing. The binary prints the
  # versions it runs with (pkg-config's, of the inputs) and needs the shared libraries.
  # Stand-in only: its libgit2-sys (0.14) is the one for Debian bookworm's libgit2 1.5.
  isStandin = pkgs ? rust-toolchain;
  systemLibs = [
    pkgs.openssl
    pkgs.curl
    pkgs.libgit2
    pkgs.sqlite
    pkgs.zlib
  ];
  systemLibsArgs = {
    src = ./projects/system-libs;
    nativeBuildInputs = [
      pkgs.pkg-config
      pkgs.curl
    ];
    buildInputs = systemLibs;
  };
  systemLibsPkg = freshPackage gantryLib systemLibsArgs;
  systemLibsCheck =
    pkgs.runCommand "system-libraries"
      {
        nativeBuildInputs = [
          pkgs.pkg-config
          pkgs.binutils
        ];
        buildInputs = systemLibs;
      }
      ''
        printf '%s\n' "openssl $(pkg-config --modversion openssl)" "curl $(pkg-config --modversion libcurl) http2" \
          "libgit2 $(pkg-config --modversion libgit2)" "sqlite $(pkg-config --modversion sqlite3)" \
          "zlib $(pkg-config --modversion zlib)" >want
        ${systemLibsPkg}/bin/system-libs >got
        diff -u want got || { echo "system-libs runs with other library versions than the inputs' (-want +got)" >&2; exit 1; }
        needed=$(readelf -d ${systemLibsPkg}/bin/system-libs | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
        for lib in libcrypto libcurl libgit2 libsqlite3 libz; do
          grep -q "^$lib\.so" <<<"$needed" ||
            { echo "system-libs does not link $lib.so (needs: $needed): its -sys crate built its bundled copy" >&2; exit 1; }
        done
        touch $out
      '';

  # The same directory name in both: the dummy is named after src, as the real build is.
  releaseDeps =
    src:
    buildDepsOnly {
      inherit src;
      pname = "release";
    };

  customToolchain = pkgs.symlinkJoin {
    name = "custom-rust-toolchain";
    paths = [
      pkgs.cargo
      pkgs.rustc
    ];
  };
  toolchainLib = gantryLib.overrideToolchain customToolchain;
  toolchainPkg = toolchainLib.buildPackage { src = ./projects/no-deps; };
  # Evaluation-time facts, each its own check: a derivation that exists only when the fact
  # holds (evaluating it otherwise fails with what is wrong).
  evalFact =
    name: ok: what:
    if ok then pkgs.runCommand name { } "touch $out" else throw "${name}: ${what}";
  evalFacts = {
    override-toolchain-uses-toolchain =
      evalFact "override-toolchain-uses-toolchain"
        (builtins.elem customToolchain toolchainPkg.nativeBuildInputs && !(builtins.elem pkgs.cargo toolchainPkg.nativeBuildInputs))
        "buildPackage of the overridden scope does not use the toolchain, or still uses pkgs.cargo";
    override-toolchain-function-form =
      evalFact "override-toolchain-function-form"
        ((gantryLib.overrideToolchain (p: customToolchain)).buildPackage { src = ./projects/no-deps; } == toolchainPkg)
        "the function form of overrideToolchain gives another derivation";
    override-toolchain-keeps-helper =
      evalFact "override-toolchain-keeps-helper" (toolchainLib.gantry-helper.drvPath == gantryLib.gantry-helper.drvPath)
        "overrideToolchain rebuilds the helper";
    # A release (member versions, path-dependency requirements, lock entries) keeps the deps
    # derivation: for a path, and through cleanCargoSource as crane users write it.
    release-keeps-deps-drv =
      evalFact "release-keeps-deps-drv"
        ((releaseDeps ./projects/releases/v1/release).drvPath == (releaseDeps ./projects/releases/v2/release).drvPath)
        "bumping the members' versions changes the deps derivation";
    release-keeps-deps-drv-clean-cargo-source =
      evalFact "release-keeps-deps-drv-clean-cargo-source"
        (
          (releaseDeps (gantryLib.cleanCargoSource ./projects/releases/v1/release)).drvPath
          == (releaseDeps (gantryLib.cleanCargoSource ./projects/releases/v2/release)).drvPath
        )
        "bumping the members' versions changes the deps derivation of a cleanCargoSource";
    # buildPackage's own build commands must not leak into the deps build it makes, which
    # only installs the artifacts (crane's installPhase).
    build-package-default-deps =
      evalFact "build-package-default-deps"
        (
          (buildPackage { src = ./projects/no-deps; }).cargoArtifacts.drvPath
          == (buildDepsOnly {
            src = ./projects/no-deps;
            installPhase = "prepareAndInstallCargoArtifactsDir";
          }).drvPath
        )
        "buildPackage's default cargoArtifacts differ from buildDepsOnly of the same arguments";
  };

  # nested-deps with `lto = true`, built by a rustc that logs its arguments. `deps` says
  # whether the log is buildDepsOnly's: there the member binary's link must end in
  # `-C lto=off` (gantry's RUSTC_WORKSPACE_WRAPPER) and no dependency may get it; the
  # package's own link keeps LTO.
  ltoArgs = {
    src = ./projects/nested-deps;
    CARGO_PROFILE_RELEASE_LTO = "true";
    doCheck = false;
    RUSTC = pkgs.writeShellScript "logging-rustc" ''
      echo "$*" >>"$NIX_BUILD_TOP/rustc-args.log"
      exec ${pkgs.rustc}/bin/rustc "$@"
    '';
  };
  ltoLogCheck = deps: ''
    log=$NIX_BUILD_TOP/rustc-args.log
    linked=$(grep -e '--crate-name nested_deps ' "$log" | grep -e '--crate-type bin' | grep -e ' -C lto' || true)
    [ -n "$linked" ] || { echo "no LTO link of nested_deps in $log" >&2; exit 1; }
    ${
      if deps then
        ''
          if grep -v -e ' -C lto=off$' <<<"$linked"; then
            echo "buildDepsOnly linked the dummy member with LTO" >&2; exit 1
          fi
          if grep -v -e '--crate-name nested_deps ' "$log" | grep -e 'lto=off'; then
            echo "buildDepsOnly turned LTO off for a dependency" >&2; exit 1
          fi
        ''
      else
        ''
          if grep -e 'lto=off' "$log"; then echo "the package was linked without LTO" >&2; exit 1; fi
        ''
    }
  '';
in
{
  checks =
    # The seed's first two cases and a workspace (proc-macro member, member with a build
    # script, inheritance, path dependency with a version).
    pipelineCase "no-deps" { src = ./projects/no-deps; } (prints "no-deps" "hello from no-deps")
    // pipelineCase "nested-deps" { src = ./projects/nested-deps; } (
      prints "nested-deps" ''{"message":"hello from nested-deps","answer":42}''
    )
    // pipelineCase "workspace" { src = ./projects/workspace; } (prints "app" "generated-7 42")
    // pipelineCase "zlib-system" {
      src = ./projects/zlib-user;
      nativeBuildInputs = [ pkgs.pkg-config ];
      buildInputs = [ pkgs.zlib ];
    } (zlibChecks true)
    // pipelineCase "zlib-bundled-via-features" {
      src = ./projects/zlib-user;
      cargoExtraArgs = "--locked --features static";
    } (zlibChecks false)
    // pipelineCase "no-std-custom-profile" {
      src = ./projects/no-std;
      CARGO_PROFILE = "dist";
    } (prints "no-std" "hypotenuse 5 debug-assertions on")
    // pipelineCase "custom-target-dir" {
      src = ./projects/nested-deps;
      CARGO_TARGET_DIR = "custom-target";
    } (prints "nested-deps" ''{"message":"hello from nested-deps","answer":42}'')
    // pipelineCase "replaced-cargo-lock" {
      src = ./projects/stale-lock;
      cargoLock = ./fixtures/stale-lock-updated.Cargo.lock;
    } (prints "stale-lock" "7")
    // {
      # The second release builds on the first one's deps (the same derivation), fresh,
      # with --locked and its real versions.
      release-reuses-deps = runsAndPrints "release-reuses-deps" (buildPackage {
        src = ./projects/releases/v2/release;
        pname = "release";
        cargoArtifacts = releaseDeps ./projects/releases/v1/release;
        requireFreshDependencies = true;
      }) "release-cli" "release 2 2.0.0";
      # A check builder's own deps build gets the caller's cargoExtraArgs (here a feature),
      # so the check recompiles no dependency.
      check-builder-deps-get-features = gantryLib.cargoClippy {
        src = ./projects/zlib-user;
        cargoExtraArgs = "--locked --features static";
        requireFreshDependencies = true;
      };
      # buildDepsOnly links the dummy member's binary without LTO (seconds saved per binary),
      # the dependencies are compiled as the package needs them: fresh there.
      lto-dummy-members = runsAndPrints "lto-dummy-members" (buildPackage (
        ltoArgs
        // {
          cargoArtifacts = buildDepsOnly (ltoArgs // { postBuild = ltoLogCheck true; });
          requireFreshDependencies = true;
          postBuild = ltoLogCheck false;
        }
      )) "nested-deps" ''{"message":"hello from nested-deps","answer":42}'';
      override-toolchain = runsAndPrints "override-toolchain" toolchainPkg "no-deps" "hello from no-deps";
    }
    // lib.optionalAttrs isStandin { system-libraries = systemLibsCheck; }
    // evalFacts;

  skipped = lib.optional (!isStandin) "system-libraries: its libgit2-sys (0.14) links libgit2 1.5 only (Debian bookworm's, the stand-in's)";

  expectFailure = {
    workspace-member-missing = {
      drv = buildDepsOnly { src = ./fixtures/missing-member; };
      message = "workspace member gone listed in";
    };
    stale-cargo-lock = {
      drv = buildPackage { src = ./projects/stale-lock; };
      message = "Cargo.lock is out of date";
    };
  };
}
