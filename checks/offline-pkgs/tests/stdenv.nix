# Behaviour checks for the stand-in's stdenv and trivial builders: each derivation asserts
# one nixpkgs behaviour from shared/nixpkgs-slice.md inside its build, so a stand-in that
# drifts from nixpkgs fails here before it hides a bug in gantry.
{ pkgs }:

let
  inherit (pkgs) lib stdenv stdenvNoCC runCommand;

  # A setup hook recording the shell state at its top level (sourced during setup).
  probeHook = pkgs.makeSetupHook {
    name = "probe-hook";
    propagatedBuildInputs = [ pkgs.jq ];
  } (pkgs.writeText "probe-hook.sh" ''
    case $- in *u*) probeNounset=on ;; *) probeNounset=off ;; esac
    if declare -F substituteInPlace >/dev/null; then probeSubst=defined; else probeSubst=undefined; fi
    if type -P jq >/dev/null; then probeJq=on-path; else probeJq=not-yet; fi
    probeHookOrder+=" hook"
    preBuildHooks+=(_probePreBuild)
    _probePreBuild() { probeHookOrder+=" preBuildHooks"; }
  '');

  expect = what: got: want: ''
    if [ "${got}" != "${want}" ]; then
      echo "FAIL: ${what}: got '${got}', want '${want}'" >&2
      exit 1
    fi
  '';

  # mkDerivation whose checks run in installPhase and which then creates $out.
  assertBuild =
    name: attrs: checks:
    stdenvNoCC.mkDerivation (
      {
        inherit name;
        dontUnpack = true;
        installPhase = ''
          runHook preInstall
          ${checks}
          touch $out
          runHook postInstall
        '';
      }
      // attrs
    );
in
{
  # Setup hooks run under `set -u` before PATH holds inputs and before substitute exists;
  # phases run without nounset; the attribute hook runs before the *Hooks array; a hook's
  # propagatedBuildInputs reach the consumer's PATH.
  hook-order = assertBuild "standin-hook-order" {
    nativeBuildInputs = [ probeHook ];
    preBuild = ''probeHookOrder+=" preBuild"'';
  } ''
    ${expect "nounset at hook top level" "$probeNounset" "on"}
    ${expect "substituteInPlace at hook top level" "$probeSubst" "undefined"}
    ${expect "PATH at hook top level" "$probeJq" "not-yet"}
    ${expect "hook order" "$probeHookOrder" " hook preBuild preBuildHooks"}
    case $- in *u*) echo "FAIL: nounset on during phases" >&2; exit 1 ;; esac
    jq --version >/dev/null
  '';

  # An empty phase string means the default phase; doCheck off skips checkPhase; null
  # attributes are unset (__ignoreNulls); env entries become variables; passAsFile works.
  phases-and-env = assertBuild "standin-phases-and-env" {
    buildPhase = "";
    checkPhase = "echo 'FAIL: checkPhase ran without doCheck' >&2; exit 1";
    nullAttr = null;
    emptyAttr = "";
    falseAttr = false;
    listAttr = [ "a" [ "b" null ] 3 ];
    env.FROM_ENV = "yes";
    big = "passed as a file";
    passAsFile = [ "big" ];
  } ''
    ${expect "null attribute" "\${nullAttr-unset}" "unset"}
    ${expect "empty attribute" "\${emptyAttr-unset}" ""}
    ${expect "false attribute" "\${falseAttr-unset}" ""}
    ${expect "list attribute" "$listAttr" "a b  3"}
    ${expect "env attribute" "$FROM_ENV" "yes"}
    ${expect "passAsFile" "$(cat $bigPath)" "passed as a file"}
    ${expect "passAsFile unsets" "\${big-unset}" "unset"}
    ${expect "doCheck default" "\${doCheck-unset}" ""}
  '';

  # Inputs expose only their own bin: a tool that is not an input is not on PATH, and with
  # strictDeps a buildInput's bin is not either.
  path-isolation = assertBuild "standin-path-isolation" {
    strictDeps = true;
    buildInputs = [ pkgs.jq ];
  } ''
    if type -P jq >/dev/null; then echo "FAIL: strictDeps buildInput on PATH" >&2; exit 1; fi
    if type -P git >/dev/null || type -P cc >/dev/null; then echo "FAIL: host tools leak onto PATH" >&2; exit 1; fi
    ${expect "HOME" "$HOME" "/homeless-shelter"}
  '';

  # unpackPhase copies a directory source into a folder named without its hash, and
  # postUnpack runs in $NIX_BUILD_TOP, before the cd into sourceRoot.
  unpack = stdenvNoCC.mkDerivation {
    name = "standin-unpack";
    src = ./fixtures/unpack-src;
    postUnpack = ''
      ${expect "postUnpack directory" "$PWD" "$NIX_BUILD_TOP"}
      ${expect "sourceRoot" "$sourceRoot" "unpack-src"}
    '';
    installPhase = ''
      ${expect "phase directory" "$PWD" "$NIX_BUILD_TOP/unpack-src"}
      test -w hello.txt
      touch $out
    '';
  };

  # With a Makefile the default build, check and install phases run make.
  make-phases = stdenvNoCC.mkDerivation {
    name = "standin-make-phases";
    src = ./fixtures/make-src;
    doCheck = true;
    postInstall = ''
      ${expect "make install" "$(cat $out/built.txt)" "built"}
    '';
  };

  # fixupPhase patches shebangs of executables in outputs and records propagated inputs.
  fixup = assertBuild "standin-fixup" {
    propagatedBuildInputs = [ pkgs.jq ];
    postInstall = ''
      mkdir -p $out/bin
      printf '#!/usr/bin/env bash\necho hi\n' > $out/bin/script
      chmod +x $out/bin/script
    '';
    postFixup = ''
      ${expect "patched shebang" "$(head -n1 $out/bin/script)" "#!${pkgs.bash}/bin/bash"}
      grep -q ${pkgs.jq} $out/nix-support/propagated-build-inputs
    '';
    installPhase = ''
      runHook preInstall
      mkdir -p $out
      runHook postInstall
    '';
  } "";

  # makeSetupHook substitutes @vars@ only when given substitutions; buildCommand (and so
  # runCommand) skips fixup, so propagated inputs are not recorded.
  setup-hook-substitution =
    let
      script = pkgs.writeText "hook.sh" "echo @out@ @greeting@";
      plain = pkgs.makeSetupHook { name = "plain"; } script;
      substituted = pkgs.makeSetupHook {
        name = "substituted";
        substitutions.greeting = "hello";
      } script;
      noFixup = runCommand "no-fixup" { propagatedBuildInputs = [ pkgs.jq ]; } "mkdir $out";
    in
    runCommand "standin-setup-hook-substitution" { } ''
      ${expect "without substitutions" "$(cat ${plain}/nix-support/setup-hook)" "echo @out@ @greeting@"}
      ${expect "with substitutions" "$(cat ${substituted}/nix-support/setup-hook)" "echo ${substituted} hello"}
      if [ -e ${noFixup}/nix-support ]; then echo "FAIL: runCommand recorded propagated inputs" >&2; exit 1; fi
      touch $out
    '';

  # Trivial builders: exact bytes, executables, links.
  trivial-builders =
    let
      text = pkgs.writeText "no-newline" "no newline";
      script = pkgs.writeShellScriptBin "say-hi" "echo hi from script";
      farm = pkgs.linkFarm "farm" [ { name = "a/b"; path = text; } ];
      joined = pkgs.symlinkJoin { name = "joined"; paths = [ script pkgs.jq ]; };
    in
    runCommand "standin-trivial-builders" { } ''
      ${expect "writeText bytes" "$(wc -c < ${text})" "10"}
      ${expect "writeShellScriptBin" "$(${script}/bin/say-hi)" "hi from script"}
      ${expect "linkFarm" "$(readlink ${farm}/a/b)" "${text}"}
      test -L ${joined}/bin/say-hi && test -L ${joined}/bin/jq
      ${expect "getExe" (lib.getExe script) "${script}/bin/say-hi"}
      touch $out
    '';

  # The toolchain is a store path and stdenv's cc compiles and links.
  toolchain = stdenv.mkDerivation {
    name = "standin-toolchain";
    dontUnpack = true;
    nativeBuildInputs = [ pkgs.rustc ];
    installPhase = ''
      case "$(rustc --print sysroot)" in ${builtins.storeDir}/*) ;; *) echo "FAIL: sysroot not in the store" >&2; exit 1 ;; esac
      printf 'int main(void) { return 0; }\n' > t.c
      $CC t.c -o t && ./t
      printf 'fn main() { println!("rust ok"); }\n' > t.rs
      rustc t.rs -o trs
      ${expect "rustc output" "$(./trs)" "rust ok"}
      touch $out
    '';
  };
}
// {
  # overrideAttrs works on arguments: a new pname recomputes name; finalAttrs sees overrides.
  override-attrs =
    let
      base = stdenvNoCC.mkDerivation (finalAttrs: {
        pname = "base";
        version = "1";
        greeting = "hello ${finalAttrs.pname}";
        buildCommand = "touch $out";
      });
      over = base.overrideAttrs (prev: { pname = "${prev.pname}-x"; });
      overFinal = base.overrideAttrs (final: prev: { version = "2"; });
    in
    assert over.name == "base-x-1";
    assert over.greeting == "hello base-x";
    assert overFinal.name == "base-2";
    # Native builds share one platform value, or code takes its cross path.
    assert stdenv.buildPlatform == stdenv.hostPlatform && stdenv.hostPlatform == stdenv.targetPlatform;
    over;

  # A cross set as nixpkgs makes it: its platforms and pkgsXY, splicing (the spliced rustc in
  # nativeBuildInputs is the build machine's, able to build for aarch64), the derivation
  # named after the host platform, stdenv.cc under nixpkgs' targetPrefix, the emulator.
  cross =
    let
      a = pkgs.pkgsCross.aarch64-multiplatform;
      m = pkgs.pkgsCross.musl64;
      facts = {
        host = a.stdenv.hostPlatform.config;
        target = a.stdenv.targetPlatform.config;
        isCross = a.stdenv.buildPlatform != a.stdenv.hostPlatform;
        buildIsNative = a.stdenv.buildPlatform == stdenv.hostPlatform;
        buildPackagesTarget = a.buildPackages.stdenv.targetPlatform.config;
        buildPackagesHost = a.pkgsBuildHost.stdenv.hostPlatform.config;
        buildBuildTarget = a.pkgsBuildBuild.stdenv.targetPlatform.config;
        hostTargetIsSelf = a.pkgsHostTarget.stdenv.hostPlatform == a.stdenv.hostPlatform;
        canRunAarch64 = stdenv.hostPlatform.canExecute a.stdenv.hostPlatform;
        canRunMusl = stdenv.hostPlatform.canExecute m.stdenv.hostPlatform;
        envTarget = a.stdenv.hostPlatform.rust.cargoEnvVarTarget;
        rustcTargets = map (e: (lib.systems.elaborate e).rust.rustcTarget) (builtins.attrValues lib.systems.examples);
        prefix = a.stdenv.cc.targetPrefix;
        nativePrefix = a.buildPackages.stdenv.cc.targetPrefix;
        spliced = builtins.attrNames (a.callPackage ({ rustc }: { inherit rustc; }) { }).rustc.__spliced;
      };
      expected = {
        host = "aarch64-unknown-linux-gnu";
        target = "aarch64-unknown-linux-gnu";
        isCross = true;
        buildIsNative = true;
        buildPackagesTarget = "aarch64-unknown-linux-gnu";
        buildPackagesHost = "x86_64-unknown-linux-gnu";
        buildBuildTarget = "x86_64-unknown-linux-gnu";
        hostTargetIsSelf = true;
        canRunAarch64 = false;
        canRunMusl = true;
        envTarget = "AARCH64_UNKNOWN_LINUX_GNU";
        rustcTargets = [ "aarch64-unknown-linux-gnu" "x86_64-unknown-linux-gnu" "x86_64-pc-windows-gnu" "x86_64-unknown-linux-musl" ];
        prefix = "aarch64-unknown-linux-gnu-";
        nativePrefix = "";
        spliced = [ "buildBuild" "buildHost" "buildTarget" "hostHost" "hostTarget" "targetTarget" ];
      };
    in
    a.stdenv.mkDerivation {
      pname = "standin-cross";
      version = "1";
      dontUnpack = true;
      strictDeps = true;
      nativeBuildInputs = [ (a.callPackage ({ rustc }: rustc) { }) ];
      installPhase = ''
        ${expect "platform facts" (builtins.toJSON facts) (builtins.toJSON expected)}
        ${expect "name" "$name" "standin-cross-aarch64-unknown-linux-gnu-1"}
        ${expect "CC" "$CC" "aarch64-unknown-linux-gnu-cc"}
        [ -d "$(rustc --print sysroot)/lib/rustlib/aarch64-unknown-linux-gnu" ] || { echo "FAIL: the spliced rustc has no aarch64 std" >&2; exit 1; }
        printf 'int main(void) { return 3; }\n' > t.c
        $CC t.c -o t
        file t | grep -q 'ARM aarch64' || { echo "FAIL: $CC did not build for aarch64" >&2; exit 1; }
        status=0
        ${a.stdenv.hostPlatform.emulator pkgs} ./t || status=$?
        ${expect "exit status under the emulator" "$status" "3"}
        touch $out
      '';
    };
}
