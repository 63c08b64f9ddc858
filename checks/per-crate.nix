# Per-crate dependency artifacts (buildDepsPerCrate) on real crates.io crates: a proc-macro
# with host-only dependencies, build scripts, a C library compiled through cc. Every
# dependency unit of the final build must come fresh from the pieces, a leaf bump in
# Cargo.lock must change exactly the pieces that depend on the leaf, and projects must share
# pieces of the same units.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (gantryLib) buildDepsOnly buildDepsPerCrate buildPackage cargoClippy cargoDoc cargoTest;
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints fixtureRegistries compileOnlyWrapper;

  src = ./projects/per-crate;
  bumpedLock = ./projects/per-crate/bumped-itoa.lock;
  expected = ''{"message":"per-crate pieces","zlib":"1.3.2"}'';

  perCrate = buildDepsPerCrate {
    inherit src;
    requireFreshDependencies = true;
  };
  # One piece per crate: leaves with a single dependent piece are not merged into it.
  unmerged = extra: buildDepsPerCrate ({ mergePrivateLeaves = false; requireFreshDependencies = true; } // extra);
  perCrateUnmerged = unmerged { inherit src; };
  bumpedUnmerged = unmerged {
    inherit src;
    cargoLock = bumpedLock;
  };
  bumped = buildDepsPerCrate {
    inherit src;
    cargoLock = bumpedLock;
  };
  otherUnmerged = unmerged { src = ./projects/per-crate-other; };
  # The plan read from a file, as a committed copy is.
  fromFile = buildDepsPerCrate {
    inherit src;
    piecesPlan = "${perCrate.plan}/plan.json";
  };

  app =
    cargoArtifacts: extra:
    buildPackage (
      {
        inherit src cargoArtifacts;
        requireFreshDependencies = true;
      }
      // extra
    );

  # As outside the sandbox, where the build dir varies: the final build sees the vendored
  # sources at another path than the pieces did, so every dependency unit is stale.
  elsewhere = {
    preConfigure = ''
      gantryVendorDir() { echo "$NIX_BUILD_TOP/elsewhere/gantry-vendor"; }
    '';
  };

  drvPaths = pieces: lib.mapAttrs (_: piece: piece.drvPath) pieces;
  # The crates whose pieces in `b` are not among `a`'s: what building `b` after `a` rebuilds.
  changed =
    a: b:
    let
      known = map (piece: piece.drvPath) (lib.attrValues a);
    in
    lib.sort lib.lessThan (map (piece: piece.pname) (lib.filter (piece: !(lib.elem piece.drvPath known)) (lib.attrValues b)));

  compare = name: actual: wanted: pkgs.runCommand name { } ''
    actual=${lib.escapeShellArg (builtins.toJSON actual)}
    wanted=${lib.escapeShellArg (builtins.toJSON wanted)}
    echo "got $actual"
    [ "$actual" = "$wanted" ] || { echo "expected $wanted" >&2; exit 1; }
    touch $out
  '';
  # Git dependencies (the fixture repositories, see checks/fixtures/serve.sh) as pieces: a
  # branch (shapes-draw over shapes-core, one checkout), a rev (greeting), and itoa from
  # crates.io; bumped-shapes.lock moves the shapes checkout to another commit.
  gitSrc = ./projects/per-crate-git;
  gitBumpedLock = ./projects/per-crate-git/bumped-shapes.lock;
  gitPerCrate = unmerged { src = gitSrc; };
  gitBumped = unmerged {
    src = gitSrc;
    cargoLock = gitBumpedLock;
  };
  gitApp =
    cargoArtifacts: extra:
    buildPackage (
      {
        src = gitSrc;
        inherit cargoArtifacts;
        requireFreshDependencies = true;
      }
      // extra
    );
  gitPrints = shapes: ''
    draw 2x3 area=6 using ${shapes}
    hello per-crate-git from greeting (first commit)
    itoa 12345'';
  pieceNames = pieces: lib.sort lib.lessThan (map (piece: piece.pname) (lib.attrValues pieces));

  # Two members wanting different features of smallvec, each built alone (`-p a`, `-p b`) as
  # crane builds one member of a workspace (cargoExtraArgs on the deps build and the package),
  # and a's tests with a dev-dependency (itoa) and a feature only the tests enable.
  membersSrc = ./projects/per-crate-members;
  member = name: rec {
    args = {
      src = membersSrc;
      cargoExtraArgs = "--locked -p ${name}";
      requireFreshDependencies = true;
    };
    deps = buildDepsPerCrate args;
    package = buildPackage (args // { cargoArtifacts = deps; });
    # The features of the plan's smallvec pieces, one list per piece.
    smallvecFeatures = lib.sort lib.lessThan (
      map (piece: lib.concatStringsSep "," piece.features) (
        lib.filter (piece: piece.name == "smallvec") (lib.attrValues (planOf deps).pieces)
      )
    );
  };
  memberA = member "a";
  memberB = member "b";
  planOf = deps: builtins.fromJSON (builtins.readFile "${deps.plan}/plan.json");

  # The alternative registry fixture (sparse and git index, as in vendoring-registry-*) and
  # the one-hash vendoring mode (vendorCargoDeps with `hash`, as in vendoring-one-hash) under
  # per-crate: pieces of the registry's crates, every final build fresh.
  registryBuild =
    registry: src:
    let
      registryLib = gantryLib.appendCrateRegistries [ registry ];
      deps = registryLib.buildDepsPerCrate {
        inherit src;
        mergePrivateLeaves = false;
        requireFreshDependencies = true;
      };
    in
    {
      inherit deps;
      package = registryLib.buildPackage {
        inherit src;
        cargoArtifacts = deps;
        requireFreshDependencies = true;
      };
    };
  sparseBuild = registryBuild (fixtureRegistries gantryLib).sparse ./projects/vendoring-registry-sparse;
  gitIndexBuild = registryBuild (fixtureRegistries gantryLib).gitIndex ./projects/vendoring-registry-git;
  registryPrints = index: "registry fixture (${index}): 2 + 3 = 5 (fixture-text 0.2.0 via fixture-math 1.0.0)";
  oneHashArgs = {
    src = ./projects/vendoring-git;
    # vendoring-one-hash's hash: the same download.
    hash = "sha256-AlK6eYqBpzxDr6sFEjonzUKC4UTZT+Bt0oeWwxIT84A=";
    requireFreshDependencies = true;
  };
  oneHashDeps = buildDepsPerCrate oneHashArgs;

  # Path dependencies outside the workspace (greet and shout in libs/, which the workspace
  # excludes) as pieces. `edited` is the project without libs/shout/punctuation.txt: an edit
  # of the path package shout only. Both through a filter, with one name (the build
  # directory cargo sees).
  pathProject =
    keep:
    lib.cleanSourceWith {
      src = ./projects/per-crate-path;
      filter = path: _type: keep || baseNameOf path != "punctuation.txt";
      name = "per-crate-path";
    };
  pathSrc = pathProject true;
  pathEdited = pathProject false;
  pathPieces = src: unmerged { inherit src; };
  # The package build compiles app alone: greet and shout come fresh from their pieces (path
  # packages are compiled in every build otherwise, which requireFreshDependencies allows).
  pathApp = src: cargoArtifacts: pathBuild "app" { inherit src cargoArtifacts; };
  pathBuild =
    member: args:
    buildPackage (
      args
      // {
        requireFreshDependencies = true;
        RUSTC_WRAPPER = compileOnlyWrapper [ member ];
      }
    );
  # The workspace beside/ (entered in postUnpack, as crane's workspace-not-at-root check
  # does), whose path dependency ../libs/greet is outside the workspace's directory; the
  # source holds libs/ and beside/ only (the root's workspace would be the dummy's).
  besideArgs = {
    src = lib.cleanSourceWith {
      src = ./projects/per-crate-path;
      filter = path: _type: builtins.any (dir: lib.hasPrefix (toString ./projects/per-crate-path + "/${dir}") path) [ "libs" "beside" ];
      name = "per-crate-path";
    };
    postUnpack = ''
      cd $sourceRoot/beside
      sourceRoot="."
    '';
    cargoLock = ./projects/per-crate-path/beside/Cargo.lock;
    cargoToml = ./projects/per-crate-path/beside/Cargo.toml;
  };
  besidePieces = unmerged besideArgs;
  pathPrints = punctuation: "HELLO PER-CRATE-PATH (14 LETTERS)${punctuation}";

  pieceOf = pieces: name: lib.findFirst (p: p.pname == "${name}-piece") (throw "no piece of ${name}") (lib.attrValues pieces);
  sharedPieces = pieces: map (name: (pieceOf pieces name).drvPath) [ "itoa" "memchr" ];
  # Checks that the crates whose pieces hold a `cargo check` unit are `wanted` (crate names,
  # sorted), as cargo wrote the units: a library's metadata (.rmeta) without its compiled
  # library (.rlib) beside it.
  checkUnitHolders =
    name: pieces: wanted:
    pkgs.runCommand name { } ''
      for piece in ${lib.concatStringsSep " " (lib.attrValues pieces)}; do
        find "$piece" -path '*/deps/lib*.rmeta' | while read -r rmeta; do
          [ -e "''${rmeta%.rmeta}.rlib" ] || { name=''${rmeta##*/lib}; echo "''${name%-*}"; }
        done
      done | sort -u | tr '\n' ' ' >holders
      echo "pieces with check units: $(cat holders)"
      [ "$(cat holders)" = ${lib.escapeShellArg "${lib.concatStringsSep " " wanted} "} ] ||
        { echo "expected: ${lib.concatStringsSep " " wanted}" >&2; exit 1; }
      touch $out
    '';
  # Every piece holds units of its own crates only (their .fingerprint directories, named
  # `<package>-<hash>`): cargo compiled nothing its closure should have provided. A piece
  # compiling a proc-macro by name made another unit than the one its dependents use, which
  # each dependent's piece then compiled again (serde's piece held serde_derive's).
  ownUnitsOnly =
    name: pieces:
    pkgs.runCommand name { } (
      lib.concatMapStrings (piece: ''
        for unit in ${piece}/target/*/.fingerprint/*; do
          crate=''${unit##*/}
          case " ${lib.concatMapStringsSep " " (c: builtins.head (lib.splitString "@" c)) piece.crates} " in
            *" ''${crate%-*} "*) ;;
            *) echo "${piece.name} holds a unit of ''${crate%-*}: $unit" >&2; exit 1 ;;
          esac
        done
      '') (lib.attrValues pieces)
      + ''
        echo "${toString (lib.length (lib.attrNames pieces))} pieces hold their own crates' units only"
        touch $out
      ''
    );
  workspaceArgs = {
    src = ./projects/workspace;
    requireFreshDependencies = true;
  };
in
{
  checks = {
    # The final build compiles only the package: every dependency unit fresh from pieces.
    per-crate-package-runs = runsAndPrints "per-crate-package" (app perCrate { }) "per-crate" expected;
    # The same program as on buildDepsOnly's artifacts.
    per-crate-equals-deps-only = runsAndPrints "per-crate-deps-only" (app (buildDepsOnly { inherit src; }) { }) "per-crate" expected;
    # A leaf bump (itoa) changes itoa's piece and serde_json's (which depends on it), nothing else…
    per-crate-leaf-bump = compare "per-crate-leaf-bump" (changed perCrateUnmerged.pieces bumpedUnmerged.pieces) [
      "itoa-piece"
      "serde_json-piece"
    ];
    per-crate-leaf-bump-builds = runsAndPrints "per-crate-bumped" (app bumpedUnmerged { cargoLock = bumpedLock; }) "per-crate" expected;
    # …and with the default merging, where itoa (only serde_json uses it) is built in
    # serde_json's piece, only that piece.
    per-crate-leaf-bump-merged = compare "per-crate-leaf-bump-merged" (changed perCrate.pieces bumped.pieces) [
      "serde_json-piece"
    ];
    # Merging leaves leaves fewer derivations.
    per-crate-fewer-merged = compare "per-crate-fewer-merged" (lib.length (lib.attrNames perCrate.pieces) < lib.length (lib.attrNames perCrateUnmerged.pieces)) true;
    # Another project using serde_json shares the pieces of the same units (itoa, memchr…).
    per-crate-shared = compare "per-crate-shared" (sharedPieces otherUnmerged.pieces) (sharedPieces perCrateUnmerged.pieces);
    # A second version of a crate in Cargo.lock (itoa 0.4 beside 1.x) makes Cargo.lock name
    # the first with its version (`itoa 1.0.18` in serde_json's entry): no piece that does
    # not use the new one changes, so the only new piece is itoa 0.4's. Before, every piece
    # whose lock lines reached such a name changed (on cargo-deny, a serde bump that brought
    # in syn 3 rebuilt 119 pieces instead of 73).
    per-crate-second-version = compare "per-crate-second-version" (changed otherUnmerged.pieces (unmerged { src = ./projects/per-crate-second-version; }).pieces) [
      "itoa-piece"
    ];
    # …then cargo recompiles them (the pieces are restored as writable copies) and the program
    # is the same; the expectFailure entry below proves they were recompiled.
    per-crate-elsewhere-rebuilds = runsAndPrints "per-crate-elsewhere" (app perCrate (elsewhere // { requireFreshDependencies = false; })) "per-crate" expected;
    # A project without dependencies has no pieces; a workspace (proc-macro member, member
    # with a build script, path dependencies) builds its members in the final step.
    per-crate-no-deps = runsAndPrints "per-crate-no-deps" (buildPackage {
      src = ./projects/no-deps;
      cargoArtifacts = buildDepsPerCrate { src = ./projects/no-deps; };
      requireFreshDependencies = true;
    }) "no-deps" "hello from no-deps";
    per-crate-workspace = runsAndPrints "per-crate-workspace" (buildPackage {
      src = ./projects/workspace;
      cargoArtifacts = buildDepsPerCrate workspaceArgs;
      requireFreshDependencies = true;
    }) "app" "generated-7 42";
    # Pieces hold only the check units the project's check pass compiles (its unit graph says
    # which): the target libraries, not the proc-macro serde_derive nor what only it and build
    # scripts use (syn, quote, cc…), which `cargo check` builds. The final steps' check pass
    # and per-crate-clippy-fresh/per-crate-doc-fresh (requireFreshDependencies) show none is
    # missing. A workspace with a proc-macro member of its own (macros, over quote) checks
    # that member's dependencies, for the host: their pieces hold those units.
    per-crate-check-units = checkUnitHolders "per-crate-check-units" perCrateUnmerged.pieces [
      "itoa"
      "libc"
      "libz_sys"
      "memchr"
      "serde"
      "serde_core"
      "serde_json"
      "zmij"
    ];
    per-crate-own-units = ownUnitsOnly "per-crate-own-units" perCrateUnmerged.pieces;
    per-crate-own-units-merged = ownUnitsOnly "per-crate-own-units-merged" perCrate.pieces;
    per-crate-own-units-workspace = ownUnitsOnly "per-crate-own-units-workspace" (buildDepsPerCrate workspaceArgs).pieces;
    # A piece's cargo asks rustc nothing (`rustc -vV`, the target's cfg): cargo's cache of
    # those answers, made once (cargoRustcInfo), fits every piece; cargo rewrites the file
    # when it had to ask. serde_json's piece is built again with the comparison after cargo.
    per-crate-rustc-info-used =
      let
        piece = pieceOf perCrateUnmerged.pieces "serde_json";
      in
      piece.overrideAttrs (old: {
        postBuild = (old.postBuild or "") + ''
          cmp ${piece.rustcInfo} "''${CARGO_TARGET_DIR:-target}/.rustc_info.json" ||
            { echo "cargo asked rustc again: the shared cache did not fit this piece" >&2; exit 1; }
        '';
      });
    per-crate-check-units-proc-macro-member = checkUnitHolders "per-crate-check-units-proc-macro-member" (buildDepsPerCrate workspaceArgs).pieces [
      "itoa"
      "proc_macro2"
      "quote"
      "unicode_ident"
    ];
    # Every piece has the helper among its inputs, so the helper's closure is set up in every
    # piece's sandbox: it holds the helper and its shell, not the crates it was built from
    # (their store paths in panic messages made it 67 paths).
    per-crate-helper-closure = pkgs.runCommand "per-crate-helper-closure" {
      exportReferencesGraph = [ "graph" gantryLib.gantry-helper ];
    } ''
      if grep -E -- '-cargo-(registry|package)-' graph; then
        echo "the helper's closure holds the crates it was built from (above)" >&2
        exit 1
      fi
      touch $out
    '';
    # Pieces hold cargo check's units too (the final step's check pass finds them fresh), so
    # clippy and rustdoc on the per-crate output compile no dependency, as on buildDepsOnly's
    # (check-builders' cargo-clippy-deny-warnings and cargo-doc).
    per-crate-clippy-fresh = cargoClippy {
      inherit src;
      cargoArtifacts = perCrate;
      requireFreshDependencies = true;
    };
    per-crate-doc-fresh = cargoDoc {
      inherit src;
      cargoArtifacts = perCrate;
      requireFreshDependencies = true;
    };
    # Git crates are pieces of their own, each crate of a checkout in its piece; the final
    # build compiles no dependency (requireFreshDependencies) and the program runs.
    per-crate-git-pieces = compare "per-crate-git-pieces" (pieceNames gitPerCrate.pieces) [
      "greeting-piece"
      "itoa-piece"
      "shapes-core-piece"
      "shapes-draw-piece"
    ];
    per-crate-git-runs = runsAndPrints "per-crate-git" (gitApp gitPerCrate { }) "per-crate-git" (gitPrints "shapes-core 1.1.0 (branch main)");
    # A git revision bump (shapes main -> main~1) changes the pieces of its crates and of what
    # depends on them (shapes-draw), not greeting's nor itoa's; the bumped build is fresh too.
    per-crate-git-bump = compare "per-crate-git-bump" (changed gitPerCrate.pieces gitBumped.pieces) [
      "shapes-core-piece"
      "shapes-draw-piece"
    ];
    per-crate-git-bump-builds = runsAndPrints "per-crate-git-bumped" (gitApp gitBumped { cargoLock = gitBumpedLock; }) "per-crate-git" (gitPrints "shapes-core 1.0.0 (tag v1.0.0)");
    # A lock file version 3 does not percent-encode `branch=feature/x`, cargo's package ids do:
    # the plan still finds the lock lines. Three git sources of one repository, two crates of
    # the same name and version among them, each its own piece (vendoring-git-lock-v3).
    per-crate-git-lock-v3 = runsAndPrints "per-crate-git-lock-v3" (buildPackage {
      src = ./projects/vendoring-git-v3;
      cargoArtifacts = buildDepsPerCrate {
        src = ./projects/vendoring-git-v3;
        requireFreshDependencies = true;
      };
      requireFreshDependencies = true;
    }) "vendoring-git-v3" ''
      branch main: draw 2x3 area=6 using shapes-core 1.1.0 (branch main)
      tag v1.0.0: shapes-core 1.0.0 (tag v1.0.0)
      branch feature/x: shapes-core 1.1.0 (branch feature/x)
      rev: hello vendoring-git-v3 from greeting (first commit)
      crates.io: itoa 12345'';
    # Each member built alone on its own per-crate artifacts: cargo's units for `-p a` and `-p
    # b` differ in smallvec's features, each final step and package build compiles no
    # dependency (crane builds a member with cargoExtraArgs `-p`, e.g. its
    # workspace-inheritance and features checks).
    per-crate-member-a-runs = runsAndPrints "per-crate-member-a" memberA.package "a" "a: 37 inline=true";
    per-crate-member-b-runs = runsAndPrints "per-crate-member-b" memberB.package "b" "b: written";
    # The plan has a smallvec piece per unit: a's build (const_generics), a's tests (the
    # dev-dependency adds write) and b's build (write).
    per-crate-member-features = compare "per-crate-member-features" {
      a = memberA.smallvecFeatures;
      b = memberB.smallvecFeatures;
    } {
      a = [ "const_generics" "const_generics,write" ];
      b = [ "write" ];
    };
    # cargoTest on per-crate artifacts (crane's cargoTest with cargoArtifacts from
    # buildDepsOnly): the dev-dependencies and the test-only features are pieces too, so
    # `cargo test -p a` compiles only a, and its test passes.
    per-crate-member-test-fresh = cargoTest (memberA.args // { cargoArtifacts = memberA.deps; });
    # Crates of an alternative registry are pieces; the final builds compile no dependency.
    per-crate-registry-sparse-pieces = compare "per-crate-registry-sparse-pieces" (pieceNames sparseBuild.deps.pieces) [
      "fixture-math-piece"
      "fixture-text-piece"
    ];
    per-crate-registry-sparse-runs = runsAndPrints "per-crate-registry-sparse" sparseBuild.package "vendoring-registry-sparse" (registryPrints "sparse index");
    per-crate-registry-git-index-runs = runsAndPrints "per-crate-registry-git-index" gitIndexBuild.package "vendoring-registry-git" (registryPrints "git index");
    # With the one-hash download (`hash`) the final step and the package build from it, fresh
    # over the pieces.
    per-crate-one-hash-runs = runsAndPrints "per-crate-one-hash" (buildPackage (oneHashArgs // { cargoArtifacts = oneHashDeps; })) "vendoring-git" ''
      branch main: draw 2x3 area=6 using shapes-core 1.1.0 (branch main)
      tag v1.0.0: shapes-core 1.0.0 (tag v1.0.0)
      branch feature/x: shapes-core 1.1.0 (branch feature/x)
      rev: hello vendoring-git from greeting (first commit)
      crates.io: itoa 12345'';
    # Path packages outside the workspace are pieces, built from their own sources at the
    # place the final build has them; the package build compiles only the member app.
    per-crate-path-pieces = compare "per-crate-path-pieces" (pieceNames (pathPieces pathSrc).pieces) [
      "greet-piece"
      "itoa-piece"
      "shout-piece"
    ];
    per-crate-path-runs = runsAndPrints "per-crate-path" (pathApp pathSrc (pathPieces pathSrc)) "app" (pathPrints "!!!");
    # With merging (shout and itoa only serve greet: one piece).
    per-crate-path-merged-runs = runsAndPrints "per-crate-path-merged" (pathApp pathSrc (buildDepsPerCrate {
      src = pathSrc;
      requireFreshDependencies = true;
    })) "app" (pathPrints "!!!");
    # A path dependency beside the workspace's directory is a piece too.
    per-crate-path-beside-pieces = compare "per-crate-path-beside-pieces" (pieceNames besidePieces.pieces) [
      "greet-piece"
      "itoa-piece"
      "shout-piece"
    ];
    per-crate-path-beside-runs = runsAndPrints "per-crate-path-beside" (pathBuild "beside" (besideArgs // { cargoArtifacts = besidePieces; })) "beside" "HELLO BESIDE (6 LETTERS)!!!";
    # An edit of shout (a file gone) changes shout's piece and greet's above it, not itoa's…
    per-crate-path-edit = compare "per-crate-path-edit" (changed (pathPieces pathSrc).pieces (pathPieces pathEdited).pieces) [
      "greet-piece"
      "shout-piece"
    ];
    # …and the program built on the edited pieces has the edit (cargo would take a stale
    # piece for fresh: the files' times are the store's either way), compiling only app.
    per-crate-path-edit-runs = runsAndPrints "per-crate-path-edited" (pathApp pathEdited (pathPieces pathEdited)) "app" (pathPrints "!");
    # A plan given as a file gives the same pieces as the one built at evaluation time.
    per-crate-plan-file = compare "per-crate-plan-file" (drvPaths fromFile.pieces == drvPaths perCrate.pieces) true;
    # The same for the workspace beside/ (not at src's root): its own plan is current.
    per-crate-plan-file-beside = compare "per-crate-plan-file-beside" (
      drvPaths (unmerged (besideArgs // { piecesPlan = "${besidePieces.plan}/plan.json"; })).pieces == drvPaths besidePieces.pieces
    ) true;
  };

  expectFailure = {
    per-crate-elsewhere-is-stale = {
      drv = app perCrate elsewhere;
      message = "dependency units were recompiled although dependency artifacts were inherited";
    };
    per-crate-stale-plan = {
      drv = buildDepsPerCrate {
        inherit src;
        piecesPlan = ./projects/per-crate-stale-plan.json;
      };
      # The message ends with the command that regenerates the file.
      message = "was made for another Cargo.lock (its dependencies changed since); regenerate it with: cp \"$(nix-store --realise /nix/store/";
    };
    # A workspace not at src's root (cargoToml names it): its manifests are compared too. The
    # same lock, greet without its feature: stale (before, such a workspace's manifests went
    # unread and the plan for other features was used).
    per-crate-stale-plan-beside = {
      drv = buildDepsPerCrate (
        besideArgs
        // {
          src = ./projects/per-crate-path-quiet;
          cargoLock = ./projects/per-crate-path-quiet/beside/Cargo.lock;
          cargoToml = ./projects/per-crate-path-quiet/beside/Cargo.toml;
          mergePrivateLeaves = false;
          piecesPlan = "${besidePieces.plan}/plan.json";
        }
      );
      message = "was made for other manifests (a dependency, feature or proc-macro setting in a Cargo.toml of the workspace changed since)";
    };
    # A plan made for the workspace beside/ (entered in postUnpack) while the manifests
    # compared with it come from src's root, another workspace (no cargoToml given): refused,
    # naming the cargoToml to pass. Before, the lock and the root's manifests were compared,
    # and once the plan was regenerated a feature change in beside/ went unnoticed.
    per-crate-plan-other-workspace = {
      drv = buildDepsPerCrate (
        removeAttrs besideArgs [ "cargoToml" ]
        // {
          src = ./projects/per-crate-path;
          mergePrivateLeaves = false;
          piecesPlan = "${besidePieces.plan}/plan.json";
        }
      );
      message = "was made for the workspace at beside (where the build finds it), but the manifests compared with it are read from src's root: pass cargoToml = ./beside/Cargo.toml";
    };
    # Without cargoToml, that workspace's manifests cannot be read while evaluating: a
    # committed plan is then checked against the lock only, and evaluation says so. (The
    # build then fails on purpose.)
    per-crate-plan-unread-manifests-warns = {
      drv =
        let
          args = removeAttrs besideArgs [ "cargoToml" ] // {
            pname = "beside";
            version = "0.1.0";
          };
          warned = unmerged (args // { piecesPlan = "${(unmerged args).plan}/plan.json"; });
        in
        pkgs.runCommand "per-crate-plan-unread-manifests-warns" {
          evaluated = builtins.unsafeDiscardStringContext warned.drvPath;
        } "echo 'evaluated, the warning is above' >&2; exit 1";
      message = "is checked against Cargo.lock only: the workspace's Cargo.toml files cannot be read at evaluation time";
    };
    # The same lock, one feature more in Cargo.toml: cargo's units change, so does the plan.
    per-crate-stale-plan-features = {
      drv = buildDepsPerCrate {
        src = ./projects/per-crate-features;
        piecesPlan = "${perCrate.plan}/plan.json";
      };
      message = "was made for other manifests (a dependency, feature or proc-macro setting in a Cargo.toml of the workspace changed since); regenerate it with: cp \"$(nix-store --realise /nix/store/";
    };
  };
}
