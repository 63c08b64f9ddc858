# mkLib: gantry's functions as a scope over `pkgs` (callPackage, overrideScope), with
# crane's names. Every public function lives in its own file.
{ pkgs }:

let
  # The oldest Nix gantry supports: nixpkgs' own minimum (its lib/minver.nix). The library
  # may use what that range offers, so an older Nix stops here, with one line, before it
  # fails somewhere obscure. Tested with Debian bookworm's Nix 2.8 (ci/test-old-nix.sh).
  minimumNix = "2.18";
in
if builtins.compareVersions builtins.nixVersion minimumNix < 0 then
  throw "gantry needs Nix ${minimumNix} or newer, and this is Nix ${builtins.nixVersion}: upgrade Nix (nixpkgs needs ${minimumNix} too)"
else

pkgs.lib.makeScope pkgs.newScope (
  self:
  let
    # Internal functions: shared by the public ones below, never in the scope (they may
    # change). Public and internal functions alike are called with the scope plus these, so
    # overrideScope reaches them too.
    callPackage = self.newScope internal;
    internal = {
      chosenCargoLock = callPackage ./chosenCargoLock.nix { };
      replacementCargoLock = callPackage ./replacementCargoLock.nix { };
      cargoLockPackages = callPackage ./cargoLockPackages.nix { };
      workspaceManifests = callPackage ./workspaceManifests.nix { };
      manifestsDigest = callPackage ./manifestsDigest.nix { };
      memberVersions = callPackage ./memberVersions.nix { };
      crateNameOfToml = callPackage ./crateNameOfToml.nix { };
      crateNameForSource = callPackage ./crateNameForSource.nix { };
      vendorCargoDepsWithHash = callPackage ./vendorCargoDepsWithHash.nix { };
      depsOnlyPasses = callPackage ./depsOnlyPasses.nix { };
      cargoPiecesPlan = callPackage ./cargoPiecesPlan.nix { };
      buildCargoPiece = callPackage ./buildCargoPiece.nix { };
      cargoRustcInfo = callPackage ./cargoRustcInfo.nix { };
      implicitCargoArtifacts = callPackage ./implicitCargoArtifacts.nix { };
      sourceView = callPackage ./sourceView.nix { };
      shortHash = callPackage ./shortHash.nix { };
    }
    // hooks.internal;
    hooks = import ../hooks {
      inherit (pkgs) makeSetupHook;
      inherit (self) gantry-helper;
    };
    # A check tool from pkgs, or (only when the check is used) an error naming what to add.
    tool =
      name: user:
      pkgs.${name} or (throw "${user} needs the package ${name}, which this package set lacks: add it to pkgs (e.g. with an overlay) or give it to gantry with gantryLib.overrideScope (final: prev: { ${name} = …; })");
    # Which file names are Cargo sources: shared by filterCargoSources and the fileset
    # helpers (internal, not in the scope).
    sourceRules = import ./fileset/sourceRules.nix { inherit (pkgs) lib; };
    # A fileset helper, or (only when used) one line saying it needs nixpkgs' lib.fileset.
    filesetHelper =
      name: extra:
      if pkgs.lib ? fileset then
        callPackage (./fileset + "/${name}.nix") extra
      else
        throw "gantry's fileset.${name} needs a nixpkgs with lib.fileset (23.11 or newer), and this pkgs.lib has none: update nixpkgs, or select the sources with cleanCargoSource or filterCargoSources";
  in
  hooks.public
  // {
    # The Rust helper doing the work inside derivations, built from this repository.
    # Built with pkgs' toolchain whatever overrideToolchain chooses for the project. It runs
    # on the build machine: a cross pkgs takes the one of its pkgsBuildBuild (the native
    # helper, built once for every target).
    gantry-helper =
      if pkgs.stdenv.buildPlatform != pkgs.stdenv.hostPlatform then
        (import ./default.nix { pkgs = pkgs.pkgsBuildBuild; }).gantry-helper
      else
        callPackage ./gantryHelper.nix { inherit (pkgs) cargo rustc; };
    # crane's names for the library itself and for its helper binary (crane-utils there).
    craneLib = self;
    craneUtils = self.gantry-helper;
    # The stdenv of every builder, chosen from pkgs (crane's scope attribute).
    stdenvSelector = p: p.stdenv;

    filters = callPackage ./filters.nix { };
    cleanCargoToml = callPackage ./cleanCargoToml.nix { };
    crateNameFromCargoToml = callPackage ./crateNameFromCargoToml.nix { };
    findCargoFiles = callPackage ./findCargoFiles.nix { };
    # crane's three names: writeTOML is the one used, the other two its implementations. Both
    # are gantry's helper (no remarshal needed), so overriding writeTOML with either works.
    writeTOML = self.writeTOMLViaCraneUtils;
    writeTOMLViaCraneUtils = callPackage ./writeTOML.nix { };
    writeTOMLViaRemarshal = self.writeTOMLViaCraneUtils;
    overrideToolchain = callPackage ./overrideToolchain.nix { inherit pkgs; };
    mkCrossToolchainEnv = callPackage ./mkCrossToolchainEnv.nix { inherit pkgs; };

    # Sources.
    filterCargoSources = callPackage ./filterCargoSources.nix { inherit sourceRules; };
    cleanCargoSource = callPackage ./cleanCargoSource.nix { };
    path = callPackage ./path.nix { };
    # crane's lib.fileset helpers, each `path -> fileset`.
    fileset = {
      cargoTomlAndLock = filesetHelper "cargoTomlAndLock" { inherit sourceRules; };
      commonCargoSources = filesetHelper "commonCargoSources" { inherit (self) fileset; };
      configToml = filesetHelper "configToml" { inherit sourceRules; };
      rust = filesetHelper "rust" { inherit sourceRules; };
      toml = filesetHelper "toml" { inherit sourceRules; };
    };

    # Checks, each on the pipeline's dependency artifacts.
    cargoTest = callPackage ./cargoTest.nix { };
    cargoDocTest = callPackage ./cargoDocTest.nix { };
    cargoBench = callPackage ./cargoBench.nix { };
    cargoClippy = callPackage ./cargoClippy.nix { };
    cargoDoc = callPackage ./cargoDoc.nix { };
    cargoFmt = callPackage ./cargoFmt.nix { };
    taploFmt = callPackage ./taploFmt.nix { taplo = tool "taplo" "taploFmt"; };
    cargoNextest = callPackage ./cargoNextest.nix {
      cargo-nextest = tool "cargo-nextest" "cargoNextest";
      cargo-llvm-cov = tool "cargo-llvm-cov" "cargoNextest with withLlvmCov";
    };
    cargoTarpaulin = callPackage ./cargoTarpaulin.nix { cargo-tarpaulin = tool "cargo-tarpaulin" "cargoTarpaulin"; };
    cargoLlvmCov = callPackage ./cargoLlvmCov.nix { cargo-llvm-cov = tool "cargo-llvm-cov" "cargoLlvmCov"; };
    cargoAudit = callPackage ./cargoAudit.nix { cargo-audit = tool "cargo-audit" "cargoAudit"; };
    cargoDeny = callPackage ./cargoDeny.nix { cargo-deny = tool "cargo-deny" "cargoDeny"; };
    devShell = callPackage ./devShell.nix { };

    mkDummySrc = callPackage ./mkDummySrc.nix { };
    mkCargoDerivation = callPackage ./mkCargoDerivation.nix { inherit pkgs; };
    buildDepsOnly = callPackage ./buildDepsOnly.nix { };
    cargoBuild = callPackage ./cargoBuild.nix { };
    buildPackage = callPackage ./buildPackage.nix { };
    buildDepsPerCrate = callPackage ./buildDepsPerCrate.nix { };
    # trunk and wasm-bindgen-cli as crane takes them: from the scope when an overrideScope
    # put them there, else from pkgs.
    buildTrunkPackage = callPackage ./buildTrunkPackage.nix (
      {
        inherit pkgs;
      }
      // pkgs.lib.genAttrs [ "binaryen" "trunk" "wasm-bindgen-cli" ] (
        name: if self ? ${name} then self.${name} else tool name "buildTrunkPackage"
      )
    );

    # Vendoring: registries (crates.io known; appendCrateRegistries adds others) and git.
    crateRegistries = self.registryFromDownloadUrl {
      indexUrl = "https://github.com/rust-lang/crates.io-index";
      dl = "https://static.crates.io/crates/{crate}/{version}/download";
    };
    registryFromDownloadUrl = callPackage ./registryFromDownloadUrl.nix { };
    registryFromGitIndex = callPackage ./registryFromGitIndex.nix { };
    registryFromSparse = callPackage ./registryFromSparse.nix { };
    appendCrateRegistries = callPackage ./appendCrateRegistries.nix { };
    urlForCargoPackage = callPackage ./urlForCargoPackage.nix { };
    downloadCargoPackage = callPackage ./downloadCargoPackage.nix { };
    downloadCargoPackageFromGit = callPackage ./downloadCargoPackageFromGit.nix { };
    vendorCargoRegistries = callPackage ./vendorCargoRegistries.nix { };
    vendorGitDeps = callPackage ./vendorGitDeps.nix { };
    vendorCargoDeps = callPackage ./vendorCargoDeps.nix { };
    vendorMultipleCargoDeps = callPackage ./vendorMultipleCargoDeps.nix { };
  }
)
