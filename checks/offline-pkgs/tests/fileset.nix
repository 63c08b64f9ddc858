# Tests for the lib.fileset stand-in (../lib/fileset.nix).
#
#   nix-instantiate --eval --strict --json -E \
#     'let lib = import ./checks/offline-pkgs/lib { }; in
#      removeAttrs (import ./checks/offline-pkgs/tests/fileset.nix { inherit lib; }) [ "sources" ]'
#
# Gives { count; failures; sources; } with `count` and `failures` as in ./lib.nix
# (cases `name = { expr; expected; }`, compared with `==`). `sources` are toSource
# results with the entries their store paths must hold ("dir/" for directories):
# the standin-fileset check builds them and compares (eval alone only sees the
# filter). Expected values follow nixpkgs' lib.fileset documentation and tests;
# error messages are checked in ./failing.nix (tryEval only tells that it failed).
# The trace cases print "trace: ..." lines on stderr; that is expected.
#
# Fixture: ./fixtures/fileset, with a symlink (src/link.rs -> lib.rs). Git
# cannot hold empty directories, so pruning is tested with directories whose
# files are all left out (docs/img when docs/img/logo.txt is).
{ lib }:

let
  fs = lib.fileset;
  inherit (lib) hasPrefix removePrefix;

  root = ./fixtures/fileset;
  at = sub: root + "/${sub}";
  rootString = toString root;

  # Run from a checkout the fixture is a working-tree path; in the suite (a flake)
  # it is a store path. gitTracked behaves differently on the two.
  inStore = hasPrefix "${builtins.storeDir}/" rootString;

  inherit (import ./helpers.nix { inherit lib; }) fails render keptFiles;
  # A file set itself always fails that way (it cannot be evaluated directly),
  # so file sets are checked through toList.
  setFails = set: fails (fs.toList set);

  # toList as paths relative to the fixture root.
  files = set: map (p: removePrefix "${rootString}/" (toString p)) (fs.toList set);

  allFiles = [
    ".rustfmt.toml"
    "Cargo.toml"
    "LICENSE"
    "README.md"
    "crates/a/Cargo.toml"
    "crates/a/src/lib.rs"
    "crates/b/Cargo.toml"
    "crates/b/benches/bench.rs"
    "crates/b/src/lib.rs"
    "data.tar.gz"
    "docs/guide.md"
    "docs/img/logo.txt"
    "src/bin/README.md"
    "src/bin/tool.rs"
    "src/lib.rs"
    "src/link.rs"
    "src/main.rs"
  ];
  srcFiles = builtins.filter (hasPrefix "src/") allFiles;
  rustFiles = builtins.filter (lib.hasSuffix ".rs") allFiles;
  topFiles = builtins.filter (f: !lib.hasInfix "/" f) allFiles;

  everything = fs.toSource {
    inherit root;
    fileset = root;
  };

  # A lib.sources value to convert: everything but crates/ and docs/img/logo.txt.
  cleaned = lib.cleanSourceWith {
    src = root;
    filter = path: _type: path != "${rootString}/crates" && path != "${rootString}/docs/img/logo.txt";
  };

  # A predicate that must never run.
  neverCalled = _file: throw "the predicate must not be called";

  # Sources the check realises; `expected` is also compared with keptFiles below.
  sources = {
    # Union of differences, with a file and a fileFilter inside a subdirectory.
    union-of-differences = {
      src = fs.toSource {
        inherit root;
        fileset = fs.unions [
          (fs.difference (at "src") (at "src/bin"))
          (fs.difference (at "docs") (at "docs/img/logo.txt"))
          (fs.fileFilter (file: file.name == "Cargo.toml") (at "crates"))
          (at "Cargo.toml")
        ];
      };
      expected = [
        "Cargo.toml"
        "crates/"
        "crates/a/"
        "crates/a/Cargo.toml"
        "crates/b/"
        "crates/b/Cargo.toml"
        "docs/"
        "docs/guide.md"
        "src/"
        "src/lib.rs"
        "src/link.rs"
        "src/main.rs"
      ];
    };
    # Rust files only, found by extension (the symlink included).
    rust-files = {
      src = fs.toSource {
        inherit root;
        fileset = fs.fileFilter (file: file.hasExt "rs") root;
      };
      expected = [
        "crates/"
        "crates/a/"
        "crates/a/src/"
        "crates/a/src/lib.rs"
        "crates/b/"
        "crates/b/benches/"
        "crates/b/benches/bench.rs"
        "crates/b/src/"
        "crates/b/src/lib.rs"
        "src/"
        "src/bin/"
        "src/bin/tool.rs"
        "src/lib.rs"
        "src/link.rs"
        "src/main.rs"
      ];
    };
    # Back from a cleanSourceWith result: the same files, without the now
    # empty docs/img/ that the cleanSourceWith copy itself keeps.
    from-source = {
      src = fs.toSource {
        inherit root;
        fileset = fs.intersection (fs.fromSource cleaned) (fs.unions [
          (at "docs")
          (at "src/bin")
          (at "README.md")
        ]);
      };
      expected = [
        "README.md"
        "docs/"
        "docs/guide.md"
        "src/"
        "src/bin/"
        "src/bin/README.md"
        "src/bin/tool.rs"
      ];
    };
    # A root below the fixture: the layout starts there.
    subdirectory-root = {
      src = fs.toSource {
        root = at "crates/b";
        fileset = fs.difference (at "crates/b") (at "crates/b/benches");
      };
      expected = [
        "Cargo.toml"
        "src/"
        "src/lib.rs"
      ];
    };
    # Nothing: an empty store directory.
    empty = {
      src = fs.toSource {
        inherit root;
        fileset = fs.unions [ ];
      };
      expected = [ ];
    };
  };

  tests = {
    # ------------------------------------------------------------ public API
    testPublicNames = {
      expr = builtins.attrNames fs;
      expected = [
        "difference"
        "fileFilter"
        "fromSource"
        "gitTracked"
        "gitTrackedWith"
        "intersection"
        "maybeMissing"
        "toList"
        "toSource"
        "trace"
        "traceVal"
        "union"
        "unions"
      ];
    };
    testIsFileset = {
      expr = (fs.union (at "src") (at "docs"))._type;
      expected = "fileset";
    };
    # Evaluating a file set itself is an error (nixpkgs: "Directly evaluating a
    # file set is not supported"); the empty one too.
    testDirectEvaluationFails = {
      expr = [
        (fails (fs.union (at "src") (at "docs")))
        (fails (fs.unions [ ]))
        (fails (fs.maybeMissing (at "missing")))
      ];
      expected = [
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ coercion
    testCoerceDirectory = {
      expr = files root;
      expected = allFiles;
    };
    testCoerceSubdirectory = {
      expr = files (at "src");
      expected = srcFiles;
    };
    testCoerceFile = {
      expr = files (at "Cargo.toml");
      expected = [ "Cargo.toml" ];
    };
    # A symlink is a file of its own, never followed.
    testCoerceSymlink = {
      expr = files (at "src/link.rs");
      expected = [ "src/link.rs" ];
    };
    testCoerceErrors = {
      expr = [
        (setFails (at "missing"))
        (setFails rootString)
        (setFails "${builtins.storeDir}/00000000000000000000000000000000-source")
        (setFails null)
        (setFails 1)
        (setFails (lib.cleanSource root))
        (setFails { })
      ];
      expected = [
        true
        true
        true
        true
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ toList
    testToListPaths = {
      expr = builtins.all builtins.isPath (fs.toList (at "src"));
      expected = true;
    };
    testToListEmpty = {
      expr = [
        (fs.toList (fs.unions [ ]))
        (fs.toList (fs.maybeMissing (at "missing")))
        (fs.toList (fs.difference (at "src") (at "src")))
      ];
      expected = [
        [ ]
        [ ]
        [ ]
      ];
    };
    # Like nixpkgs: directory by directory, names sorted.
    testToListOrder = {
      expr = files (fs.unions [
        (at "src/main.rs")
        (at "README.md")
        (at "crates/b/Cargo.toml")
        (at "crates/a/src")
      ]);
      expected = [
        "README.md"
        "crates/a/src/lib.rs"
        "crates/b/Cargo.toml"
        "src/main.rs"
      ];
    };

    # ------------------------------------------------------------ maybeMissing
    testMaybeMissing = {
      expr = [
        (files (fs.maybeMissing (at "missing")))
        (files (fs.maybeMissing (at "missing/deeper")))
        (files (fs.maybeMissing (at "Cargo.toml")))
        (files (fs.maybeMissing (at "src/bin")))
      ];
      expected = [
        [ ]
        [ ]
        [ "Cargo.toml" ]
        [
          "src/bin/README.md"
          "src/bin/tool.rs"
        ]
      ];
    };
    # nixpkgs' example: all files except one that may not be there.
    testMaybeMissingDifference = {
      expr = files (fs.difference root (fs.maybeMissing (at "main.o")));
      expected = allFiles;
    };
    testMaybeMissingErrors = {
      expr = [
        (setFails (fs.maybeMissing "someString"))
        (setFails (fs.maybeMissing null))
        (setFails (fs.maybeMissing rootString))
      ];
      expected = [
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ union(s)
    testUnion = {
      expr = files (fs.union (at "Cargo.toml") (at "src/bin"));
      expected = [
        "Cargo.toml"
        "src/bin/README.md"
        "src/bin/tool.rs"
      ];
    };
    testUnionOverlapping = {
      expr = files (fs.union (at "src") (at "src/main.rs"));
      expected = srcFiles;
    };
    testUnions = {
      expr = files (fs.unions [
        (at "crates/a/Cargo.toml")
        (at "docs")
        (at "src/lib.rs")
        (at "crates/a/Cargo.toml")
      ]);
      expected = [
        "crates/a/Cargo.toml"
        "docs/guide.md"
        "docs/img/logo.txt"
        "src/lib.rs"
      ];
    };
    testUnionsEmpty = {
      expr = [
        (files (fs.unions [ ]))
        (files (fs.unions [
          (fs.unions [ ])
          (fs.maybeMissing (at "missing"))
        ]))
      ];
      expected = [
        [ ]
        [ ]
      ];
    };
    # The empty set is union's identity, on either side.
    testUnionEmptyIdentity = {
      expr = [
        (files (fs.union (fs.unions [ ]) (at "docs/guide.md")))
        (files (fs.union (at "docs/guide.md") (fs.unions [ ])))
      ];
      expected = [
        [ "docs/guide.md" ]
        [ "docs/guide.md" ]
      ];
    };
    # toList of unions of toList gives the same list back.
    testUnionsOfToList = {
      expr = files (fs.unions (fs.toList (fs.fileFilter (file: file.hasExt "md") root)));
      expected = [
        "README.md"
        "docs/guide.md"
        "src/bin/README.md"
      ];
    };
    # Many elements: no stack build-up.
    testUnionsMany = {
      expr = files (fs.unions (builtins.genList (i: at (if i / 2 * 2 == i then "src/main.rs" else "LICENSE")) 2000));
      expected = [
        "LICENSE"
        "src/main.rs"
      ];
    };
    # A later argument is not read once an earlier one holds everything.
    testUnionLazy = {
      expr = [
        (files (fs.union root (fs.fileFilter neverCalled root)))
        (files (fs.unions [
          (at "src")
          (fs.fileFilter neverCalled (at "src/bin"))
        ]))
      ];
      expected = [
        allFiles
        srcFiles
      ];
    };
    testUnionErrors = {
      expr = [
        (setFails (fs.union (at "missing") root))
        (setFails (fs.union root (at "missing")))
        (setFails (fs.union root "src"))
        (setFails (fs.unions [
          root
          null
        ]))
        (setFails (fs.unions root))
        (setFails (fs.unions null))
      ];
      expected = [
        true
        true
        true
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ intersection
    testIntersection = {
      expr = files (fs.intersection root (at "src"));
      expected = srcFiles;
    };
    testIntersectionFiles = {
      expr = files (
        fs.intersection
          (fs.unions [
            (at "Cargo.toml")
            (at "LICENSE")
            (at "src/main.rs")
          ])
          (fs.unions [
            (at "LICENSE")
            (at "src")
            (at "docs")
          ])
      );
      expected = [
        "LICENSE"
        "src/main.rs"
      ];
    };
    # nixpkgs' example: keep only what is inside a directory.
    testIntersectionLimits = {
      expr = files (
        fs.intersection (at "crates") (fs.unions [
          (at "README.md")
          (at "crates/b/src")
          (at "crates/a/Cargo.toml")
        ])
      );
      expected = [
        "crates/a/Cargo.toml"
        "crates/b/src/lib.rs"
      ];
    };
    testIntersectionDisjoint = {
      expr = [
        (files (fs.intersection (at "src") (at "docs")))
        (files (fs.intersection (fs.unions [ ]) root))
        (files (fs.intersection root (fs.maybeMissing (at "missing"))))
      ];
      expected = [
        [ ]
        [ ]
        [ ]
      ];
    };
    # An empty left side means the right side's tree is never read.
    testIntersectionLazy = {
      expr = files (fs.intersection (fs.unions [ ]) (fs.fileFilter neverCalled root));
      expected = [ ];
    };
    # The intersection's base is the deeper base, so a root there is fine;
    # disjoint bases give the empty set without a base, fine under any root.
    testIntersectionBase = {
      expr = [
        (keptFiles (
          fs.toSource {
            root = at "src/bin";
            fileset = fs.intersection root (at "src/bin");
          }
        ))
        (keptFiles (
          fs.toSource {
            root = at "crates";
            fileset = fs.intersection (at "src") (at "docs");
          }
        ))
      ];
      expected = [
        [
          "README.md"
          "tool.rs"
        ]
        [ ]
      ];
    };
    testIntersectionErrors = {
      expr = [
        (setFails (fs.intersection (at "missing") root))
        (setFails (fs.intersection root (at "missing")))
        # Both arguments are checked, even when the first is empty.
        (setFails (fs.intersection (fs.unions [ ]) 1))
      ];
      expected = [
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ difference
    testDifference = {
      expr = files (fs.difference root (fs.union (at "src") (at "crates")));
      expected = topFiles ++ [
        "docs/guide.md"
        "docs/img/logo.txt"
      ];
    };
    testDifferenceCases = {
      expr = [
        (files (fs.difference (at "src") (at "src")))
        (files (fs.difference (at "src/main.rs") (at "src")))
        (files (fs.difference (at "src/main.rs") (at "src/main.rs")))
        (files (fs.difference (at "src") (at "docs")))
        (files (fs.difference (at "src") (at "src/bin")))
        (files (fs.difference (at "src") (fs.unions [ ])))
        (files (fs.difference (fs.unions [ ]) (at "src")))
      ];
      expected = [
        [ ]
        [ ]
        [ ]
        srcFiles
        [
          "src/lib.rs"
          "src/link.rs"
          "src/main.rs"
        ]
        srcFiles
        [ ]
      ];
    };
    # nixpkgs' example: a directory without some files named in a set.
    testDifferenceOfUnion = {
      expr = files (
        fs.difference (at "crates") (fs.unions [
          (at "crates/a/Cargo.toml")
          (at "crates/b")
          (at "Cargo.toml")
        ])
      );
      expected = [ "crates/a/src/lib.rs" ];
    };
    # Difference keeps the positive side's base: taking a directory away does
    # not let the rest fit under that directory.
    testDifferenceKeepsBase = {
      expr = [
        (keptFiles (
          fs.toSource {
            root = at "src";
            fileset = fs.difference (at "src") (at "docs");
          }
        ))
        (fails (
          fs.toSource {
            root = at "src";
            fileset = fs.difference root (fs.difference root (at "src"));
          }
        ))
      ];
      expected = [
        [
          "bin/"
          "bin/README.md"
          "bin/tool.rs"
          "lib.rs"
          "link.rs"
          "main.rs"
        ]
        true
      ];
    };
    # Nothing to take from: the negative side is not read.
    testDifferenceLazy = {
      expr = files (fs.difference (fs.unions [ ]) (fs.fileFilter neverCalled root));
      expected = [ ];
    };
    testDifferenceErrors = {
      expr = [
        (setFails (fs.difference (at "missing") root))
        (setFails (fs.difference root (at "missing")))
        (setFails (fs.difference (fs.unions [ ]) "x"))
      ];
      expected = [
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ fileFilter
    testFileFilterHasExt = {
      expr = files (fs.fileFilter (file: file.hasExt "rs") root);
      expected = rustFiles;
    };
    # hasExt "toml" matches a dotfile named ".rustfmt.toml" too.
    testFileFilterHasExtDotfile = {
      expr = files (fs.fileFilter (file: file.hasExt "toml") root);
      expected = [
        ".rustfmt.toml"
        "Cargo.toml"
        "crates/a/Cargo.toml"
        "crates/b/Cargo.toml"
      ];
    };
    # Any trailing extension, not only the last one.
    testFileFilterHasExtMulti = {
      expr = [
        (files (fs.fileFilter (file: file.hasExt "gz") root))
        (files (fs.fileFilter (file: file.hasExt "tar.gz") root))
        (files (fs.fileFilter (file: file.hasExt "tar") root))
        (files (fs.fileFilter (file: file.hasExt "") root))
      ];
      expected = [
        [ "data.tar.gz" ]
        [ "data.tar.gz" ]
        [ ]
        [ ]
      ];
    };
    testFileFilterName = {
      expr = files (fs.fileFilter (file: file.name == "Cargo.toml") root);
      expected = [
        "Cargo.toml"
        "crates/a/Cargo.toml"
        "crates/b/Cargo.toml"
      ];
    };
    testFileFilterType = {
      expr = [
        (files (fs.fileFilter (file: file.type == "symlink") root))
        (files (fs.fileFilter (file: file.type == "regular") (at "src")))
      ];
      expected = [
        [ "src/link.rs" ]
        [
          "src/bin/README.md"
          "src/bin/tool.rs"
          "src/lib.rs"
          "src/main.rs"
        ]
      ];
    };
    # The predicate sees files only, never directories.
    testFileFilterFilesOnly = {
      expr = files (
        fs.fileFilter (
          file:
          assert file.type != "directory";
          true
        ) root
      );
      expected = allFiles;
    };
    # Inside a subdirectory, the base is that subdirectory.
    testFileFilterSubdirectory = {
      expr = [
        (files (fs.fileFilter (file: file.hasExt "rs") (at "crates")))
        (keptFiles (
          fs.toSource {
            root = at "crates";
            fileset = fs.fileFilter (file: file.hasExt "toml") (at "crates");
          }
        ))
      ];
      expected = [
        [
          "crates/a/src/lib.rs"
          "crates/b/benches/bench.rs"
          "crates/b/src/lib.rs"
        ]
        [
          "a/"
          "a/Cargo.toml"
          "b/"
          "b/Cargo.toml"
        ]
      ];
    };
    testFileFilterSingleFile = {
      expr = [
        (files (
          fs.fileFilter (
            file:
            assert file.name == "main.rs";
            true
          ) (at "src/main.rs")
        ))
        (files (fs.fileFilter (_: false) (at "src/main.rs")))
      ];
      expected = [
        [ "src/main.rs" ]
        [ ]
      ];
    };
    # The documented way to filter a file set.
    testFileFilterIntersection = {
      expr = files (fs.intersection (fs.difference root (at "crates")) (fs.fileFilter (file: file.hasExt "md") root));
      expected = [
        "README.md"
        "docs/guide.md"
        "src/bin/README.md"
      ];
    };
    testFileFilterErrors = {
      expr = [
        (setFails (fs.fileFilter null root))
        (setFails (fs.fileFilter (_: true) (fs.union root root)))
        (setFails (fs.fileFilter (_: true) rootString))
        (setFails (fs.fileFilter (_: true) (at "missing")))
        # (A predicate without `...`, or one not returning a Boolean, fails with
        # an error tryEval cannot catch: see ./failing.nix.)
      ];
      expected = [
        true
        true
        true
        true
      ];
    };
    testFileFilterOpenPattern = {
      expr = files (
        fs.fileFilter (
          {
            name,
            type,
            hasExt,
            ...
          }:
          hasExt "md" && type == "regular" && name != "README.md"
        ) root
      );
      expected = [ "docs/guide.md" ];
    };

    # ------------------------------------------------------------ fromSource
    testFromSourcePath = {
      expr = [
        (files (fs.fromSource (at "docs")))
        (files (fs.fromSource (at "LICENSE")))
      ];
      expected = [
        [
          "docs/guide.md"
          "docs/img/logo.txt"
        ]
        [ "LICENSE" ]
      ];
    };
    testFromSourceCleanSourceWith = {
      expr = files (fs.fromSource cleaned);
      expected = builtins.filter (f: !hasPrefix "crates/" f && f != "docs/img/logo.txt") allFiles;
    };
    testFromSourceSuffices = {
      expr = files (fs.fromSource (lib.sourceFilesBySuffices root [ ".md" ]));
      expected = [
        "README.md"
        "docs/guide.md"
        "src/bin/README.md"
      ];
    };
    # The filter gets builtins.path's arguments: path strings and types.
    testFromSourceFilterArguments = {
      expr = files (
        fs.fromSource (
          lib.cleanSourceWith {
            src = root;
            filter =
              path: type:
              assert builtins.isString path;
              assert hasPrefix "${rootString}/" path;
              assert type == lib.filesystem.pathType (/. + path);
              type != "symlink";
          }
        )
      );
      expected = lib.remove "src/link.rs" allFiles;
    };
    # Not called on the root, nor inside a rejected directory.
    testFromSourceFilterCalls = {
      expr = files (
        fs.fromSource (
          lib.cleanSourceWith {
            src = root;
            filter =
              path: _type:
              assert path != rootString;
              assert !hasPrefix "${rootString}/src/" path;
              path != "${rootString}/src";
          }
        )
      );
      expected = builtins.filter (f: !hasPrefix "src/" f) allFiles;
    };
    # Only the part of the tree a later intersection keeps is filtered.
    testFromSourceLazy = {
      expr = files (
        fs.intersection (at "docs") (
          fs.fromSource (
            lib.cleanSourceWith {
              src = root;
              filter =
                path: _type:
                assert path == "${rootString}/docs" || hasPrefix "${rootString}/docs/" path;
                true;
            }
          )
        )
      );
      expected = [
        "docs/guide.md"
        "docs/img/logo.txt"
      ];
    };
    # Like builtins.path: a single file is kept whatever the filter says.
    testFromSourceFile = {
      expr = files (
        fs.fromSource (
          lib.cleanSourceWith {
            src = at "README.md";
            filter = _: _: false;
          }
        )
      );
      expected = [ "README.md" ];
    };
    # Composed cleanSourceWith filters (both apply).
    testFromSourceNested = {
      expr = files (
        fs.fromSource (
          lib.cleanSourceWith {
            src = cleaned;
            filter = path: _type: !lib.hasSuffix ".md" path;
          }
        )
      );
      expected = builtins.filter (
        f: !hasPrefix "crates/" f && f != "docs/img/logo.txt" && !lib.hasSuffix ".md" f
      ) allFiles;
    };
    testFromSourceErrors = {
      expr = [
        (setFails (fs.fromSource null))
        (setFails (fs.fromSource rootString))
        (setFails (fs.fromSource (lib.cleanSource "")))
        (setFails (fs.fromSource (lib.cleanSource null)))
        (setFails (fs.fromSource (at "missing")))
        (setFails (fs.fromSource (fs.union root root)))
      ];
      expected = [
        true
        true
        true
        true
        true
        true
      ];
    };

    # ------------------------------------------------------------ toSource
    testToSourceShape = {
      expr = {
        inherit (everything) _isLibCleanSourceWith name;
        origSrcIsRoot = everything.origSrc == root;
        filter = builtins.isFunction everything.filter;
        outPath = builtins.match "${builtins.storeDir}/[a-z0-9]{32}-source" everything.outPath != null;
      };
      expected = {
        _isLibCleanSourceWith = true;
        name = "source";
        origSrcIsRoot = true;
        filter = true;
        outPath = true;
      };
    };
    # All files of the root: the same store path as cleanSourceWith without a
    # filter (nixpkgs' own check of the result's name).
    testToSourceSameAsCleanSourceWith = {
      expr =
        everything.outPath
        == (lib.cleanSourceWith {
          name = "source";
          src = root;
        }).outPath;
      expected = true;
    };
    # A root above the file set's files: the directories leading to them, only.
    testToSourceRootAbove = {
      expr = keptFiles (
        fs.toSource {
          inherit root;
          fileset = at "src/bin/tool.rs";
        }
      );
      expected = [
        "src/"
        "src/bin/"
        "src/bin/tool.rs"
      ];
    };
    # Directories whose files are all left out are not copied.
    testToSourceNoEmptyDirectories = {
      expr = keptFiles (
        fs.toSource {
          inherit root;
          fileset = fs.difference (at "docs") (at "docs/img/logo.txt");
        }
      );
      expected = [
        "docs/"
        "docs/guide.md"
      ];
    };
    # The filter keeps nothing outside the file set, nor outside the root.
    testToSourceFilter = {
      expr =
        let
          inherit
            (fs.toSource {
              inherit root;
              fileset = at "src/main.rs";
            })
            filter
            ;
        in
        [
          (filter "${rootString}/src" "directory")
          (filter "${rootString}/src/main.rs" "regular")
          (filter "${rootString}/src/lib.rs" "regular")
          (filter "${rootString}/docs" "directory")
          (filter "${rootString}/srcx" "directory")
          (filter "/elsewhere/src/main.rs" "regular")
        ];
      expected = [
        true
        true
        false
        false
        false
        false
      ];
    };
    # Usable wherever a cleanSourceWith result is: as another one's src.
    testToSourceInCleanSourceWith = {
      expr = keptFiles (
        lib.cleanSourceWith {
          src = fs.toSource {
            inherit root;
            fileset = at "src";
          };
          filter = path: _type: baseNameOf path != "bin";
        }
      );
      expected = [
        "src/"
        "src/lib.rs"
        "src/link.rs"
        "src/main.rs"
      ];
    };
    testToSourceErrors = {
      expr = [
        (fails (
          fs.toSource {
            root = rootString;
            fileset = root;
          }
        ))
        (fails (
          fs.toSource {
            root = 10;
            fileset = root;
          }
        ))
        (fails (
          fs.toSource {
            root = lib.cleanSource root;
            fileset = root;
          }
        ))
        (fails (
          fs.toSource {
            root = at "missing";
            fileset = root;
          }
        ))
        (fails (
          fs.toSource {
            root = at "Cargo.toml";
            fileset = at "Cargo.toml";
          }
        ))
        # The file set could hold files outside the root.
        (fails (
          fs.toSource {
            root = at "src";
            fileset = root;
          }
        ))
        (fails (
          fs.toSource {
            root = at "src";
            fileset = at "docs/guide.md";
          }
        ))
        (fails (
          fs.toSource {
            inherit root;
            fileset = at "missing";
          }
        ))
        (fails (
          fs.toSource {
            inherit root;
            fileset = rootString;
          }
        ))
        (fails (
          fs.toSource {
            inherit root;
            fileset = cleaned;
          }
        ))
        # The file set is evaluated even where nothing would need it.
        (fails (
          fs.toSource {
            inherit root;
            fileset = throw "evaluated";
          }
        ))
      ];
      expected = lib.replicate 11 true;
    };

    # ------------------------------------------------------------ gitTracked
    testGitTrackedErrors = {
      expr = [
        (setFails (fs.gitTracked null))
        (setFails (fs.gitTracked rootString))
        (setFails (fs.gitTracked (at "Cargo.toml")))
        (setFails (fs.gitTrackedWith { } null))
        (setFails (fs.gitTrackedWith { recurseSubmodules = null; } root))
        (setFails (fs.gitTrackedWith { } (at "Cargo.toml")))
      ];
      expected = lib.replicate 6 true;
    };
    # A working-tree directory that is not a repository's root is an error; a
    # store path without .git is taken to be fetched already (all its files).
    testGitTrackedFixture = {
      expr =
        if inStore then
          files (fs.gitTracked root)
        else
          setFails (fs.gitTracked root);
      expected = if inStore then allFiles else true;
    };

    # ------------------------------------------------------------ trace
    testTrace = {
      expr = [
        (fs.trace (at "src/bin") 42)
        (fs.trace (fs.unions [ ]) "empty")
        (files (fs.traceVal (fs.union (at "src/bin") (at "docs/guide.md"))))
      ];
      expected = [
        42
        "empty"
        [
          "docs/guide.md"
          "src/bin/README.md"
          "src/bin/tool.rs"
        ]
      ];
    };
    testTraceErrors = {
      expr = [
        (fails (fs.trace null 1))
        (setFails (fs.traceVal (at "missing")))
      ];
      expected = [
        true
        true
      ];
    };
  }
  # The realised sources, as the filter decides at eval time.
  // lib.mapAttrs' (
    name: source:
    lib.nameValuePair "testSource-${name}" {
      expr = keptFiles source.src;
      inherit (source) expected;
    }
  ) sources
  # From a checkout: the files git tracks, through builtins.fetchGit of the
  # repository (the fixture's files are all tracked, or staged).
  // lib.optionalAttrs (!inStore && builtins.pathExists (root + "/../../../../../.git")) {
    testGitTrackedRepository = {
      expr = files (fs.intersection root (fs.gitTracked (root + "/../../../../..")));
      expected = allFiles;
    };
  };

  names = builtins.attrNames tests;
  failures = builtins.concatMap (
    name:
    let
      t = tests.${name};
    in
    if t.expr == t.expected then [ ] else [ "${name}: expected ${render t.expected} got ${render t.expr}" ]
  ) names;
in
{
  count = builtins.length names;
  inherit failures sources;
}
