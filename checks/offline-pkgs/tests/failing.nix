# Stand-in behaviours that must make a build or evaluation fail, with the text the error
# must contain (run by checks/run.sh).
{ pkgs }:

let
  fs = pkgs.lib.fileset;
  root = ./fixtures/fileset;
  at = sub: root + "/${sub}";
  # lib.fileset errors happen at evaluation: building this fails before it starts.
  # Messages are one line of nixpkgs' (often multi-line) wording.
  evaluating =
    value:
    pkgs.runCommand "standin-fileset-error" { inherit value; } "touch $out";
in
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

  # ./fileset.nix checks the cases below fail; these check what they say.
  fileset-missing-path = {
    drv = evaluating (fs.toSource {
      inherit root;
      fileset = at "missing";
    });
    message = "lib.fileset.toSource: `fileset` (${toString root}/missing) is a path that does not exist.";
  };
  fileset-missing-path-hint = {
    drv = evaluating (fs.toList (fs.union root (at "missing")));
    message = "To create a file set from a path that may not exist, use `lib.fileset.maybeMissing`.";
  };
  fileset-string = {
    drv = evaluating (fs.toSource {
      inherit root;
      fileset = toString root;
    });
    message = "lib.fileset.toSource: `fileset` (\"${toString root}\") is a string-like value, but it should be a file set or a path instead.";
  };
  fileset-lib-sources-value = {
    drv = evaluating (fs.toList (pkgs.lib.cleanSource root));
    message = "lib.fileset.toList: Argument is a `lib.sources`-based value, but it should be a file set or a path instead.";
  };
  fileset-argument-context = {
    drv = evaluating (fs.toList (fs.difference (at "missing") root));
    message = "lib.fileset.difference: First argument (positive set) (${toString root}/missing) is a path that does not exist.";
  };
  fileset-unions-not-a-list = {
    drv = evaluating (fs.toList (fs.unions root));
    message = "lib.fileset.unions: Argument is of type path, but it should be a list instead.";
  };
  fileset-root-string = {
    drv = evaluating (fs.toSource {
      root = toString root;
      fileset = root;
    });
    message = "lib.fileset.toSource: `root` (${toString root}) is a string-like value, but it should be a path instead.";
  };
  fileset-root-file = {
    drv = evaluating (fs.toSource {
      root = at "Cargo.toml";
      fileset = at "Cargo.toml";
    });
    message = "lib.fileset.toSource: `root` (${toString root}/Cargo.toml) is a file, but it should be a directory instead.";
  };
  fileset-outside-root = {
    drv = evaluating (fs.toSource {
      root = at "src";
      fileset = fs.union (at "src") (at "docs");
    });
    message = "lib.fileset.toSource: `fileset` could contain files in ${toString root}, which is not under the `root` (${toString root}/src).";
  };
  fileset-from-source-type = {
    drv = evaluating (fs.toList (fs.fromSource null));
    message = "lib.fileset.fromSource: The source origin of the argument is of type null, but it should be a path instead.";
  };
  fileset-file-filter-file-set = {
    drv = evaluating (fs.toList (fs.fileFilter (file: file.hasExt "rs") (fs.union root root)));
    message = "lib.fileset.fileFilter: Second argument is a file set, but it should be a path instead.";
  };
  fileset-file-filter-closed-pattern = {
    drv = evaluating (fs.toList (fs.fileFilter ({ name, type, hasExt }: true) root));
    message = "The predicate function passed as the first argument must be able to handle extra attributes for future compatibility.";
  };
  fileset-file-filter-not-boolean = {
    drv = evaluating (fs.toList (fs.fileFilter (_file: "yes") root));
    message = "expected a Boolean but found a string";
  };
  fileset-direct-evaluation = {
    drv = evaluating (builtins.deepSeq (fs.union (at "src") (at "docs")) "x");
    message = "lib.fileset: Directly evaluating a file set is not supported.";
  };
  fileset-git-tracked-not-a-path = {
    drv = evaluating (fs.gitTracked null);
    message = "lib.fileset.gitTracked: Expected the argument to be a path, but it's a null instead.";
  };
  # rust-bin (rust-overlay's shape): a target rustup lacks, named with the command adding it;
  # an extension the stand-in does not reproduce, at evaluation.
  rust-bin-missing-target = {
    drv = pkgs.rust-bin.stable.latest.minimal.override { targets = [ "riscv32imc-unknown-none-elf" ]; };
    message = "has no standard library for riscv32imc-unknown-none-elf: run 'rustup target add riscv32imc-unknown-none-elf'";
  };
  rust-bin-unknown-extension = {
    drv = evaluating (pkgs.rust-bin.stable.latest.default.override { extensions = [ "llvm-tools" ]; }).drvPath;
    message = "rust-bin reproduces the extension rust-src only, not llvm-tools";
  };
}
