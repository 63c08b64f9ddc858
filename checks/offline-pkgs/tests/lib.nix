# Tests for the offline nixpkgs-lib stand-in (../lib).
#
#   nix-instantiate --eval --strict --json -E \
#     'let lib = import ./checks/offline-pkgs/lib { }; in import ./checks/offline-pkgs/tests/lib.nix { inherit lib; }'
#
# Gives { count = <number of cases>; failures = [ "<name>: expected <json> got <json>" ... ]; }.
# Cases are `name = { expr; expected; }`, compared with `==` like lib.runTests.
# Expected values follow nixpkgs' documented behaviour (and its lib/tests).
# Some cases print "evaluation warning: ..." traces on stderr; that is expected.
{ lib }:

let
  fixtures = ./fixtures/lib;
  src = fixtures + "/src";

  inherit (import ./helpers.nix { inherit lib; }) fails render keptFiles;

  # Every fixture file. Expectations are intersected with it, so a checkout that
  # lacks the junk files (a global gitignore for *.o, *~, *.swp) still passes;
  # the filter decisions on those names are also tested directly.
  allFixtureFiles = keptFiles (lib.cleanSourceWith { inherit src; });
  present = builtins.filter (f: builtins.elem f allFixtureFiles);

  # A derivation-shaped set without a real derivation behind it.
  fakeDrv =
    {
      name ? "foo-1.0",
      outputs ? [ "out" ],
      extra ? { },
    }:
    let
      self = {
        type = "derivation";
        inherit name outputs;
        outPath = "/nix/store/00000000000000000000000000000000-${name}";
      }
      // builtins.listToAttrs (
        map (o: {
          name = o;
          value = self // {
            outPath = "/nix/store/00000000000000000000000000000000-${name}-${o}";
            outputName = o;
            outputSpecified = true;
          };
        }) outputs
      )
      // extra;
    in
    self;

  # A mkDerivation-like function: an attrset with overrideAttrs.
  fakeMk =
    args:
    args
    // {
      name = "${args.pname}-${args.version}";
      overrideAttrs = f: fakeMk (args // f args);
    };

  pkgFn =
    {
      pname ? "foo",
      version ? "1.0",
      dep,
    }:
    fakeMk {
      inherit pname version;
      depName = dep;
    };

  overridable = lib.makeOverridable pkgFn { dep = "d"; };

  callCheck = import ../lib/call-package-check.nix { inherit lib; };

  scope = lib.makeScope lib.callPackageWith (self: {
    dep = "dep-1";
    app = self.callPackage ({ dep }: { name = "app-with-${dep}"; }) { };
  });
  scope2 = scope.overrideScope (final: prev: { dep = "dep-2"; });

  # A constructDrv for extendMkDerivation: takes fixed-point args, resolves them.
  fakeConstruct = lib.setFunctionArgs (
    argsOrFun:
    let
      final = lib.fix (lib.toFunction argsOrFun);
    in
    {
      inherit (final) name;
      passthru = final.passthru or { };
      args = final;
    }
  ) {
    name = false;
    src = true;
  };
  mkLocal = lib.extendMkDerivation {
    constructDrv = fakeConstruct;
    excludeDrvArgNames = [ "specialArg" ];
    extendDrvArgs =
      finalAttrs:
      {
        preferLocal ? true,
        specialArg ? null,
        ...
      }@args:
      {
        inherit preferLocal;
        passthru = {
          inherit specialArg;
        }
        // args.passthru or { };
      };
  };

  long300 = lib.concatStrings (lib.replicate 100 "a") + "!" + lib.concatStrings (lib.replicate 199 "b");

  cleanedInner = lib.cleanSourceWith {
    src = src;
    filter = path: type: !(lib.hasSuffix ".o" (baseNameOf path));
  };
  cleanedNested = lib.cleanSourceWith {
    src = cleanedInner;
    filter = path: type: baseNameOf path != "notes.md";
  };
  cleanedNamed = lib.cleanSourceWith {
    src = cleanedInner;
    name = "custom";
  };

  tests = {
    # ---------------------------------------------------------------- strings
    testEscapeShellArgEmpty = {
      expr = lib.escapeShellArg "";
      expected = "''";
    };
    testEscapeShellArgSpace = {
      expr = lib.escapeShellArg "a b";
      expected = "'a b'";
    };
    testEscapeShellArgQuote = {
      expr = lib.escapeShellArg "it's";
      expected = "'it'\\''s'";
    };
    testEscapeShellArgSafeChars = {
      expr = lib.escapeShellArg "a/b-c.d_e+f:g@h%i,j";
      expected = "a/b-c.d_e+f:g@h%i,j";
    };
    testEscapeShellArgDollar = {
      expr = lib.escapeShellArg "$HOME";
      expected = "'$HOME'";
    };
    testEscapeShellArgInt = {
      expr = lib.escapeShellArg 5;
      expected = "5";
    };
    testEscapeShellArgs = {
      expr = lib.escapeShellArgs [
        "one"
        "two three"
        "four'five"
      ];
      expected = "one 'two three' 'four'\\''five'";
    };
    testSplitStringEmptyField = {
      expr = lib.splitString "," "a,,b";
      expected = [
        "a"
        ""
        "b"
      ];
    };
    testSplitStringEdges = {
      expr = lib.splitString "," ",a,";
      expected = [
        ""
        "a"
        ""
      ];
    };
    testSplitStringLiteralDot = {
      expr = lib.splitString "." "a.b.c";
      expected = [
        "a"
        "b"
        "c"
      ];
    };
    testSplitStringMultiChar = {
      expr = lib.splitString "::" "a::b:c";
      expected = [
        "a"
        "b:c"
      ];
    };
    testSplitStringEmpty = {
      expr = lib.splitString "," "";
      expected = [ "" ];
    };
    testRemovePrefixNoMatch = {
      expr = lib.removePrefix "xxx" "foo.bar";
      expected = "foo.bar";
    };
    testRemovePrefixOnce = {
      expr = lib.removePrefix "ab" "ababc";
      expected = "abc";
    };
    testRemoveSuffix = {
      expr = [
        (lib.removeSuffix "front" "homefront")
        (lib.removeSuffix "xxx" "homefront")
        (lib.removeSuffix "long-suffix" "short")
      ];
      expected = [
        "home"
        "homefront"
        "short"
      ];
    };
    testHasPrefixSuffixInfix = {
      expr = [
        (lib.hasPrefix "foo" "foobar")
        (lib.hasPrefix "foo" "barfoo")
        (lib.hasSuffix "foo" "barfoo")
        (lib.hasSuffix "barfoo" "foo")
        (lib.hasInfix "b.r" "foobar")
        (lib.hasInfix "b.r" "foob.rbaz")
        (lib.hasInfix "" "x")
      ];
      expected = [
        true
        false
        true
        false
        false
        true
        true
      ];
    };
    testSanitizeLeadingDots = {
      expr = lib.sanitizeDerivationName ".foo";
      expected = "foo";
    };
    testSanitizeInvalidRuns = {
      expr = lib.sanitizeDerivationName "foo bar!!baz";
      expected = "foo-bar-baz";
    };
    testSanitizeDocExample = {
      expr = lib.sanitizeDerivationName "../hello.bar # foo";
      expected = "-hello.bar-foo";
    };
    testSanitizeEmpty = {
      expr = lib.sanitizeDerivationName "";
      expected = "unknown";
    };
    testSanitizeOnlyDots = {
      expr = lib.sanitizeDerivationName "...";
      expected = "unknown";
    };
    testSanitizeValidUnchanged = {
      expr = lib.sanitizeDerivationName "hello-2.12.1+x_y?z=w";
      expected = "hello-2.12.1+x_y?z=w";
    };
    testSanitizeTruncateKeepsLast207 = {
      expr =
        let
          r = lib.sanitizeDerivationName long300;
        in
        [
          (builtins.stringLength r)
          r
        ];
      expected = [
        207
        (lib.concatStrings (lib.replicate 7 "a") + "-" + lib.concatStrings (lib.replicate 199 "b"))
      ];
    };
    testSanitizeLongValid = {
      expr = lib.sanitizeDerivationName (lib.concatStrings (lib.replicate 210 "c"));
      expected = lib.concatStrings (lib.replicate 207 "c");
    };
    testTrim = {
      expr = [
        (lib.trim "  \t hello, world! \n ")
        (lib.trim "   ")
        (lib.trim "")
        (lib.strings.trimWith { start = true; } "  x  ")
        (lib.strings.trimWith { end = true; } "  x  ")
      ];
      expected = [
        "hello, world!"
        ""
        ""
        "x  "
        "  x"
      ];
    };
    testConcatHelpers = {
      expr = [
        (lib.concatMapStrings (x: "a" + x) [
          "foo"
          "bar"
        ])
        (lib.concatMapStringsSep "-" lib.toUpper [
          "foo"
          "bar"
        ])
        (lib.concatImapStrings (i: x: "${toString i}-${x}") [
          "a"
          "b"
        ])
        (lib.concatStrings [
          "a"
          "b"
        ])
        (lib.concatStringsSep "/" [
          "usr"
          "bin"
        ])
      ];
      expected = [
        "afooabar"
        "FOO-BAR"
        "1-a2-b"
        "ab"
        "usr/bin"
      ];
    };
    testConcatLines = {
      expr = [
        (lib.concatLines [
          "foo"
          "bar"
        ])
        (lib.concatLines [ ])
      ];
      expected = [
        "foo\nbar\n"
        ""
      ];
    };
    testIntersperse = {
      expr = [
        (lib.intersperse "/" [
          "usr"
          "local"
          "bin"
        ])
        (lib.intersperse "/" [ "x" ])
        (lib.intersperse "/" [ ])
      ];
      expected = [
        [
          "usr"
          "/"
          "local"
          "/"
          "bin"
        ]
        [ "x" ]
        [ ]
      ];
    };
    testEscapeAndRegex = {
      expr = [
        (lib.escape [ "(" ")" ] "(foo)")
        (lib.escapeRegex "[^a-z]*")
        (lib.escapeNixString "hello\${}\n")
        (builtins.match (lib.escapeRegex "a.b+c") "a.b+c" != null)
      ];
      expected = [
        "\\(foo\\)"
        "\\[\\^a-z]\\*"
        "\"hello\\\${}\\n\""
        true
      ];
    };
    testToShellVar = {
      expr = [
        (lib.strings.toShellVar "foo" "some string")
        (lib.strings.toShellVar "arr" [
          "a"
          "b c"
        ])
        (fails (lib.strings.toShellVar "0bad" "x"))
      ];
      expected = [
        "foo='some string'"
        "declare -a arr=(a 'b c')"
        true
      ];
    };
    testCaseAndChars = {
      expr = [
        (lib.toLower "HeLLo-1")
        (lib.toUpper "HeLLo-1")
        (lib.stringToCharacters "abc")
        (lib.stringToCharacters "")
      ];
      expected = [
        "hello-1"
        "HELLO-1"
        [
          "a"
          "b"
          "c"
        ]
        [ ]
      ];
    };
    testFixedWidth = {
      expr = [
        (lib.fixedWidthString 5 "0" "15")
        (lib.fixedWidthNumber 5 15)
        (lib.fixedWidthNumber 2 15)
        (fails (lib.fixedWidthString 1 "0" "15"))
      ];
      expected = [
        "00015"
        "00015"
        "15"
        true
      ];
    };
    testSearchPaths = {
      expr = [
        (lib.makeSearchPath "bin" [
          "/root"
          null
          "/usr"
        ])
        (lib.makeBinPath [
          (fakeDrv {
            name = "a";
            outputs = [
              "out"
              "bin"
            ];
          })
          (fakeDrv { name = "b"; })
        ])
        (lib.makeLibraryPath [ "/usr" ])
        (lib.makeSearchPathOutput "dev" "include" [ (fakeDrv { name = "c"; }) ])
      ];
      expected = [
        "/root/bin:/usr/bin"
        "/nix/store/00000000000000000000000000000000-a-bin/bin:/nix/store/00000000000000000000000000000000-b-out/bin"
        "/usr/lib"
        "/nix/store/00000000000000000000000000000000-c-out/include"
      ];
    };
    testIsStorePath = {
      expr = [
        (lib.isStorePath "${builtins.storeDir}/d945ibfx9x185xf04b890y4f9g3cbb63-python-2.7.11")
        (lib.isStorePath "${builtins.storeDir}/d945ibfx9x185xf04b890y4f9g3cbb63-python-2.7.11/bin/python")
        (lib.isStorePath 42)
        (lib.isStorePath { })
        (lib.isStorePath [ ])
      ];
      expected = [
        true
        false
        false
        false
        false
      ];
    };
    testIsConvertibleWithToString = {
      expr = map lib.strings.isConvertibleWithToString [
        "s"
        1
        null
        true
        [
          1
          "a"
        ]
        { outPath = "/x"; }
        { }
        [ { } ]
      ];
      expected = [
        true
        true
        true
        true
        true
        true
        false
        false
      ];
    };
    testToInt = {
      expr = [
        (lib.toInt "1337")
        (lib.toInt "-4")
        (lib.toInt " 123 ")
        (lib.toInt "0")
        (fails (lib.toInt "00024"))
        (fails (lib.toInt "3.14"))
        (fails (lib.toInt "abc"))
        (lib.strings.toIntBase10 "00024")
      ];
      expected = [
        1337
        (-4)
        123
        0
        true
        true
        true
        24
      ];
    };
    testVersionCompare = {
      expr = [
        (lib.versionOlder "1.9" "1.10")
        (lib.versionOlder "1.10" "1.9")
        (lib.versionAtLeast "1.10" "1.9")
        (lib.versionAtLeast "1.1" "1.1")
        (lib.versionOlder "1.1" "1.1")
        (lib.versionAtLeast "1.0pre" "1.0")
      ];
      expected = [
        true
        false
        true
        true
        false
        false
      ];
    };
    testVersions = {
      expr = [
        (lib.versions.major "1.2.3")
        (lib.versions.minor "1.2.3")
        (lib.versions.patch "1.2.3")
        (lib.versions.majorMinor "1.2.3")
        (lib.versions.splitVersion "1.2-rc1")
        (lib.versions.pad 3 "1.2-beta")
      ];
      expected = [
        "1"
        "2"
        "3"
        "1.2"
        [
          "1"
          "2"
          "rc"
          "1"
        ]
        "1.2.0-beta"
      ];
    };
    testGetNameVersion = {
      expr = [
        (lib.getName "youtube-dl-2016.01.01")
        (lib.getVersion "youtube-dl-2016.01.01")
        (lib.getName {
          pname = "p";
          name = "x-1";
        })
      ];
      expected = [
        "youtube-dl"
        "2016.01.01"
        "p"
      ];
    };
    testFeatureFlags = {
      expr = [
        (lib.enableFeature true "shared")
        (lib.enableFeatureAs false "shared" (throw "ignored"))
        (lib.withFeatureAs true "ssl" "openssl")
        (lib.strings.cmakeBool "X" false)
        (lib.strings.mesonEnable "docs" true)
      ];
      expected = [
        "--enable-shared"
        "--disable-shared"
        "--with-ssl=openssl"
        "-DX:BOOL=FALSE"
        "-Ddocs=enabled"
      ];
    };
    testLevenshtein = {
      expr = [
        (lib.strings.levenshtein "book" "hook")
        (lib.strings.levenshtein "hello" "Heyo")
        (lib.strings.levenshteinAtMost 1 "foo" "boa")
        (lib.strings.levenshteinAtMost 2 "foo" "boa")
        (lib.strings.levenshteinAtMost 2 "This is a sentence" "this is a sentense.")
      ];
      expected = [
        1
        3
        false
        true
        false
      ];
    };

    # ---------------------------------------------------------------- attrsets
    testOptionalHelpers = {
      expr = [
        (lib.optionalString true "x")
        (lib.optionalString false "x")
        (lib.optional true 1)
        (lib.optional false 1)
        (lib.optionals true [
          1
          2
        ])
        (lib.optionals false [ 1 ])
        (lib.optionalAttrs true { a = 1; })
        (lib.optionalAttrs false { a = 1; })
      ];
      expected = [
        "x"
        ""
        [ 1 ]
        [ ]
        [
          1
          2
        ]
        [ ]
        { a = 1; }
        { }
      ];
    };
    testMapAttrsToListSorted = {
      expr = lib.mapAttrsToList (n: v: "${n}=${toString v}") {
        b = 1;
        a = 2;
        c = 3;
      };
      expected = [
        "a=2"
        "b=1"
        "c=3"
      ];
    };
    testAttrsToList = {
      expr = lib.attrsToList {
        foo = 1;
        bar = "asdf";
      };
      expected = [
        {
          name = "bar";
          value = "asdf";
        }
        {
          name = "foo";
          value = 1;
        }
      ];
    };
    testFilterAttrs = {
      expr = lib.filterAttrs (n: v: n == "foo" || v > 5) {
        foo = 1;
        bar = 2;
        baz = 9;
      };
      expected = {
        foo = 1;
        baz = 9;
      };
    };
    testFilterAttrsRecursiveNested = {
      expr = lib.filterAttrsRecursive (n: v: v != null) {
        a = null;
        b = {
          c = null;
          d = {
            e = null;
            f = 1;
          };
        };
        drv = {
          type = "derivation";
          x = null;
        };
      };
      expected = {
        b = {
          d = {
            f = 1;
          };
        };
        drv = {
          type = "derivation";
        };
      };
    };
    testMapAttrsPrime = {
      expr = lib.mapAttrs' (n: v: lib.nameValuePair "foo_${n}" "bar-${v}") {
        x = "a";
        y = "b";
      };
      expected = {
        foo_x = "bar-a";
        foo_y = "bar-b";
      };
    };
    testMapAttrsRecursive = {
      expr = lib.mapAttrsRecursive (path: v: lib.concatStringsSep "-" (path ++ [ v ])) {
        n = {
          a = "A";
          m = {
            b = "B";
          };
        };
        d = "D";
      };
      expected = {
        n = {
          a = "n-a-A";
          m = {
            b = "n-m-b-B";
          };
        };
        d = "d-D";
      };
    };
    testMapAttrsRecursiveCond = {
      expr =
        lib.mapAttrsRecursiveCond (as: !(lib.isDerivation as)) (path: v: if lib.isDerivation v then v.name else v)
          {
            pkgs.hello = {
              type = "derivation";
              name = "hello";
            };
            other = 1;
          };
      expected = {
        pkgs.hello = "hello";
        other = 1;
      };
    };
    testGenAttrs = {
      expr = lib.genAttrs [
        "foo"
        "bar"
      ] (n: "x_" + n);
      expected = {
        foo = "x_foo";
        bar = "x_bar";
      };
    };
    testMergeAttrsList = {
      expr = [
        (lib.mergeAttrsList [
          {
            a = 0;
            b = 1;
          }
          { c = 2; }
          { a = 5; }
        ])
        (lib.mergeAttrsList [ ])
      ];
      expected = [
        {
          a = 5;
          b = 1;
          c = 2;
        }
        { }
      ];
    };
    testRecursiveUpdate = {
      expr = lib.recursiveUpdate {
        a = {
          b = 1;
          c = 2;
        };
        d = 1;
        e = {
          f = 1;
        };
      } {
        a = {
          b = 3;
        };
        d = {
          g = 1;
        };
        e = 5;
      };
      expected = {
        a = {
          b = 3;
          c = 2;
        };
        d = {
          g = 1;
        };
        e = 5;
      };
    };
    testRecursiveUpdateUntil = {
      expr =
        lib.recursiveUpdateUntil (path: l: r: path == [ "foo" ])
          {
            foo.bar = 1;
            foo.baz = 2;
            bar = 3;
          }
          {
            foo.bar = 1;
            foo.quz = 2;
            baz = 4;
          };
      expected = {
        foo.bar = 1;
        foo.quz = 2;
        bar = 3;
        baz = 4;
      };
    };
    testAttrPaths = {
      expr =
        let
          x = {
            a = {
              b = 3;
            };
          };
        in
        [
          (lib.setAttrByPath [ "a" "b" ] 3)
          (lib.setAttrByPath [ ] 3)
          (lib.getAttrFromPath [ "a" "b" ] x)
          (lib.attrByPath [ "a" "b" ] 6 x)
          (lib.attrByPath [ "z" "z" ] 6 x)
          (lib.attrByPath [ "a" "b" "c" ] 6 x)
          (lib.hasAttrByPath [ "a" "b" ] x)
          (lib.hasAttrByPath [ "a" "z" ] x)
          (lib.hasAttrByPath [ ] (throw "unused"))
        ];
      expected = [
        { a.b = 3; }
        3
        3
        3
        6
        6
        true
        false
        true
      ];
    };
    testUpdateManyAttrsByPath = {
      expr =
        lib.attrsets.updateManyAttrsByPath
          [
            {
              path = [
                "a"
                "b"
              ];
              update = old: { d = old.c; };
            }
            {
              path = [
                "a"
                "b"
                "c"
              ];
              update = old: old + 1;
            }
            {
              path = [
                "x"
                "y"
              ];
              update = old: "xy";
            }
          ]
          { a.b.c = 0; };
      expected = {
        a.b.d = 1;
        x.y = "xy";
      };
    };
    testFoldlAttrs = {
      expr =
        lib.foldlAttrs
          (acc: name: value: {
            sum = acc.sum + value;
            names = acc.names ++ [ name ];
          })
          {
            sum = 0;
            names = [ ];
          }
          {
            foo = 1;
            bar = 10;
          };
      expected = {
        sum = 11;
        names = [
          "bar"
          "foo"
        ];
      };
    };
    testConcatMapAttrs = {
      expr =
        lib.concatMapAttrs
          (name: value: {
            ${name} = value;
            ${name + value} = value;
          })
          {
            x = "a";
            y = "b";
          };
      expected = {
        x = "a";
        xa = "a";
        y = "b";
        yb = "b";
      };
    };
    testCollect = {
      expr = [
        (lib.collect builtins.isList {
          a = {
            b = [ "b" ];
          };
          c = [ 1 ];
        })
        (lib.collect (x: x ? outPath) {
          a = {
            outPath = "a/";
          };
          b = {
            outPath = "b/";
          };
        })
      ];
      expected = [
        [
          [ "b" ]
          [ 1 ]
        ]
        [
          { outPath = "a/"; }
          { outPath = "b/"; }
        ]
      ];
    };
    testAttrValsGetAttrs = {
      expr =
        let
          s = {
            a = 1;
            b = 2;
            c = 3;
          };
        in
        [
          (lib.attrVals [
            "c"
            "a"
          ] s)
          (lib.getAttrs [
            "a"
            "b"
          ] s)
          (lib.catAttrs "a" [
            { a = 1; }
            { b = 0; }
            { a = 2; }
          ])
        ];
      expected = [
        [
          3
          1
        ]
        {
          a = 1;
          b = 2;
        }
        [
          1
          2
        ]
      ];
    };
    testZipAttrs = {
      expr = [
        (lib.zipAttrs [
          { a = "x"; }
          {
            a = "y";
            b = "z";
          }
        ])
        (lib.zipAttrsWithNames [ "a" ] (name: vs: vs) [
          { a = "x"; }
          {
            a = "y";
            b = "z";
          }
        ])
      ];
      expected = [
        {
          a = [
            "x"
            "y"
          ];
          b = [ "z" ];
        }
        {
          a = [
            "x"
            "y"
          ];
        }
      ];
    };
    testCartesianProduct = {
      expr = lib.cartesianProduct {
        a = [
          1
          2
        ];
        b = [
          10
          20
        ];
      };
      expected = [
        {
          a = 1;
          b = 10;
        }
        {
          a = 1;
          b = 20;
        }
        {
          a = 2;
          b = 10;
        }
        {
          a = 2;
          b = 20;
        }
      ];
    };
    testIsDerivation = {
      expr = [
        (lib.isDerivation (fakeDrv { }))
        (lib.isDerivation { type = "other"; })
        (lib.isDerivation "foo")
        (lib.isDerivation { })
      ];
      expected = [
        true
        false
        false
        false
      ];
    };
    testGetOutput = {
      expr =
        let
          multi = fakeDrv {
            name = "m";
            outputs = [
              "out"
              "dev"
              "bin"
            ];
          };
        in
        [
          (toString (lib.getOutput "dev" multi))
          (toString (lib.getOutput "lib" multi))
          (toString (lib.getDev multi.bin))
          (toString (lib.getBin multi))
          (lib.getOutput "dev" { x = 1; })
          (lib.getOutput "dev" {
            out = "O";
          })
        ];
      expected = [
        "/nix/store/00000000000000000000000000000000-m-dev"
        "/nix/store/00000000000000000000000000000000-m-out"
        # outputSpecified pins the output.
        "/nix/store/00000000000000000000000000000000-m-bin"
        "/nix/store/00000000000000000000000000000000-m-bin"
        { x = 1; }
        "O"
      ];
    };
    testGetExe = {
      expr = [
        (lib.getExe (fakeDrv {
          extra.meta.mainProgram = "foo-bin";
        }))
        (lib.getExe' (fakeDrv {
          name = "b";
          outputs = [
            "out"
            "bin"
          ];
        }) "tool")
        (lib.getExe (fakeDrv {
          extra.pname = "fallback";
        }))
        (fails (lib.getExe' (fakeDrv { }) "bin/nested"))
        (fails (lib.getExe' "notadrv" "x"))
      ];
      expected = [
        "/nix/store/00000000000000000000000000000000-foo-1.0-out/bin/foo-bin"
        "/nix/store/00000000000000000000000000000000-b-bin/bin/tool"
        "/nix/store/00000000000000000000000000000000-foo-1.0-out/bin/fallback"
        true
        true
      ];
    };

    # ---------------------------------------------------------------- lists
    testListBasics = {
      expr = [
        (lib.last [
          1
          2
          3
        ])
        (lib.init [
          1
          2
          3
        ])
        (lib.take 2 [
          "a"
          "b"
          "c"
        ])
        (lib.take 5 [ "a" ])
        (lib.drop 2 [
          "a"
          "b"
          "c"
        ])
        (lib.sublist 1 3 [
          "a"
          "b"
          "c"
          "d"
          "e"
        ])
        (lib.sublist 4 3 [ "a" ])
        (fails (lib.last [ ]))
      ];
      expected = [
        3
        [
          1
          2
        ]
        [
          "a"
          "b"
        ]
        [ "a" ]
        [ "c" ]
        [
          "b"
          "c"
          "d"
        ]
        [ ]
        true
      ];
    };
    testFinders = {
      expr = [
        (lib.findFirst (x: x > 3) 7 [
          1
          6
          4
        ])
        (lib.findFirst (x: x > 9) 7 [
          1
          6
          4
        ])
        (lib.findFirstIndex (x: x > 3) null [
          0
          6
          4
        ])
        (lib.findFirstIndex (x: x > 9) null [
          0
          6
          4
        ])
        (lib.findSingle (x: x == 3) "none" "multiple" [
          1
          3
          3
        ])
        (lib.findSingle (x: x == 3) "none" "multiple" [
          1
          3
        ])
        (lib.findSingle (x: x == 3) "none" "multiple" [ 1 ])
      ];
      expected = [
        6
        7
        1
        null
        "multiple"
        3
        "none"
      ];
    };
    testListTransforms = {
      expr = [
        (lib.unique [
          3
          2
          3
          4
        ])
        (lib.flatten [
          1
          [
            2
            [ 3 ]
            4
          ]
          5
        ])
        (lib.flatten 1)
        (lib.range 2 4)
        (lib.range 3 2)
        (lib.count (x: x == 3) [
          3
          2
          3
        ])
        (lib.reverseList [
          "b"
          "o"
          "j"
        ])
        (lib.remove 3 [
          1
          3
          4
          3
        ])
        (lib.subtractLists
          [
            3
            2
          ]
          [
            1
            2
            3
            4
            3
          ]
        )
        (lib.mutuallyExclusive [ 1 ] [ 2 ])
        (lib.mutuallyExclusive [ 1 ] [
          2
          1
        ])
      ];
      expected = [
        [
          3
          2
          4
        ]
        [
          1
          2
          3
          4
          5
        ]
        [ 1 ]
        [
          2
          3
          4
        ]
        [ ]
        2
        [
          "j"
          "o"
          "b"
        ]
        [
          1
          4
        ]
        [
          1
          4
        ]
        true
        false
      ];
    };
    testZipAndIndexMaps = {
      expr = [
        (lib.zipLists [ 1 2 3 ] [ "a" "b" ])
        (lib.zipListsWith (a: b: a + b) [ "h" "l" ] [ "e" "o" ])
        (lib.imap0 (i: v: "${v}-${toString i}") [ "a" "b" ])
        (lib.imap1 (i: v: "${v}-${toString i}") [ "a" "b" ])
        (lib.concatMap (x: [ x ] ++ [ "z" ]) [ "a" "b" ])
      ];
      expected = [
        [
          {
            fst = 1;
            snd = "a";
          }
          {
            fst = 2;
            snd = "b";
          }
        ]
        [ "he" "lo" ]
        [ "a-0" "b-1" ]
        [ "a-1" "b-2" ]
        [ "a" "z" "b" "z" ]
      ];
    };
    testFolds = {
      expr = [
        (lib.foldr (a: b: a + b) "z" [ "a" "b" "c" ])
        (lib.foldl (a: b: a + b) "z" [ "a" "b" "c" ])
        (lib.fold (a: b: a + b) "z" [ "a" "b" ])
        (lib.foldl' (acc: x: acc + x) 0 [ 1 2 3 ])
        (lib.foldr (x: acc: acc) 0 [ ])
        # foldl' forces the initial accumulator, even for an empty list.
        (fails (lib.foldl' (a: b: a) (throw "boom") [ ]))
        (lib.foldl (a: b: a) 1 [ (throw "lazy") ])
      ];
      expected = [
        "abcz"
        "zabc"
        "abz"
        6
        0
        true
        1
      ];
    };
    testListsHasPrefix = {
      expr = [
        (lib.lists.hasPrefix [ 1 2 ] [ 1 2 3 4 ])
        (lib.lists.hasPrefix [ 0 1 ] [ 1 2 3 4 ])
        (lib.lists.hasPrefix [ ] [ 1 ])
        (lib.lists.hasPrefix [ 1 2 3 ] [ 1 2 ])
        (lib.lists.removePrefix [ 1 2 ] [ 1 2 3 4 ])
        (fails (lib.lists.removePrefix [ 0 ] [ 1 ]))
      ];
      expected = [
        true
        false
        true
        false
        [ 3 4 ]
        true
      ];
    };
    testGroupBy = {
      expr = [
        (lib.groupBy (x: lib.boolToString (x > 2)) [ 5 1 2 3 4 ])
        (lib.groupBy' builtins.add 0 (x: lib.boolToString (x > 2)) [ 5 1 2 3 4 ])
      ];
      expected = [
        {
          true = [ 5 3 4 ];
          false = [ 1 2 ];
        }
        {
          true = 12;
          false = 3;
        }
      ];
    };
    testSortingHelpers = {
      expr = [
        (lib.naturalSort [ "disk11" "disk8" "disk100" "disk9" ])
        (lib.naturalSort [ "v0.2" "v0.15" "v0.0.9" ])
        (lib.compareLists lib.compare [ ] [ ])
        (lib.compareLists lib.compare [ ] [ "a" ])
        (lib.compareLists lib.compare [ "a" "b" ] [ "a" "c" ])
        (lib.sortOn builtins.stringLength [ "aa" "b" "cccc" ])
        (lib.toposort lib.hasPrefix [ "/home/user" "other" "/" "/home" ])
      ];
      expected = [
        [ "disk8" "disk9" "disk11" "disk100" ]
        [ "v0.0.9" "v0.2" "v0.15" ]
        0
        (-1)
        (-1)
        [ "b" "aa" "cccc" ]
        { result = [ "/" "/home" "/home/user" "other" ]; }
      ];
    };

    # ---------------------------------------------------------------- trivial
    testTrivialCombinators = {
      expr = [
        (lib.id 3)
        (lib.const 5 10)
        (lib.flip lib.concat [ 1 ] [ 2 ])
        (lib.pipe 2 [
          (x: x + 2)
          (x: x * 2)
        ])
        (lib.boolToString true)
        (lib.boolToString false)
        (lib.mod 11 10)
        (lib.mod (-11) 10)
        (lib.min 3 4)
        (lib.max 3 4)
        (lib.toFunction 1 2)
        (lib.toFunction (x: x + 1) 2)
      ];
      expected = [
        3
        5
        [ 2 1 ]
        8
        "true"
        "false"
        1
        (-1)
        3
        4
        1
        3
      ];
    };
    testIsFunction = {
      expr = [
        (lib.isFunction (x: x))
        (lib.isFunction { __functor = self: x: x; })
        (lib.isFunction { })
        (builtins.isFunction { __functor = self: x: x; })
        (lib.isFunction 1)
      ];
      expected = [
        true
        true
        false
        false
        false
      ];
    };
    testFunctionArgs = {
      expr =
        let
          f =
            {
              a,
              b ? 1,
            }:
            a;
          annotated = lib.setFunctionArgs (args: args.a) { a = false; };
          mirrored = lib.mirrorFunctionArgs f (args: args.a + 1);
        in
        [
          (lib.functionArgs f)
          (lib.functionArgs annotated)
          (annotated { a = 4; })
          (lib.functionArgs mirrored)
          (mirrored { a = 4; })
          # A functor without __functionArgs: look through to the function.
          (lib.functionArgs { __functor = self: f; })
        ];
      expected = [
        {
          a = false;
          b = true;
        }
        { a = false; }
        4
        {
          a = false;
          b = true;
        }
        5
        {
          a = false;
          b = true;
        }
      ];
    };
    testWarnings = {
      expr = [
        (lib.warn "this is an expected test warning" 42)
        (lib.warnIf false "not printed" "v")
        (lib.warnIfNot true "not printed" "v")
        (fails (lib.throwIf true "boom" 1))
        (lib.throwIf false "boom" 1)
        (fails (lib.throwIfNot false "boom" 1))
        (lib.throwIfNot true "boom" 1)
      ];
      expected = [
        42
        "v"
        "v"
        true
        1
        true
        1
      ];
    };
    testAsserts = {
      expr = [
        (lib.assertMsg true "unused")
        (fails (lib.assertMsg false "custom message"))
        (fails (assert lib.assertMsg false "custom message"; 1))
        (lib.assertOneOf "color" "red" [ "red" "green" ])
        (fails (lib.assertOneOf "color" "blue" [ "red" "green" ]))
      ];
      expected = [
        true
        true
        true
        true
        true
      ];
    };
    testVersionAndRelease = {
      expr = [
        (builtins.isString lib.version)
        (lib.versionAtLeast lib.version "24.05")
        (lib.versionAtLeast lib.version "25.11")
        lib.trivial.release
        (lib.hasPrefix lib.trivial.release lib.version)
        (builtins.isBool lib.inNixShell)
      ];
      expected = [
        true
        true
        true
        "26.05"
        true
        true
      ];
    };
    testImportJsonToml = {
      expr = [
        (lib.importJSON (fixtures + "/data.json"))
        (lib.importTOML (fixtures + "/data.toml"))
      ];
      expected = [
        {
          a = [ 1 2 ];
          b.c = "d";
        }
        {
          name = "x";
          section.n = 3;
        }
      ];
    };

    # ---------------------------------------------------------------- fixed points
    testFixExtends = {
      expr = [
        (lib.fix (self: {
          a = 1;
          b = self.a + 1;
        }))
        (lib.fix (
          lib.extends
            (final: prev: {
              a = prev.a + 10;
              c = final.b;
            })
            (final: {
              a = 1;
              b = final.a * 2;
            })
        ))
      ];
      expected = [
        {
          a = 1;
          b = 2;
        }
        {
          a = 11;
          b = 22;
          c = 22;
        }
      ];
    };
    testFixPrime = {
      expr =
        let
          r = lib.fix' (self: { a = 1; });
        in
        [
          r.a
          (lib.isFunction r.__unfix__)
          (r.__unfix__ { }).a
        ];
      expected = [
        1
        true
        1
      ];
    };
    testComposeExtensions = {
      expr =
        let
          base = final: {
            a = 1;
            trace = [ ];
          };
          ext1 = final: prev: {
            a = prev.a + 1;
            trace = prev.trace ++ [ "one" ];
          };
          ext2 = final: prev: {
            a = prev.a * 10;
            trace = prev.trace ++ [ "two" ];
          };
        in
        [
          (lib.fix (lib.extends (lib.composeExtensions ext1 ext2) base))
          (lib.fix (lib.extends (lib.composeManyExtensions [ ext2 ext1 ]) base))
          (lib.fix (lib.extends (lib.composeManyExtensions [ ]) base))
        ];
      expected = [
        {
          a = 20;
          trace = [ "one" "two" ];
        }
        {
          a = 11;
          trace = [ "two" "one" ];
        }
        {
          a = 1;
          trace = [ ];
        }
      ];
    };
    testToExtension = {
      expr =
        let
          base = final: {
            a = 0;
            c = final.a;
          };
        in
        [
          (lib.fix (lib.extends (lib.toExtension { a = 1; b = 2; }) base))
          (lib.fix (lib.extends (lib.toExtension (prev: { a = 1; b = prev.a; })) base))
          (lib.fix (
            lib.extends (lib.toExtension (
              final: prev: {
                a = 1;
                b = prev.a;
                c = final.a + 1;
              }
            )) base
          ))
        ];
      expected = [
        {
          a = 1;
          b = 2;
          c = 1;
        }
        {
          a = 1;
          b = 0;
          c = 1;
        }
        {
          a = 1;
          b = 0;
          c = 2;
        }
      ];
    };
    testMakeExtensible = {
      expr =
        let
          obj = lib.makeExtensible (self: {
            foo = "foo";
            foobar = self.foo + "bar";
          });
          obj2 = obj.extend (final: prev: { foo = prev.foo + "!"; });
        in
        [
          obj.foobar
          obj2.foobar
          (obj2 ? extend)
          (lib.extend (final: prev: { extra = 1; })).extra
        ];
      expected = [
        "foobar"
        "foo!bar"
        true
        1
      ];
    };

    # ---------------------------------------------------------------- customisation
    testMakeOverridableOverride = {
      expr = [
        overridable.name
        (overridable.override { version = "2.0"; }).name
        (overridable.override (old: { pname = old.dep; })).name
        (overridable.override { version = "2.0"; }).depName
        (builtins.isFunction overridable.overrideDerivation)
      ];
      expected = [
        "foo-1.0"
        "foo-2.0"
        "d-1.0"
        "d"
        true
      ];
    };
    testOverrideAttrsKeepsOverride = {
      expr =
        let
          changed = overridable.overrideAttrs (old: { version = "3.0"; });
        in
        [
          changed.name
          (changed ? override)
          (changed.override { pname = "bar"; }).name
          ((changed.override { pname = "bar"; }).overrideAttrs (o: { pname = "baz"; })).name
        ];
      expected = [
        "foo-3.0"
        true
        "bar-3.0"
        "baz-3.0"
      ];
    };
    testMakeOverridableArgsMetadata = {
      expr = [
        (lib.functionArgs (lib.makeOverridable pkgFn))
        (lib.functionArgs overridable.override)
        (lib.makeOverridable ({ a }: { x = a; } // { overrideAttrs = null; }) { a = 1; } ? overrideAttrs)
        (lib.makeOverridable ({ a }: { x = a; }) { a = 1; } ? overrideAttrs)
        (lib.makeOverridable ({ a }: a * 2) { a = 21; })
      ];
      expected = [
        {
          pname = true;
          version = true;
          dep = false;
        }
        {
          pname = true;
          version = true;
          dep = false;
        }
        true
        false
        42
      ];
    };
    testMakeOverridableFunctor = {
      expr =
        let
          r = lib.makeOverridable ({ a }: { x }: a + x) { a = 1; };
        in
        [
          (r { x = 2; })
          ((r.override { a = 10; }) { x = 2; })
          (lib.isFunction r)
          (lib.functionArgs r)
        ];
      expected = [
        3
        12
        true
        { x = false; }
      ];
    };
    testCallPackageWith = {
      expr =
        let
          auto = {
            a = 1;
            b = 2;
            c = 3;
          };
          r =
            lib.callPackageWith auto
              (
                {
                  a,
                  b ? 5,
                  d ? 4,
                }:
                {
                  inherit a b d;
                }
              )
              { };
          seen = lib.callPackageWith auto (args@{ a, ... }: { names = builtins.attrNames args; }) { };
          explicit = lib.callPackageWith auto ({ a, e }: { inherit a e; }) { e = 9; };
        in
        [
          (removeAttrs r [
            "override"
            "overrideDerivation"
          ])
          seen.names
          explicit.e
          (r.override { a = 7; }).a
        ];
      expected = [
        {
          a = 1;
          b = 2;
          d = 4;
        }
        [ "a" ]
        9
        7
      ];
    };
    testCallPackageWithPath = {
      expr =
        (lib.callPackageWith { } (fixtures + "/pkg.nix") { x = 2; }).y;
      expected = 3;
    };
    testCallPackageMissingArg = {
      expr =
        let
          fargs = lib.functionArgs (
            {
              zlib,
              a ? 1,
            }:
            null
          );
          msg = callCheck.errorMessage {
            inherit fargs;
            autoArgs = {
              zlibb = 1;
              openssl = 2;
            };
            args = { };
          };
        in
        [
          (callCheck.missingArgs fargs { a = 1; })
          (callCheck.missingArgs fargs { zlib = 1; })
          (lib.hasPrefix "lib.customisation.callPackageWith: Function called without required argument \"zlib\" at " msg)
          (lib.hasSuffix ", did you mean \"zlibb\"?" msg)
          (callCheck.errorMessage {
            inherit fargs;
            autoArgs = {
              zlib = 1;
            };
            args = { };
          })
        ];
      expected = [
        [ "zlib" ]
        [ ]
        true
        true
        null
      ];
    };
    testCallPackageSuggestions = {
      expr = [
        (callCheck.describeSuggestions (callCheck.suggestionsFor { foo = 1; bar = 2; } "baz"))
        (callCheck.describeSuggestions (callCheck.suggestionsFor { fooo = 1; foa = 2; fo = 3; zz = 4; } "foo"))
        (callCheck.describeSuggestions [ ])
      ];
      expected = [
        ", did you mean \"bar\"?"
        ", did you mean \"fo\", \"foa\" or \"fooo\"?"
        ""
      ];
    };
    testMakeScope = {
      expr = [
        scope.app.name
        scope2.app.name
        scope2.dep
        (scope.callPackage ({ dep, app }: "${dep}/${app.name}") { })
        ((scope.newScope { dep = "local"; }) ({ dep }: dep) { })
        (builtins.isFunction scope.packages)
        (scope2.overrideScope (final: prev: { dep = prev.dep + "+"; })).app.name
      ];
      expected = [
        "app-with-dep-1"
        "app-with-dep-2"
        "dep-2"
        "dep-1/app-with-dep-1"
        "local"
        true
        "app-with-dep-2+"
      ];
    };
    testCallPackagesWith = {
      expr =
        let
          set = lib.callPackagesWith { v = 1; } ({ v }: {
            one = { n = v; };
            two = { n = v + 1; };
          }) { };
        in
        [
          set.one.n
          set.two.n
          (set.two.override { v = 10; }).n
        ];
      expected = [
        1
        2
        11
      ];
    };
    testExtendMkDerivation = {
      expr =
        let
          plain = mkLocal {
            name = "x";
            specialArg = 1;
          };
          fp = mkLocal (finalAttrs: {
            name = "y";
            passthru = {
              foo = "a";
              bar = "${finalAttrs.passthru.foo}b";
            };
          });
        in
        [
          (lib.functionArgs mkLocal)
          plain.name
          (plain.args ? specialArg)
          plain.args.preferLocal
          plain.passthru.specialArg
          fp.passthru.bar
          (mkLocal.constructDrv == fakeConstruct)
          mkLocal.excludeDrvArgNames
        ];
      expected = [
        {
          name = false;
          src = true;
          preferLocal = true;
          specialArg = true;
        }
        "x"
        false
        true
        1
        "ab"
        true
        [ "specialArg" ]
      ];
    };
    testExtendMkDerivationOptions = {
      expr =
        let
          mk = lib.extendMkDerivation {
            constructDrv = fakeConstruct;
            inheritFunctionArgs = false;
            excludeFunctionArgNames = [ "old" ];
            extendDrvArgs = finalAttrs: { old ? null, new ? 1 }: { name = "n${toString new}"; };
            transformDrv = drv: drv // { transformed = true; };
          };
          r = mk { new = 2; };
        in
        [
          (lib.functionArgs mk)
          r.name
          r.transformed
        ];
      expected = [
        { new = true; }
        "n2"
        true
      ];
    };

    # ---------------------------------------------------------------- sources
    testCleanSourceFilterDirect = {
      expr = [
        (lib.cleanSourceFilter "/x/.git" "directory")
        (lib.cleanSourceFilter "/x/.git" "regular")
        (lib.cleanSourceFilter "/x/.svn" "directory")
        (lib.cleanSourceFilter "/x/.svn" "regular")
        (lib.cleanSourceFilter "/x/.hg" "directory")
        (lib.cleanSourceFilter "/x/CVS" "directory")
        (lib.cleanSourceFilter "/x/foo.o" "regular")
        (lib.cleanSourceFilter "/x/libfoo.so" "regular")
        (lib.cleanSourceFilter "/x/file.txt~" "regular")
        (lib.cleanSourceFilter "/x/.main.rs.swp" "regular")
        (lib.cleanSourceFilter "/x/.swp" "regular")
        (lib.cleanSourceFilter "/x/result" "symlink")
        (lib.cleanSourceFilter "/x/result-dev" "symlink")
        (lib.cleanSourceFilter "/x/result" "directory")
        (lib.cleanSourceFilter "/x/sock" "unknown")
        (lib.cleanSourceFilter "/x/main.rs" "regular")
        (lib.cleanSourceFilter "/x/src" "directory")
      ];
      expected = [
        false
        false
        false
        true
        false
        false
        false
        false
        false
        false
        false
        false
        false
        true
        false
        true
        true
      ];
    };
    testCleanSourceWithDefaultName = {
      expr = [
        (lib.hasSuffix "-source" (baseNameOf (toString cleanedInner.outPath)))
        cleanedInner.name
        cleanedInner._isLibCleanSourceWith
        (cleanedInner.origSrc == src)
        (lib.hasSuffix "-custom" (baseNameOf (toString cleanedNamed.outPath)))
        # The inner name carries over when the outer one is not given.
        (lib.cleanSourceWith {
          src = cleanedNamed;
        }).name
      ];
      expected = [
        true
        "source"
        true
        true
        true
        "custom"
      ];
    };
    testCleanSourceWithNestedAnd = {
      expr = [
        (keptFiles cleanedInner)
        (keptFiles cleanedNested)
        # The outer filter is tried first; the inner one only sees what it accepts.
        (cleanedNested.filter (toString src + "/drop.o") "regular")
        (cleanedNested.filter (toString src + "/notes.md") "regular")
        (cleanedNested.filter (toString src + "/keep.txt") "regular")
        (cleanedNested.origSrc == src)
      ];
      expected = [
        (present [
          ".main.rs.swp"
          "backup.txt~"
          "keep.txt"
          "main.rs"
          "notes.md"
          "sub/"
          "sub/inner.txt"
        ])
        (present [
          ".main.rs.swp"
          "backup.txt~"
          "keep.txt"
          "main.rs"
          "sub/"
          "sub/inner.txt"
        ])
        false
        false
        true
        true
      ];
    };
    testCleanSource = {
      expr =
        let
          cleaned = lib.cleanSource src;
        in
        [
          (keptFiles cleaned)
          (lib.hasSuffix "-source" (baseNameOf (toString cleaned)))
          (lib.hasSuffix "-x" (baseNameOf (toString (lib.cleanSourceWith { src = cleaned; name = "x"; }))))
        ];
      expected = [
        [
          "keep.txt"
          "main.rs"
          "notes.md"
          "sub/"
          "sub/inner.txt"
        ]
        true
        true
      ];
    };
    testSourceByRegexAndSuffices = {
      expr = [
        (keptFiles (lib.sourceByRegex src [ ".*\\.rs" "sub" "sub/.*\\.txt" ]))
        (keptFiles (lib.sourceByRegex src [ ".*\\.rs" ]))
        (keptFiles (lib.sourceFilesBySuffices src [ ".txt" ]))
        (keptFiles (lib.sourceFilesBySuffices (lib.cleanSource src) [ ".md" ".o" ]))
      ];
      expected = [
        [
          "main.rs"
          "sub/"
          "sub/inner.txt"
        ]
        [ "main.rs" ]
        [
          "keep.txt"
          "sub/"
          "sub/inner.txt"
        ]
        [
          "notes.md"
          "sub/"
        ]
      ];
    };
    testPathType = {
      expr = [
        (lib.pathType (src + "/keep.txt"))
        (lib.pathType src)
        (lib.pathIsDirectory src)
        (lib.pathIsDirectory (src + "/keep.txt"))
        (lib.pathIsDirectory (src + "/does-not-exist"))
        (lib.pathIsRegularFile (src + "/keep.txt"))
        (lib.pathIsRegularFile src)
        (lib.filesystem.pathType (src + "/sub"))
      ];
      expected = [
        "regular"
        "directory"
        true
        false
        false
        true
        false
        "directory"
      ];
    };
    testUrlToName = {
      expr = map lib.sources.urlToName [
        "https://github.com/NixOS/nixpkgs.git"
        "https://github.com/NixOS/nixpkgs"
        "git@github.com:owner/repo.git"
        "https://example.com/foo-1.0.tar.gz"
        "https://example.com/archive.tar.gz.git"
        "https://example.com/some/dir/"
        "/local/path/checkout"
        "ssh://host:2222/repo"
      ];
      expected = [
        "nixpkgs"
        "nixpkgs"
        "repo"
        "foo-1.0"
        "archive"
        "dir"
        "checkout"
        "repo"
      ];
    };
    testShortRevAndRepoNames = {
      expr = [
        (lib.sources.shortRev "refs/tags/v12.0")
        (lib.sources.shortRev "0123456789abcdef0123456789abcdef01234567")
        (lib.sources.shortRev "release-1.2.3")
        (lib.sources.shortRev "main")
        (lib.sources.revOrTag null "v1")
        (lib.sources.revOrTag "abc" null)
        (lib.sources.revOrTag null null)
        (lib.sources.repoRevToName "versioned" "https://github.com/a/b.git" "0123456789abcdef" null)
        (lib.sources.repoRevToName "full" "https://github.com/a/b.git" "refs/tags/v1.0" "fetchgit")
        (lib.sources.repoRevToName "source" "x" "y" "z")
      ];
      expected = [
        "12.0"
        "0123456"
        "1.2.3"
        "main"
        "v1"
        "abc"
        "HEAD"
        "b-0123456-source"
        "b-1.0-fetchgit-source"
        "source"
      ];
    };

    # ---------------------------------------------------------------- constants
    testLicensesAndPlatforms = {
      expr = [
        lib.licenses.mit.spdxId
        lib.licenses.asl20.free
        lib.licenses.gpl3Only.shortName
        (builtins.all (l: l ? fullName && l ? free && l ? shortName) (builtins.attrValues lib.licenses))
        (lib.meta.getLicenseFromSpdxIdOr "mIt" null == lib.licenses.mit)
        (builtins.elem "x86_64-linux" lib.platforms.linux)
        (builtins.elem "aarch64-darwin" lib.platforms.darwin)
        (builtins.elem "x86_64-linux" lib.platforms.unix)
        (builtins.elem "aarch64-darwin" lib.platforms.all)
        lib.maintainers
        lib.fakeHash
      ];
      expected = [
        "MIT"
        true
        "gpl3Only"
        true
        true
        true
        true
        true
        true
        { }
        "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
      ];
    };
    testNamespaces = {
      expr = [
        # Functions cannot be compared with ==, so check presence in both places.
        (builtins.all (n: lib.strings ? ${n} && lib ? ${n}) [
          "optionalString"
          "escapeShellArg"
          "splitString"
          "sanitizeDerivationName"
          "makeBinPath"
          "versionAtLeast"
        ])
        (lib.strings ? isConvertibleWithToString)
        (builtins.all (n: lib.attrsets ? ${n} && lib ? ${n}) [
          "filterAttrs"
          "mapAttrsToList"
          "recursiveUpdate"
          "getOutput"
          "isDerivation"
        ])
        (builtins.all (n: lib.lists ? ${n} && lib ? ${n}) [
          "flatten"
          "unique"
          "findFirst"
          "groupBy"
          "subtractLists"
        ])
        (builtins.all (n: lib.trivial ? ${n} && lib ? ${n}) [
          "isFunction"
          "warn"
          "pipe"
          "functionArgs"
          "version"
        ])
        (builtins.all (n: lib.customisation ? ${n} && lib ? ${n}) [
          "makeScope"
          "callPackageWith"
          "makeOverridable"
          "extendMkDerivation"
        ])
        (builtins.all (n: lib.fixedPoints ? ${n} && lib ? ${n}) [
          "fix"
          "extends"
          "toExtension"
        ])
        (builtins.all (n: lib.sources ? ${n} && lib ? ${n}) [
          "cleanSourceWith"
          "cleanSource"
          "sourceByRegex"
        ])
        (lib.sources ? urlToName && lib.meta ? getExe && lib ? getExe)
        (lib.versions ? splitVersion && lib ? splitVersion)
        (builtins.all (n: lib ? ${n}) [
          "head"
          "tail"
          "elem"
          "filter"
          "map"
          "length"
          "attrNames"
          "attrValues"
          "hasAttr"
          "getAttr"
          "listToAttrs"
          "isString"
          "isList"
          "isAttrs"
          "isBool"
          "isInt"
          "isPath"
          "toJSON"
          "fromJSON"
          "readFile"
          "pathExists"
          "concatLists"
          "concatStringsSep"
          "stringLength"
          "substring"
          "replaceStrings"
          "toLower"
          "toUpper"
          "split"
          "match"
          "foldl'"
          "genList"
          "elemAt"
          "intersectAttrs"
          "functionArgs"
          "setFunctionArgs"
          "removeAttrs"
          "mapAttrs"
          "zipAttrsWith"
          "catAttrs"
          "all"
          "any"
          "sort"
          "partition"
          "groupBy"
          "tryEval"
          "seq"
          "deepSeq"
          "toString"
          "typeOf"
          "isFunction"
          "id"
          "const"
          "flip"
          "pipe"
        ])
      ];
      expected = [
        true
        true
        true
        true
        true
        true
        true
        true
        true
        true
        true
      ];
    };
  };

  names = builtins.attrNames tests;
  failures = builtins.concatMap (
    name:
    let
      t = tests.${name};
    in
    if t.expr == t.expected then
      [ ]
    else
      [ "${name}: expected ${render t.expected} got ${render t.expr}" ]
  ) names;
in
{
  count = builtins.length names;
  inherit failures;
}
