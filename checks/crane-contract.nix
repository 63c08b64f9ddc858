# crane's contracts with the phases users write: installing from $cargoBuildLog, the
# artifacts a build installs and inherits (no target dir, nested target dirs, crane's own
# archive chains, zstdCompressionExtraArgs), plain `cargo vendor` directories, the hook
# functions crane users call by name, and the cargo wrapper in dev shells and builds.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib)
    buildDepsOnly
    buildPackage
    cargoBuild
    mkCargoDerivation
    ;
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints freshPackage;

  nestedSrc = ./projects/nested-deps;
  nestedDeps = buildDepsOnly { src = nestedSrc; };
  nestedPrints = ''{"message":"hello from nested-deps","answer":42}'';

  # A line that is no JSON at all, as a proc macro may print one to stdout (crane's
  # https://github.com/ipetkov/crane/pull/234), and one that merely starts with `{`.
  nonJson = ''db_id attr "field_id" Attribute { pound_token: Pound, style: Outer }'';

  # nested-deps with CARGO_TARGET_DIR nested: the deps and the package both, dependencies fresh.
  nestedTargetDir =
    dir:
    let
      args = {
        src = nestedSrc;
        CARGO_TARGET_DIR = dir;
      };
    in
    runsAndPrints "artifacts-nested-target-dir" (freshPackage gantryLib args) "nested-deps" nestedPrints;

  # crane's archives of nested-deps' dependency build, as crane's installCargoArtifactsHook
  # writes them (`tar … -c target | zstd`, the target dir's name stored): a full archive
  # without serde's files, then an incremental one of serde's files alone whose
  # target.tar.zst.prev links the first. Only both together hold every dependency.
  tarFlags = "--sort=name --mtime=@1 --owner=0 --group=0 --mode=u+w --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -c";
  craneChain =
    let
      first = pkgs.runCommand "crane-archive-first" {
        nativeBuildInputs = [ gantryLib.gantry-helper pkgs.zstd ];
      } ''
        gantry unpack ${nestedDeps} target
        mkdir $out
        tar ${tarFlags} --exclude='*serde*' target | zstd -q -o $out/target.tar.zst
      '';
    in
    pkgs.runCommand "crane-archive-chain" {
      nativeBuildInputs = [ gantryLib.gantry-helper pkgs.zstd ];
    } ''
      gantry unpack ${nestedDeps} target
      mkdir $out
      find target -path '*serde*' -print0 | tar --null --no-recursion -T - ${tarFlags} | zstd -q -o $out/target.tar.zst
      ln -s ${first}/target.tar.zst $out/target.tar.zst.prev
    '';

  # The size of the deps archive of nested-deps with the given zstdCompressionExtraArgs.
  zstdDeps =
    zstdArgs:
    buildDepsOnly {
      src = nestedSrc;
      pname = "zstd-args";
      zstdCompressionExtraArgs = zstdArgs;
    };

  # The hook functions crane users call from their phases, by crane's names and arguments,
  # on no-deps after a symlink-mode deps build.
  noDepsSrc = ./projects/no-deps;
  symlinkDeps = buildDepsOnly {
    src = noDepsSrc;
    installCargoArtifactsMode = "use-symlink";
  };
  hookNames = mkCargoDerivation {
    src = noDepsSrc;
    pname = "hook-names-crane";
    cargoArtifacts = symlinkDeps;
    doInstallCargoArtifacts = false;
    nativeBuildInputs = [ pkgs.jq ];
    buildPhaseCargoCommand = ''
      fail() { echo "hook-names-crane: $*" >&2; exit 1; }
      declare -F configureCargoVendoredDepsHook >/dev/null || fail "no function configureCargoVendoredDepsHook"
      [[ " ''${preConfigureHooks[*]} " == *" configureCargoVendoredDepsHook "* ]] ||
        fail "configureCargoVendoredDepsHook is not a preConfigure hook: ''${preConfigureHooks[*]}"
      cargoWithProfile build --locked
    '';
    installPhaseCommand = ''
      fail() { echo "hook-names-crane: $*" >&2; exit 1; }
      kind() { jq -r '.kind + " " + (.incremental|tostring) + " " + (.base // "none")' "$1/gantry-artifacts.json"; }
      prepareAndInstallCargoArtifactsDir "$out/prepared" target use-symlink "$cargoArtifacts"
      [ "$(kind "$out/prepared")" = "symlink false $cargoArtifacts" ] || fail "prepared: $(kind "$out/prepared")"
      # Over a symlink layer, symlinks into it.
      [ -n "$(find "$out/prepared/target" -type l -lname "$cargoArtifacts/*")" ] || fail "prepared: nothing linked into $cargoArtifacts"
      compressAndInstallCargoArtifactsDir "$out/compressed" target "$cargoArtifacts"
      [ "$(kind "$out/compressed")" = "zstd true $cargoArtifacts" ] || fail "compressed: $(kind "$out/compressed")"
      compressAndInstallCargoArtifactsDir "$out/full" target
      [ "$(kind "$out/full")" = "zstd false none" ] || fail "full: $(kind "$out/full")"
      # crane passes $cargoArtifacts/target as the previous target dir, /dev/null for none.
      dedupAndInstallCargoArtifactsDir "$out/dedup" target "$cargoArtifacts/target"
      [ -n "$(find "$out/dedup/target" -type l -lname "$cargoArtifacts/*")" ] || fail "dedup: nothing linked"
      dedupAndInstallCargoArtifactsDir "$out/dedup-none" target /dev/null
      [ "$(kind "$out/dedup-none")" = "symlink false none" ] || fail "dedup-none: $(kind "$out/dedup-none")"
      [ -z "$(find "$out/dedup-none/target" -type l -lname "$cargoArtifacts/*")" ] || fail "dedup over /dev/null linked"
      # cargoWithProfile: --release for the release profile, --profile otherwise, nothing
      # without one.
      cargo() { echo "$*" >>"$NIX_BUILD_TOP/cargo-args"; }
      cargoWithProfile build -p x
      CARGO_PROFILE=dev cargoWithProfile test
      CARGO_PROFILE= cargoWithProfile check
      unset -f cargo
      printf '%s\n' "build --release -p x" "test --profile dev" "check" >expected-args
      diff -u expected-args "$NIX_BUILD_TOP/cargo-args" || fail "cargoWithProfile passed other arguments"
    '';
  };

  # replaceCargoLock keeps the project's Cargo.lock as Cargo.lock.orig; doNotReplaceCargoLock
  # keeps it in place.
  lockOf =
    extra:
    mkCargoDerivation (
      {
        src = ./projects/stale-lock;
        pname = "replace-cargo-lock";
        cargoArtifacts = null;
        doInstallCargoArtifacts = false;
        cargoLock = ./fixtures/stale-lock-updated.Cargo.lock;
        buildPhaseCargoCommand = "true";
        installPhaseCommand = ''
          mkdir -p $out
          cp Cargo.lock $out/
          if [ -e Cargo.lock.orig ]; then cp Cargo.lock.orig $out/; fi
        '';
      }
      // extra
    );
  replacedLock = lockOf { };
  keptLock = lockOf { doNotReplaceCargoLock = true; };
in
{
  checks = {
    # buildPackage with a build phase of one's own writing $cargoBuildLog, with lines that are
    # no JSON (or merely start with `{`) appended: its binary is installed.
    # Mirrors crane checks/default.nix nonJsonCargoBuildLog.
    install-custom-build-log = runsAndPrints "install-custom-build-log" (buildPackage {
      src = nestedSrc;
      cargoArtifacts = nestedDeps;
      buildPhaseCargoCommand = ''
        cargoBuildLog=$(mktemp cargoBuildLogXXXX.json)
        cargoWithProfile build --locked --message-format json-render-diagnostics >"$cargoBuildLog"
        echo ${lib.escapeShellArg nonJson} >>"$cargoBuildLog"
        echo '{ not json either' >>"$cargoBuildLog"
      '';
    }) "nested-deps" nestedPrints;

    # doNotPostBuildInstallCargoBinaries with an install of one's own: nothing is asked of
    # $cargoBuildLog.
    install-custom-no-post-build =
      let
        pkg = buildPackage {
          src = noDepsSrc;
          cargoArtifacts = buildDepsOnly { src = noDepsSrc; };
          doNotPostBuildInstallCargoBinaries = true;
          buildPhaseCargoCommand = "cargoWithProfile build --locked";
          installPhaseCommand = ''
            mkdir -p $out/bin
            cp target/release/no-deps $out/bin/
          '';
        };
      in
      runsAndPrints "install-custom-no-post-build" pkg "no-deps" "hello from no-deps";

    # Only the workspace's members: app and clib, not the C library of extlib, a path
    # dependency the workspace excludes.
    install-members-only =
      let
        pkg = buildPackage { src = ./projects/install-members; };
      in
      pkgs.runCommand "install-members-only" { } ''
        echo "installed: $(cd ${pkg} && find . -type f | sort | tr '\n' ' ')"
        [ "$(${pkg}/bin/app)" = "app 1" ]
        [ -f ${pkg}/lib/libclib.so ] && [ -f ${pkg}/lib/libclib.a ] || { echo "clib's libraries are missing" >&2; exit 1; }
        [ ! -e ${pkg}/lib/libextlib.so ] || { echo "the C library of extlib, no member, was installed" >&2; exit 1; }
        [ "$(ls ${pkg}/bin)" = app ] || { echo "bin/ holds more than app" >&2; exit 1; }
        touch $out
      '';

    # A build that never creates a target dir installs an empty artifact set, which a later
    # build inherits.
    artifacts-no-target-dir =
      let
        empty = mkCargoDerivation {
          src = noDepsSrc;
          pname = "no-target-dir";
          cargoArtifacts = null;
          buildPhaseCargoCommand = "true";
        };
      in
      pkgs.runCommand "artifacts-no-target-dir" {
        nativeBuildInputs = [ pkgs.jq ];
        built = cargoBuild {
          src = noDepsSrc;
          cargoArtifacts = empty;
          doCheck = false;
        };
      } ''
        [ "$(jq '.entries | length' ${empty}/gantry-artifacts.json)" = 0 ]
        touch $out
      '';

    artifacts-nested-target-dir = nestedTargetDir "some/nested/dir";
    artifacts-target-dir-in-target = nestedTargetDir "target/foo";

    # crane's chain is read whole: every dependency is there, so nothing is compiled but the
    # package.
    artifacts-crane-zstd-chain = cargoBuild {
      src = nestedSrc;
      cargoArtifacts = craneChain;
      requireFreshDependencies = true;
      doCheck = false;
    };

    # zstdCompressionExtraArgs reaches the compressor: -19 packs smaller than the default.
    # Mirrors crane checks/default.nix zstdNoChange (which builds on such artifacts).
    artifacts-zstd-extra-args =
      let
        strong = zstdDeps "-19";
      in
      pkgs.runCommand "artifacts-zstd-extra-args" {
        built = cargoBuild {
          src = nestedSrc;
          cargoArtifacts = strong;
          requireFreshDependencies = true;
          doCheck = false;
        };
      } ''
        default=$(stat -c %s ${zstdDeps ""}/target.tar.zst)
        strong=$(stat -c %s ${strong}/target.tar.zst)
        echo "default: $default bytes, -19: $strong bytes"
        [ "$strong" -lt "$default" ] || { echo "-19 did not compress better: zstdCompressionExtraArgs ignored" >&2; exit 1; }
        touch $out
      '';

    # A plain `cargo vendor` directory (no config.toml) as cargoVendorDir replaces crates.io;
    # /dev/null does for a project without dependencies. Mirrors crane checks/default.nix
    # smokeManuallyVendored.
    vendor-dir-plain-cargo-vendor = runsAndPrints "vendor-dir-plain-cargo-vendor" (buildPackage {
      src = ./projects/manually-vendored;
      cargoVendorDir = ./projects/manually-vendored/vendor;
    }) "manually-vendored" "manually-vendored unix";
    vendor-dir-dev-null = runsAndPrints "vendor-dir-dev-null" (buildPackage {
      src = noDepsSrc;
      cargoVendorDir = "/dev/null";
    }) "no-deps" "hello from no-deps";

    hook-names-crane = hookNames;

    # A hook that calls another hook's function gets that hook from its own inputs: here
    # remapSourcePathPrefixHook alone (gantryVendorDir is configureCargoVendoredDepsHook's).
    hook-needs-propagated = pkgs.stdenvNoCC.mkDerivation {
      name = "hook-needs-propagated";
      dontUnpack = true;
      nativeBuildInputs = [ gantryLib.remapSourcePathPrefixHook ];
      installPhase = ''
        remapPathPrefixToVendoredDir
        case "$CARGO_BUILD_RUSTFLAGS" in
          *"--remap-path-prefix=$NIX_BUILD_TOP/gantry-vendor=/sources"*) ;;
          *) echo "remapPathPrefixToVendoredDir gave: $CARGO_BUILD_RUSTFLAGS" >&2; exit 1 ;;
        esac
        touch $out
      '';
    };

    # crane's remapPathPrefixHook, on through dontStrip (doRemapPathPrefix unset): the build
    # directory becomes $src in the debug info, the hash hidden from the flags while building
    # (so the dependency build's flags are the same: nothing recompiled) and put back after.
    hook-remap-path-prefix =
      let
        args = {
          src = nestedSrc;
          dontStrip = true;
          CARGO_PROFILE_RELEASE_DEBUG = "true";
        };
        pkg = freshPackage gantryLib args;
      in
      pkgs.runCommand "hook-remap-path-prefix" { nativeBuildInputs = [ pkgs.binutils ]; } ''
        strings ${pkg}/bin/nested-deps >strings.txt
        grep -qF ${pkg.src} strings.txt || { echo "the binary does not name ${pkg.src}" >&2; exit 1; }
        if grep -qF 'CRANE-NEUTERED' strings.txt; then echo "the neutered path was not fixed up" >&2; exit 1; fi
        touch $out
      '';

    # replaceCargoLock moves the project's lock to Cargo.lock.orig; doNotReplaceCargoLock
    # leaves it alone.
    hook-replace-cargo-lock = pkgs.runCommand "hook-replace-cargo-lock" { } ''
      cmp ${replacedLock}/Cargo.lock ${./fixtures/stale-lock-updated.Cargo.lock}
      cmp ${replacedLock}/Cargo.lock.orig ${./projects/stale-lock/Cargo.lock}
      cmp ${keptLock}/Cargo.lock ${./projects/stale-lock/Cargo.lock}
      [ ! -e ${keptLock}/Cargo.lock.orig ]
      touch $out
    '';

    # In a build, test output lines starting with `{` (JSON or not) reach the log; cargo's
    # own JSON messages do not.
    cargo-keeps-brace-lines =
      let
        src = ./projects/brace-lines;
      in
      mkCargoDerivation {
        inherit src;
        cargoArtifacts = buildDepsOnly { inherit src; };
        doInstallCargoArtifacts = false;
        buildPhaseCargoCommand = ''
          cargoWithProfile test --locked -- --nocapture >"$NIX_BUILD_TOP/test-stdout"
          cat "$NIX_BUILD_TOP/test-stdout"
          for line in '{ a line starting with a brace' '{"json":"of its own","answer":42}'; do
            grep -qxF "$line" "$NIX_BUILD_TOP/test-stdout" || { echo "the test's line $line was dropped" >&2; exit 1; }
          done
          if grep -q '"reason":' "$NIX_BUILD_TOP/test-stdout"; then
            echo "cargo's JSON messages reached the output" >&2; exit 1
          fi
        '';
      };

    # In a dev shell (IN_NIX_SHELL set), `cargo` is cargo itself: its stderr is the shell's
    # (a terminal keeps colours and the progress bar), its stdout unfiltered, and no
    # .gantry-cargo-* files are written. In a build, the same run goes through the wrapper.
    dev-shell-cargo-passthrough =
      pkgs.runCommand "dev-shell-cargo-passthrough"
        {
          nativeBuildInputs = [
            gantryLib.cargoHelperFunctionsHook
            pkgs.cargo
            pkgs.rustc
          ];
        }
        ''
          cp -r ${noDepsSrc} project && chmod -R u+w project && cd project
          export CARGO_HOME=$NIX_BUILD_TOP/cargo-home
          cargoArtifacts=/the/wrapper/would/filter/json
          run() {
            rm -f "$NIX_BUILD_TOP"/.gantry-cargo-* "$NIX_BUILD_TOP/cargo-stderr"
            # A cargo that reports its stderr and prints a message of cargo's.
            mkdir -p fake && cat >fake/cargo <<'EOF'
          #!/bin/sh
          readlink /proc/self/fd/2 >"$NIX_BUILD_TOP/cargo-stderr"
          echo '{"reason":"build-finished","success":true}'
          EOF
            chmod +x fake/cargo
            fakeOut=$(PATH=$PWD/fake:$PATH; cargo build 2>/dev/null || true)
            # `check`: runCommand's stdenv has no C compiler to link with.
            cargo check --offline --release 2>"$NIX_BUILD_TOP/real-stderr" || { cat "$NIX_BUILD_TOP/real-stderr"; exit 1; }
            files=$(cd "$NIX_BUILD_TOP" && ls -a | grep -c '^\.gantry-cargo-' || true)
          }
          export IN_NIX_SHELL=impure
          run
          [ "$(cat "$NIX_BUILD_TOP/cargo-stderr")" = /dev/null ] || { echo "in a dev shell, cargo's stderr is not the shell's" >&2; exit 1; }
          [ "$fakeOut" = '{"reason":"build-finished","success":true}' ] || { echo "in a dev shell, cargo's stdout was filtered: '$fakeOut'" >&2; exit 1; }
          [ "$files" = 0 ] || { echo "in a dev shell, cargo left $files .gantry-cargo-* files" >&2; exit 1; }
          if grep -q '^+ cargo' "$NIX_BUILD_TOP/real-stderr"; then echo "in a dev shell, cargo is still logged" >&2; exit 1; fi
          # The same in a build: the wrapper (which the checks above would notice).
          unset IN_NIX_SHELL
          run
          [ "$(cat "$NIX_BUILD_TOP/cargo-stderr")" != /dev/null ]
          [ -z "$fakeOut" ]
          [ "$files" -gt 0 ]
          grep -q '^+ cargo check' "$NIX_BUILD_TOP/real-stderr"
          touch $out
        '';
  };

  expectFailure = {
    # A build phase of one's own that writes no $cargoBuildLog: crane's message, not a bare
    # "unbound variable".
    install-custom-without-build-log = {
      drv = buildPackage {
        src = noDepsSrc;
        cargoArtifacts = buildDepsOnly { src = noDepsSrc; };
        buildPhaseCargoCommand = "cargoWithProfile build --locked";
      };
      message = "$cargoBuildLog is unset or names no file";
    };
    artifacts-zstd-extra-args-unknown = {
      drv = zstdDeps "--rsyncable";
      message = "zstdCompressionExtraArgs: `--rsyncable` is not an option gantry can apply";
    };
  };
}
