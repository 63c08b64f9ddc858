# What bench/cross.sh builds: a project cross compiled through gantry on the offline
# stand-in, as crane's examples/cross-rust-overlay does it (the library over
# `pkgsCross.<platform>`, a toolchain per package set through overrideToolchain), with
# buildDepsOnly and with buildDepsPerCrate, and the cross environment (mkCrossToolchainEnv)
# plain cargo is given to build the same.
{
  root,
  src,
  # A `pkgsCross` attribute: "musl64", "aarch64-multiplatform".
  platform,
}:
let
  pkgs = import (root + "/checks/offline-pkgs") { };
  crossPkgs = pkgs.pkgsCross.${platform};
  gantryLib = (import root { pkgs = crossPkgs; }).overrideToolchain (
    p:
    p.symlinkJoin {
      name = "rust-toolchain-of-the-set";
      paths = [
        p.rustc
        p.cargo
      ];
    }
  );
  # The tests are left out: the benchmark is about building, as `cargo build` does.
  common = {
    inherit src;
    strictDeps = true;
    doCheck = false;
  };
  deps = gantryLib.buildDepsOnly common;
  # The same work as `cargo build` (crane's default deps build runs `cargo check` first).
  depsBuildOnly = gantryLib.buildDepsOnly (common // { cargoCheckCommand = "true"; });
  perCrate = gantryLib.buildDepsPerCrate common;
  on = cargoArtifacts: gantryLib.buildPackage (common // { inherit cargoArtifacts; requireFreshDependencies = true; });
  crossEnv = gantryLib.mkCrossToolchainEnv (p: p.stdenv);
in
{
  inherit deps depsBuildOnly perCrate;
  package = on deps;
  packageBuildOnly = on depsBuildOnly;
  perCratePackage = on perCrate;
  # The C compilers mkCrossToolchainEnv puts on PATH (the build machine's and the target's),
  # for plain cargo.
  compilers = pkgs.symlinkJoin {
    name = "cross-compilers-${platform}";
    paths = [
      crossPkgs.pkgsBuildHost.stdenv.cc
      crossPkgs.pkgsHostTarget.stdenv.cc
    ];
  };
  # mkCrossToolchainEnv's variables (name = value), without crane's export prefix.
  environment = builtins.concatStringsSep "\n" (
    pkgs.lib.mapAttrsToList (n: v: "${pkgs.lib.removePrefix "__CRANE_EXPORT_" n}=${v}") (
      pkgs.lib.filterAttrs (n: _: pkgs.lib.hasPrefix "__CRANE_EXPORT_" n) crossEnv
    )
  );
}
