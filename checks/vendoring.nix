# Vendoring every source a Cargo.lock can name, offline: crates.io, git repositories and an
# alternative registry (git and sparse index), all served from /tmp/gantry-fixtures through
# file:// URLs by checks/fixtures/serve.sh (run by ci/setup-nix.sh). Each project builds with
# buildPackage on its vendored sources and its binary prints what its dependencies say.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib) buildPackage vendorCargoDeps vendorMultipleCargoDeps;
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints fixtureRegistries;

  fixtures = "file:///tmp/gantry-fixtures";
  gitProject = ./projects/vendoring-git;

  gitPrints = name: ''
    branch main: draw 2x3 area=6 using shapes-core 1.1.0 (branch main)
    tag v1.0.0: shapes-core 1.0.0 (tag v1.0.0)
    branch feature/x: shapes-core 1.1.0 (branch feature/x)
    rev: hello ${name} from greeting (first commit)
    crates.io: itoa 12345'';

  sparseRegistry = (fixtureRegistries gantryLib).sparse;
  gitIndexRegistry = (fixtureRegistries gantryLib).gitIndex;

  # The four ways of passing a lock file name one derivation.
  lockText = builtins.readFile (gitProject + "/Cargo.lock");
  lockWays = map (a: (vendorCargoDeps a).drvPath) [
    { src = gitProject; }
    { cargoLock = gitProject + "/Cargo.lock"; }
    { cargoLockContents = lockText; }
    { cargoLockParsed = builtins.fromTOML lockText; }
  ];

  gitVendor = vendorCargoDeps { src = gitProject; };
  # One-hash mode: everything fetched at build time by one fixed-output derivation. From a
  # derivation src too: the lock is read at build time, not at evaluation.
  oneHash = "sha256-AlK6eYqBpzxDr6sFEjonzUKC4UTZT+Bt0oeWwxIT84A=";
  generatedSrc = pkgs.runCommand "vendoring-git" { } "cp -r ${gitProject} $out";
  oneHashVendor = vendorCargoDeps {
    src = generatedSrc;
    hash = oneHash;
  };
  multi = vendorMultipleCargoDeps {
    cargoLockList = [
      (gitProject + "/Cargo.lock")
      ./projects/vendoring-crates-io/Cargo.lock
    ];
  };
in
{
  checks = {
    vendoring-crates-io = runsAndPrints "vendoring-crates-io" (buildPackage {
      src = ./projects/vendoring-crates-io;
      requireFreshDependencies = true;
    }) "vendoring-crates-io" "crates.io: itoa 42 ryu 1.5 memchr Some(2) smallvec [1, 2, 3] cfg-if taken";

    # Lock v4 (percent-encoded `feature%2Fx`) and v3, git checkouts from builtins.fetchGit.
    vendoring-git-lock-v4 = runsAndPrints "vendoring-git-lock-v4" (buildPackage {
      src = gitProject;
      requireFreshDependencies = true;
    }) "vendoring-git" (gitPrints "vendoring-git");
    vendoring-git-lock-v3 = runsAndPrints "vendoring-git-lock-v3" (buildPackage {
      src = ./projects/vendoring-git-v3;
    }) "vendoring-git-v3" (gitPrints "vendoring-git-v3");

    # A hash for one source makes its checkout a fixed-output fetchgit.
    vendoring-git-output-hashes = runsAndPrints "vendoring-git-output-hashes" (buildPackage {
      src = gitProject;
      outputHashes."git+${fixtures}/git/greeting.git?rev=3e8bdc7221b61f11baacf200a449a5f97380c7f4#3e8bdc7221b61f11baacf200a449a5f97380c7f4" =
        "sha256-8Un2kaDWtbB85wNqb+TlrzXaUPMDtHLvoXH8ok+GttE=";
    }) "vendoring-git" (gitPrints "vendoring-git");

    # Only locked crates, each with only its packaged files, inheritance resolved.
    vendoring-git-contents = pkgs.runCommand "vendoring-git-contents" { } ''
      crates=$(cd ${gitVendor} && ls -d */*/ | sed 's|^[^/]*/||; s|/$||' | sort | tr '\n' ' ')
      echo "vendored: $crates"
      [ "$crates" = "greeting-0.1.0 itoa-1.0.18 shapes-core-1.0.0 shapes-core-1.1.0 shapes-core-1.1.0 shapes-draw-1.1.0 " ] ||
        { echo "unexpected crate set" >&2; exit 1; }
      # compgen -G: a glob that matches nothing must not count (nullglob makes `ls` list .).
      if compgen -G "${gitVendor}/*/shapes-unused-*" >/dev/null; then echo "an unlocked crate was vendored" >&2; exit 1; fi
      draw=$(echo ${gitVendor}/*/shapes-draw-1.1.0)
      files=$(cd "$draw" && find . -type f | sort | tr '\n' ' ')
      [ "$files" = "./.cargo-checksum.json ./Cargo.toml ./src/lib.rs " ] ||
        { echo "shapes-draw holds $files: its include list was not honoured" >&2; exit 1; }
      if grep -q 'workspace = true\|\.workspace' "$draw/Cargo.toml"; then echo "inheritance left in $draw/Cargo.toml" >&2; exit 1; fi
      grep -q '"package":null' "$draw/.cargo-checksum.json"
      core=$(echo ${gitVendor}/*/shapes-core-1.0.0)
      [ ! -e "$core/notes" ] && [ ! -e "$core/src/scratch.tmp" ] ||
        { echo "shapes-core kept excluded files" >&2; exit 1; }
      touch $out
    '';

    vendoring-one-hash = runsAndPrints "vendoring-one-hash" (buildPackage {
      src = gitProject;
      cargoVendorDir = oneHashVendor;
      requireFreshDependencies = true;
    }) "vendoring-git" (gitPrints "vendoring-git");
    # The same crates, with the same files and under the same source names, as the per-crate
    # vendoring.
    vendoring-one-hash-crate-set = pkgs.runCommand "vendoring-one-hash-crate-set" { nativeBuildInputs = [ pkgs.diffutils ]; } ''
      listing() { (cd "$1" && for d in */*/; do c=''${d#*/}; (cd "$d" && find -L . -type f | sed "s|^\.|$c|"); done) | sort; }
      listing ${gitVendor} > per-crate
      listing ${oneHashVendor}/sources > one-hash
      [ -s per-crate ] || { echo "nothing vendored" >&2; exit 1; }
      diff -u per-crate one-hash
      # The vendored sources' names (gantry-vendored-<hash of the source>) are decided by Nix
      # for per-crate vendoring and by the helper (vendor_lock::short) in the one-hash mode:
      # they must agree.
      names() { grep -o 'gantry-vendored-[0-9a-f]*' "$1" | sort -u; }
      names ${gitVendor}/config.toml > per-crate-names
      names ${oneHashVendor}/config.toml > one-hash-names
      [ -s per-crate-names ] || { echo "no vendored source names in ${gitVendor}/config.toml" >&2; exit 1; }
      diff -u per-crate-names one-hash-names || { echo "the vendored sources' names differ between Nix and the helper" >&2; exit 1; }
      touch $out
    '';

    vendoring-registry-sparse = runsAndPrints "vendoring-registry-sparse" ((gantryLib.appendCrateRegistries [ sparseRegistry ]).buildPackage {
      src = ./projects/vendoring-registry-sparse;
      requireFreshDependencies = true;
    }) "vendoring-registry-sparse" "registry fixture (sparse index): 2 + 3 = 5 (fixture-text 0.2.0 via fixture-math 1.0.0)";
    vendoring-registry-git-index = runsAndPrints "vendoring-registry-git-index" (
      (gantryLib.appendCrateRegistries [ gitIndexRegistry ]).buildPackage {
        src = ./projects/vendoring-registry-git;
        requireFreshDependencies = true;
      }
    ) "vendoring-registry-git" "registry fixture (git index): 2 + 3 = 5 (fixture-text 0.2.0 via fixture-math 1.0.0)";

    # Two lock files sharing itoa: one download, linked once, every crate of both there.
    vendoring-multiple-locks =
      assert lib.assertMsg (lib.length (lib.unique lockWays) == 1) "the four ways of passing Cargo.lock give different vendor derivations";
      pkgs.runCommand "vendoring-multiple-locks" { } ''
        itoa=$(compgen -G "${multi}/*/itoa-*" | wc -l)
        [ "$itoa" = 1 ] || { echo "itoa linked $itoa times" >&2; exit 1; }
        for crate in greeting-0.1.0 shapes-draw-1.1.0 memchr- smallvec- ryu- cfg-if-; do
          compgen -G "${multi}/*/$crate*" >/dev/null || { echo "$crate missing" >&2; exit 1; }
        done
        touch $out
      '';
  };

  expectFailure = {
    vendoring-one-hash-wrong-hash = {
      drv = vendorCargoDeps {
        src = gitProject;
        hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
      };
      message = "got:    ${oneHash}";
    };
    vendoring-checksum-mismatch = {
      drv = (gantryLib.appendCrateRegistries [ sparseRegistry ]).vendorCargoDeps {
        cargoLockParsed = {
          version = 4;
          package = [
            {
              name = "fixture-math";
              version = "1.0.0";
              source = "sparse+${fixtures}/registry/sparse/";
              checksum = "1111111111111111111111111111111111111111111111111111111111111111";
            }
          ];
        };
      };
      message = "hash mismatch";
    };
  };
}
