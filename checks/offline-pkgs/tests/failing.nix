# Stand-in behaviours that must make a build or evaluation fail, with the text the error
# must contain (run by checks/run.sh).
{ pkgs }:

{
  dangling-symlink = {
    drv = pkgs.stdenvNoCC.mkDerivation {
      name = "standin-dangling-symlink";
      dontUnpack = true;
      installPhase = "mkdir -p $out && ln -s $out/missing $out/link";
    };
    message = "points to a missing target";
  };
  tool-not-an-input = {
    drv = pkgs.runCommand "standin-tool-not-an-input" { } "jq --version > $out";
    message = "jq: command not found";
  };
  fetchurl-unknown-argument = {
    drv = pkgs.fetchurl {
      url = "file:///dev/null";
      hash = "";
      sha256Typo = "x";
    };
    message = "unexpected argument 'sha256Typo'";
  };
  install-without-output = {
    drv = pkgs.stdenvNoCC.mkDerivation {
      name = "standin-no-output";
      dontUnpack = true;
    };
    message = "failed to produce output path";
  };
  env-rejects-paths = {
    drv = pkgs.stdenvNoCC.mkDerivation {
      name = "standin-env-path";
      env.SOME_PATH = ./failing.nix;
      buildCommand = "touch $out";
    };
    message = "The `env` attribute set can only contain derivation, string, boolean or integer attributes";
  };
  crate-archives-do-not-unpack = {
    drv = pkgs.stdenvNoCC.mkDerivation {
      name = "standin-crate-unpack";
      src = pkgs.writeText "demo-0.1.0.crate" "not a tarball";
      installPhase = "touch $out";
    };
    message = "do not know how to unpack source archive";
  };
}
