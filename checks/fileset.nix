# gantry's fileset helpers (crane's craneLib.fileset.*) and lib.fileset.toSource sources: what
# each helper selects, that they follow the same rules as filterCargoSources, that
# cleanCargoSource, mkDummySrc and crateNameFromCargoToml take a toSource result, and five
# project shapes whose source is a toSource of the helpers, each built with buildDepsOnly then
# buildPackage (every dependency fresh: requireFreshDependencies) and its binary run.
# crane's own checks build these shapes from plain paths or cleanCargoSource; the comments
# name the crane check each one mirrors.
{
  pkgs,
  lib,
  gantryLib,
  gantrySrc,
  ...
}:

let
  inherit (gantryLib) buildDepsOnly buildPackage;
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints;
  fs = gantryLib.fileset;
  inherit (lib.fileset) toSource unions difference;

  sortStrings = builtins.sort builtins.lessThan;
  toJSON = builtins.toJSON;

  # A check that passes when every fact holds, and otherwise fails to evaluate naming each
  # one that does not.
  facts =
    name: list:
    let
      failed = map (f: f.what) (builtins.filter (f: !f.ok) list);
    in
    if failed != [ ] then
      throw "checks/fileset.nix (${name}): ${lib.concatStringsSep "; " failed}"
    else
      pkgs.runCommand name { } "touch $out";

  # A check that `src` (a store directory) holds exactly the files `expected` (paths relative
  # to it), compared after building it.
  holdsExactly =
    name: src: expected:
    pkgs.runCommand name { } ''
      (cd ${src} && find . -type f -o -type l) | sed 's|^\./||' | LC_ALL=C sort >got
      printf '%s\n' ${lib.escapeShellArgs (sortStrings expected)} >expected
      if ! diff -u expected got; then
        echo "${name}: ${src} does not hold the expected files (- expected, + found)" >&2
        exit 1
      fi
      touch $out
    '';

  # The fixture: one file of each kind the helpers select or leave out.
  sel = ./projects/fileset-selection;
  # A file set's files, relative to `root`, sorted.
  filesOf = root: set: sortStrings (map (p: lib.removePrefix (toString root + "/") (toString p)) (lib.fileset.toList set));

  # What crane documents each helper to select (docs/API.md of crane: `*.rs`; `*.toml`;
  # `Cargo.toml` and `Cargo.lock`; `config.toml` in any directory; the union of the first three).
  expected = rec {
    rust = [ "build.rs" "member/src/lib.rs" "src/main.rs" "tests/it.rs" ];
    toml = [ ".cargo/config.toml" "Cargo.toml" "config/config.toml" "member/Cargo.toml" "rustfmt.toml" ];
    cargoTomlAndLock = [ "Cargo.lock" "Cargo.toml" "member/Cargo.toml" ];
    configToml = [ ".cargo/config.toml" "config/config.toml" ];
    commonCargoSources = lib.unique (sortStrings (rust ++ toml ++ cargoTomlAndLock));
  };
  selects =
    name:
    let
      got = filesOf sel (fs.${name} sel);
      want = sortStrings expected.${name};
    in
    lib.nameValuePair "fileset-selects-${name}" (facts "fileset-selects-${name}" [
      {
        ok = got == want;
        what = "fileset.${name} selects ${toJSON got}, expected ${toJSON want}";
      }
    ]);

  # filterCargoSources and the helpers read the same rules: on the fixture the filter keeps
  # what commonCargoSources selects plus the extension-less `.cargo/config`, which only a
  # filter (seeing the parent directory) can pick out — the one difference crane has too.
  filteredBySourceFilter = lib.cleanSourceWith {
    src = sel;
    filter = gantryLib.filterCargoSources;
    name = "fileset-selection-filtered";
  };

  commonSource = toSource {
    root = sel;
    fileset = fs.commonCargoSources sel;
  };
  # cleanCargoSource on a toSource result: both selections apply (data.txt goes, the
  # extension-less .cargo/config given to the fileset stays), named after the crate.
  cleanedFileset = gantryLib.cleanCargoSource (toSource {
    root = sel;
    fileset = unions [
      (fs.commonCargoSources sel)
      (sel + "/data.txt")
      (sel + "/.cargo/config")
    ];
  });
  dummyOfFileset = gantryLib.mkDummySrc { src = commonSource; };

  # The five projects, each source a toSource of the helpers.
  wsRoot = ./projects/fileset-workspace;
  workspaceSrc = toSource {
    root = wsRoot;
    fileset = fs.commonCargoSources wsRoot;
  };
  scriptRoot = ./projects/fileset-build-script;
  buildScriptSrc = toSource {
    root = scriptRoot;
    # data.txt is read by build.rs: not a Cargo source, so added to the helper's set.
    fileset = unions [
      (fs.commonCargoSources scriptRoot)
      (scriptRoot + "/data.txt")
    ];
  };
  inhRoot = ./projects/fileset-inheritance;
  inheritanceSrc = toSource {
    root = inhRoot;
    fileset = fs.commonCargoSources inhRoot;
  };
  repoRoot = ./projects/fileset-not-at-root;
  # The repository is the root, the Cargo workspace its `workspace/` directory, and the
  # program includes a file of the repository outside the workspace (shared/greeting.txt).
  notAtRootSrc = toSource {
    root = repoRoot;
    fileset = unions [
      (fs.commonCargoSources (repoRoot + "/workspace"))
      (repoRoot + "/shared/greeting.txt")
    ];
  };
  # crane builds this shape with buildPackage alone: postUnpack enters the workspace, and
  # cargoLock / cargoToml name its lock and manifest. gantry's mkDummySrc (so buildDepsOnly,
  # and buildPackage's default cargoArtifacts) needs the workspace's Cargo.toml at the root of
  # `src` ("no Cargo.toml in …: point src at the directory holding the workspace's root
  # Cargo.toml"), so the dependencies are built from the workspace directory of the same
  # source, and the package, crane's way, from the whole of it.
  notAtRootArgs = {
    src = notAtRootSrc;
    postUnpack = ''
      cd $sourceRoot/workspace
      sourceRoot="."
    '';
    cargoLock = repoRoot + "/workspace/Cargo.lock";
    cargoToml = repoRoot + "/workspace/Cargo.toml";
    cargoArtifacts = buildDepsOnly { src = "${notAtRootSrc}/workspace"; };
  };
  brokenRoot = ./projects/fileset-broken-manifest;
  brokenSrc = toSource {
    root = brokenRoot;
    # broken/Cargo.toml is a Cargo.toml, so commonCargoSources selects it: taken out again.
    fileset = difference (fs.commonCargoSources brokenRoot) (brokenRoot + "/broken");
  };

  # The same with the invalid manifest matched by a member glob (`crates/*`): mkDummySrc reads
  # the members' manifests at evaluation time, through the source's filter.
  globRoot = ./projects/fileset-broken-member-glob;
  globSrc = toSource {
    root = globRoot;
    fileset = difference (fs.commonCargoSources globRoot) (globRoot + "/crates/broken");
  };

  # buildDepsOnly, then buildPackage on its artifacts with every dependency fresh, then the
  # binary runs and prints `expected`.
  project =
    name: args: bin: expectedOutput:
    let
      deps = args.cargoArtifacts or (buildDepsOnly args);
      pkg = buildPackage (
        args
        // {
          cargoArtifacts = deps;
          requireFreshDependencies = true;
        }
      );
    in
    lib.nameValuePair "fileset-project-${name}" (runsAndPrints "fileset-project-${name}" pkg bin expectedOutput);

  # gantry on a package set whose lib has no fileset (nixpkgs before 23.11).
  oldLib = import (gantrySrc + "/lib") {
    pkgs = pkgs // {
      lib = builtins.removeAttrs pkgs.lib [ "fileset" ];
    };
  };
in
{
  checks =
    lib.listToAttrs (map selects [ "rust" "toml" "cargoTomlAndLock" "configToml" "commonCargoSources" ])
    // lib.listToAttrs [
      # crane: docs/API.md lists the five helpers under craneLib.fileset; nothing else of
      # gantry's (the shared rules) is in the scope.
      (lib.nameValuePair "fileset-scope" (facts "fileset-scope" [
        {
          ok = builtins.attrNames fs == [ "cargoTomlAndLock" "commonCargoSources" "configToml" "rust" "toml" ];
          what = "gantryLib.fileset has ${toJSON (builtins.attrNames fs)}, not crane's five helpers";
        }
        {
          ok = !(gantryLib ? sourceRules) && !(gantryLib ? filesetHelper);
          what = "an internal of the fileset helpers is in the public scope";
        }
        {
          # Without lib.fileset the names are there; using one fails (expectFailure below).
          ok = builtins.attrNames oldLib.fileset == builtins.attrNames fs && !(builtins.tryEval (oldLib.fileset.rust sel)).success;
          what = "without lib.fileset, fileset.rust does not fail";
        }
      ]))
      (lib.nameValuePair "fileset-same-rules-as-filterCargoSources" (
        holdsExactly "fileset-same-rules-as-filterCargoSources" filteredBySourceFilter (
          filesOf sel (fs.commonCargoSources sel) ++ [ ".cargo/config" ]
        )
      ))
      # toSource of commonCargoSources holds exactly the selected files.
      (lib.nameValuePair "fileset-toSource-contents" (
        holdsExactly "fileset-toSource-contents" commonSource expected.commonCargoSources
      ))
      (lib.nameValuePair "fileset-cleanCargoSource-of-toSource" (
        if cleanedFileset.name or "" != "fileset-selection" then
          throw "checks/fileset.nix: cleanCargoSource of a toSource result is named ${toJSON (cleanedFileset.name or null)}, not after the crate (fileset-selection)"
        else
          holdsExactly "fileset-cleanCargoSource-of-toSource" cleanedFileset (expected.commonCargoSources ++ [ ".cargo/config" ])
      ))
      # The name cleanCargoSource gives a filtered source comes from the root Cargo.toml the
      # source holds, read through its filter (sourceView, as mkDummySrc reads manifests): one
      # the source leaves out names nothing ("source"), and an invalid one left out is never
      # read. crane's cleanCargoSource (internalCrateNameForCleanSource) reads the origin's
      # Cargo.toml whatever the filter says: a difference docs/migration-from-crane.md states.
      # Plain paths and strings are read as before.
      (lib.nameValuePair "fileset-source-name-through-filter" (facts "fileset-source-name-through-filter" (
        let
          nameOf = src: (gantryLib.cleanCargoSource src).name;
          withoutManifest = nameOf (toSource {
            root = sel;
            fileset = fs.rust sel;
          });
          withManifest = nameOf (toSource {
            root = sel;
            fileset = fs.cargoTomlAndLock sel;
          });
          # broken/ holds an invalid Cargo.toml alone: filtered out, nothing is left to read.
          brokenLeftOut = nameOf (lib.cleanSourceWith {
            src = brokenRoot + "/broken";
            filter = path: _: baseNameOf path != "Cargo.toml";
            name = "broken-left-out";
          });
          # path gives a store path: its name is what follows the hash.
          ofString = builtins.substring 33 (-1) (baseNameOf (gantryLib.path (toString sel)));
          ofPath = nameOf sel;
        in
        [
          {
            ok = withoutManifest == "source";
            what = "cleanCargoSource of a toSource leaving out the root Cargo.toml is named ${toJSON withoutManifest}, not source";
          }
          {
            ok = withManifest == "fileset-selection";
            what = "cleanCargoSource of a toSource holding the root Cargo.toml is named ${toJSON withManifest}, not after the crate";
          }
          {
            ok = brokenLeftOut == "source";
            what = "cleanCargoSource of a source leaving out an invalid Cargo.toml is named ${toJSON brokenLeftOut}, not source";
          }
          {
            ok = ofString == "fileset-selection" && ofPath == "fileset-selection";
            what = "path of a string is named ${toJSON ofString}, cleanCargoSource of a path ${toJSON ofPath}, not after the crate";
          }
        ]
      )))
      # mkDummySrc of a toSource result: the skeleton of the files in the set only (the
      # extension-less .cargo/config, outside it, must not come back from the directory on disk).
      (lib.nameValuePair "fileset-mkDummySrc-of-toSource" (
        pkgs.runCommand "fileset-mkDummySrc-of-toSource" { } ''
          cd ${dummyOfFileset}
          for f in Cargo.toml Cargo.lock member/Cargo.toml .cargo/config.toml src/main.rs member/src/lib.rs; do
            [ -f "$f" ] || { echo "the dummy of a toSource result lacks $f" >&2; exit 1; }
          done
          for f in .cargo/config data.txt README.md config/config.toml src/notes.rs.txt; do
            [ ! -e "$f" ] || { echo "the dummy of a toSource result holds $f, which the file set leaves out" >&2; exit 1; }
          done
          grep -q 'name = "fileset-selection"' Cargo.toml
          touch $out
        ''
      ))
      # crateNameFromCargoToml reads the root Cargo.toml of the toSource result; crane's
      # crateNameFromCargoToml contract (docs/API.md), inheritance through workspace.package.
      (lib.nameValuePair "fileset-crateNameFromCargoToml" (facts "fileset-crateNameFromCargoToml" (
        let
          fromLock = gantryLib.crateNameFromCargoToml {
            src = toSource {
              root = sel;
              fileset = fs.cargoTomlAndLock sel;
            };
          };
          fromInheritance = gantryLib.crateNameFromCargoToml { src = inheritanceSrc; };
        in
        [
          {
            ok = fromLock == { pname = "fileset-selection"; version = "0.4.0"; };
            what = "crateNameFromCargoToml of a toSource of cargoTomlAndLock gives ${toJSON fromLock}";
          }
          {
            ok = fromInheritance == { pname = "fileset-inheritance"; version = "1.2.3"; };
            what = "crateNameFromCargoToml of the inheritance workspace's toSource gives ${toJSON fromInheritance}";
          }
        ]
      )))

      # crane: checks/default.nix `workspace` (a workspace built whole), here from a toSource.
      (project "workspace" { src = workspaceSrc; } "fileset-workspace" "fileset-workspace: hello app from greeting")
      # crane: checks/default.nix `withBuildScript`; the build script reads data.txt, which
      # only the union with the helper's set brings in.
      (project "build-script" { src = buildScriptSrc; } "fileset-build-script" "fileset-build-script: data read by build.rs")
      # crane: checks/default.nix `workspaceInheritance` (version.workspace, [workspace.dependencies]
      # with a crates.io crate and a path member).
      (project "inheritance" { src = inheritanceSrc; } "fileset-inheritance" "fileset-inheritance 1.2.3: 42")
      # crane: checks/default.nix `workspaceRootNotAtSourceRoot` (crane issue #209), with the
      # dependencies built as notAtRootArgs says.
      (project "not-at-root" notAtRootArgs "fileset-not-at-root" "fileset-not-at-root 209: read from outside the workspace")
      # An invalid manifest on disk but outside the file set is never read.
      (project "broken-manifest" { src = brokenSrc; } "fileset-broken-manifest" "fileset-broken-manifest: broken/Cargo.toml left out")
      (project "broken-member-glob" { src = globSrc; } "glob-app" "glob-app: crates/broken left out")
    ];

  expectFailure = {
    # A nixpkgs without lib.fileset: one line saying what is needed.
    fileset-needs-lib-fileset = {
      drv = oldLib.fileset.commonCargoSources sel;
      message = "gantry's fileset.commonCargoSources needs a nixpkgs with lib.fileset";
    };
  };
}
