# crane's vendoring contracts: registryFromDownloadUrl's registryPrefix, urlForCargoPackage's
# `{ url; fetchurlExtraArgs; }`, the crate and checkout derivations that
# overrideVendorCargoPackage / overrideVendorGitCheckout receive (phased, so `patches` and
# `postPatch` patch them), git submodules, which replacement lock counts, and `registries` /
# `cargoConfigs` naming registries. Fixtures are served from /tmp/gantry-fixtures by
# checks/fixtures/serve.sh.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  inherit (import ./support.nix { inherit pkgs lib; }) runsAndPrints;

  fixtures = "file:///tmp/gantry-fixtures";
  gitIndex = "${fixtures}/registry/git-index.git";
  gitIndexRegistry = gantryLib.registryFromGitIndex {
    indexUrl = gitIndex;
    rev = "7a257139e7ab7cbb4ddfdd5ac6a0819592c9f13e";
  };
  sparseRegistry = gantryLib.registryFromSparse {
    indexUrl = "${fixtures}/registry/sparse/";
    configSha256 = "0efb3d003e9c6503229ab40c9a09c1228e1f597a2ae42b34db5a1ac235bafa64";
  };
  withGitIndex = gantryLib.appendCrateRegistries [ gitIndexRegistry ];
  registryGitProject = ./projects/vendoring-registry-git;
  registryGitPrints = "registry fixture (git index): 2 + 3 = 5 (fixture-text 0.2.0 via fixture-math 1.0.0)";

  # An evaluated value against the expected one, as a check (a mismatch fails evaluation with both).
  evalCheck =
    name: got: want:
    if got == want then
      pkgs.runCommand name { } "touch $out"
    else
      throw "${name}: got ${builtins.toJSON got}, expected ${builtins.toJSON want}";

  # The `[source.…]` names of a vendor directory's config.toml, one a line.
  sourceNames = vendor: ''grep -o '^\[source\.[^]]*\]' ${vendor}/config.toml'';

  lockProject = ./projects/lock-precedence;
  firstLock = lockProject + "/Cargo.lock";
  secondLock = ./fixtures/lock-precedence-second.lock;
  lockPrints = commit: "hello lock-precedence from greeting (${commit} commit)";

  # Two registries the lock uses, both named `fixture` by two cargo configs.
  twoRegistriesLock = {
    version = 4;
    package = [
      {
        name = "fixture-math";
        version = "1.0.0";
        source = "registry+${gitIndex}";
        checksum = "295964d4b7995a38d27ab5423f7ef6f79a4485e7d6a935eb4d3457e75c97c0bd";
      }
      {
        name = "fixture-math";
        version = "1.0.0";
        source = "sparse+${fixtures}/registry/sparse/";
        checksum = "295964d4b7995a38d27ab5423f7ef6f79a4485e7d6a935eb4d3457e75c97c0bd";
      }
    ];
  };
  fixtureConfig = index: builtins.toFile "config.toml" "[registries.fixture]\nindex = \"${index}\"\n";
in
{
  checks = {
    # registryPrefix (default "registry+"; "sparse+" for a sparse index) makes the key; a `dl`
    # without markers is completed with cargo's `/{crate}/{version}/download`.
    registry-prefix =
      let
        cases = [
          {
            args = { indexUrl = "https://r.example/index/"; dl = "https://r.example/dl"; registryPrefix = "sparse+"; };
            key = "sparse+https://r.example/index/";
            downloadUrl = "https://r.example/dl/{crate}/{version}/download";
          }
          {
            args = { indexUrl = "sparse+https://r.example/index/"; dl = "https://r.example/dl/{crate}-{version}.crate"; registryPrefix = "sparse+"; };
            key = "sparse+https://r.example/index/";
            downloadUrl = "https://r.example/dl/{crate}-{version}.crate";
          }
          {
            args = { indexUrl = "https://r.example/index.git"; dl = "https://r.example/dl"; fetchurlExtraArgs.curlOptsList = [ "-v" ]; };
            key = "registry+https://r.example/index.git";
            downloadUrl = "https://r.example/dl/{crate}/{version}/download";
          }
        ];
      in
      evalCheck "registry-prefix" (map (c: gantryLib.registryFromDownloadUrl c.args) cases) (
        map (c: {
          ${c.key} = {
            inherit (c) downloadUrl;
            fetchurlExtraArgs = c.args.fetchurlExtraArgs or { };
          };
        }) cases
      );

    # mirrors crane's docs/API.md (urlForCargoPackage): exactly `url` and `fetchurlExtraArgs`.
    url-for-cargo-package-shape =
      let
        lib' = gantryLib.appendCrateRegistries [
          (gantryLib.registryFromDownloadUrl {
            indexUrl = "https://r.example/index/";
            registryPrefix = "sparse+";
            dl = "https://r.example/{prefix}/{lowerprefix}/{crate}/{version}/{sha256-checksum}";
            fetchurlExtraArgs.curlOptsList = [ "-H" "Authorization: x" ];
          })
        ];
      in
      evalCheck "url-for-cargo-package-shape"
        [
          (lib'.urlForCargoPackage {
            name = "Serde_JSON";
            version = "1.0.0";
            source = "sparse+https://r.example/index/";
            checksum = "abc";
          })
          (gantryLib.urlForCargoPackage {
            name = "itoa";
            version = "1.0.18";
            source = "registry+https://github.com/rust-lang/crates.io-index";
            checksum = "abc";
          })
        ]
        [
          {
            url = "https://r.example/Se/rd/se/rd/Serde_JSON/1.0.0/abc";
            fetchurlExtraArgs.curlOptsList = [ "-H" "Authorization: x" ];
          }
          {
            url = "https://static.crates.io/crates/itoa/1.0.18/download";
            fetchurlExtraArgs = { };
          }
        ];

    # mirrors crane checks/cratePatching: the registry crate's unpacking is a phased
    # derivation, so overrideAttrs with `patches` (fixture-math now multiplies) and `postPatch`
    # (fixture-text's name) change what is built.
    vendor-override-package-patch = runsAndPrints "vendor-override-package-patch" (withGitIndex.buildPackage {
      src = registryGitProject;
      overrideVendorCargoPackage =
        p: drv:
        if p.name == "fixture-math" then
          drv.overrideAttrs { patches = [ ./fixtures/patches/fixture-math-multiplies.patch ]; }
        else if p.name == "fixture-text" then
          drv.overrideAttrs (old: {
            postPatch = (old.postPatch or "") + ''
              sed -i 's/"fixture-text 0.2.0"/"fixture-text 0.2.0 (postPatch)"/' src/lib.rs
            '';
          })
        else
          drv;
    }) "vendoring-registry-git" "registry fixture (git index): 2 + 3 = 6 (fixture-text 0.2.0 (postPatch) via fixture-math 1.0.0)";

    # mirrors crane checks/cratePatching: overrideVendorGitCheckout gets the locked packages
    # of a checkout and the derivation extracting its crates; a patch (paths from the
    # repository's root) applies to the checkout before the crates are taken out of it.
    vendor-override-git-checkout = runsAndPrints "vendor-override-git-checkout" (gantryLib.buildPackage {
      src = ./projects/vendoring-git;
      overrideVendorGitCheckout =
        ps: drv:
        if builtins.any (p: p.name == "greeting") ps then
          assert lib.assertMsg (builtins.length ps == 1) "greeting's checkout came with ${toString (builtins.length ps)} packages";
          drv.overrideAttrs { patches = [ ./fixtures/patches/greeting-patched.patch ]; }
        else
          drv;
    }) "vendoring-git" ''
      branch main: draw 2x3 area=6 using shapes-core 1.1.0 (branch main)
      tag v1.0.0: shapes-core 1.0.0 (tag v1.0.0)
      branch feature/x: shapes-core 1.1.0 (branch feature/x)
      rev: hello vendoring-git from a patched greeting checkout
      crates.io: itoa 12345'';

    # outer's source includes a file of its submodule inner: checked out with it, as by cargo.
    vendor-git-submodules = runsAndPrints "vendor-git-submodules" (gantryLib.buildPackage {
      src = ./projects/vendoring-git-submodules;
    }) "vendoring-git-submodules" "submodule: the words from the submodule inner";
    # The same with a hash: a fixed-output fetchgit with the submodules.
    vendor-git-submodules-hash = runsAndPrints "vendor-git-submodules-hash" (gantryLib.buildPackage {
      src = ./projects/vendoring-git-submodules;
      outputHashes."git+${fixtures}/git/outer.git?branch=main#81b744f8fe6157947bd961ade15c6bf263c36a42" =
        "sha256-r3fskjRAVaPosHjVsLyXzH6UDtsIuENvcCFTB7gkuTI=";
    }) "vendoring-git-submodules" "submodule: the words from the submodule inner";

    # crane's mkCargoDerivation order: cargoLock, then cargoLockContents, then
    # cargoLockParsed; the project's own lock (first commit) loses to any. The vendored sources
    # come from the same lock as the build (from another one, cargo would build greeting's
    # first commit without a word).
    lock-precedence-all-three = runsAndPrints "lock-precedence-all-three" (gantryLib.buildPackage {
      src = lockProject;
      cargoLock = secondLock;
      cargoLockContents = builtins.readFile firstLock;
      cargoLockParsed = builtins.fromTOML (builtins.readFile firstLock);
    }) "lock-precedence" (lockPrints "second");
    lock-precedence-contents-over-parsed = runsAndPrints "lock-precedence-contents-over-parsed" (gantryLib.buildPackage {
      src = lockProject;
      cargoLockContents = builtins.readFile secondLock;
      cargoLockParsed = builtins.fromTOML (builtins.readFile firstLock);
    }) "lock-precedence" (lockPrints "second");

    # crane's `registries` (name -> index URL) and `cargoConfigs` (.cargo/config.toml files whose
    # [registries] are read; by default the one of src) name the replaced registries.
    vendor-cargo-configs-registries =
      let
        build = withGitIndex.buildPackage {
          src = registryGitProject;
          registries.fixture = gitIndex;
        };
        fromSrc = withGitIndex.vendorCargoDeps { src = registryGitProject; };
        fromConfigs = withGitIndex.vendorMultipleCargoDeps {
          cargoLockList = [ (registryGitProject + "/Cargo.lock") ];
          cargoConfigs = [ (builtins.toFile "config.toml" "[registries.my-fixture]\nindex = \"${gitIndex}\"\n") ];
        };
        unnamed = withGitIndex.vendorCargoDeps { cargoLock = registryGitProject + "/Cargo.lock"; };
      in
      pkgs.runCommand "vendor-cargo-configs-registries" { } ''
        set -o pipefail
        out_text=$(${build}/bin/vendoring-registry-git)
        [ "$out_text" = ${lib.escapeShellArg registryGitPrints} ] || { echo "printed: $out_text" >&2; exit 1; }
        names() { echo "$1:"; ${sourceNames "$2"} | tee /dev/stderr; }
        names registries ${build.cargoVendorDir} | grep -qx '\[source."fixture"\]'
        names src ${fromSrc} | grep -qx '\[source."fixture"\]'
        names cargoConfigs ${fromConfigs} | grep -qx '\[source."my-fixture"\]'
        # Not named anywhere: replaced all the same, under gantry's name (crane only warns).
        names none ${unnamed} | grep -qx '\[source."gantry-registry-[0-9a-f]*"\]'
        touch $out
      '';
  };

  expectFailure = {
    registry-prefix-conflict = {
      drv = pkgs.writeText "x" (
        builtins.toJSON (gantryLib.registryFromDownloadUrl {
          indexUrl = "sparse+https://r.example/index/";
          dl = "https://r.example/dl";
        })
      );
      message = ''starts with `sparse+` but registryPrefix is "registry+": set registryPrefix = "sparse+"'';
    };
    # mirrors crane lib/vendorCargoRegistries.nix: one name, two registries of the lock.
    vendor-registries-name-two-urls = {
      drv = (gantryLib.appendCrateRegistries [ gitIndexRegistry sparseRegistry ]).vendorCargoDeps {
        cargoLockParsed = twoRegistriesLock;
        cargoConfigs = [
          (fixtureConfig gitIndex)
          (fixtureConfig "sparse+${fixtures}/registry/sparse/")
        ];
      };
      message = "the registry name `fixture` is configured with several index URLs that Cargo.lock uses";
    };
    # The one-hash mode has no per-crate derivation to override: said, not ignored.
    vendor-one-hash-with-override = {
      drv = gantryLib.vendorCargoDeps {
        src = ./projects/vendoring-crates-io;
        hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        overrideVendorCargoPackage = p: drv: drv;
      };
      message = "overrideVendorCargoPackage does not apply with `hash`";
    };
    # gantry's former `registries` (download templates) is told apart, not misread.
    vendor-registries-templates = {
      drv = withGitIndex.vendorCargoDeps {
        src = registryGitProject;
        registries = gitIndexRegistry;
      };
      message = "must be the registry's index URL (a string): as in crane";
    };
  };
}
