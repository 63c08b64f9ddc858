# What ci/demo.sh builds: a real project from crates.io through gantry on the offline
# stand-in, the way a flake user would write it (crane's API).
{ root, src }:
let
  pkgs = import (root + "/checks/offline-pkgs") { };
  gantryLib = import root { inherit pkgs; };
  # The tests are left out: the demo is about building and rebuilding.
  common = {
    inherit src;
    doCheck = false;
  };
  cargoArtifacts = gantryLib.buildDepsOnly common;
  perCrate = gantryLib.buildDepsPerCrate common;
in
{
  deps = cargoArtifacts;
  # requireFreshDependencies: the build fails, naming the crate and cargo's reason, if any
  # dependency is compiled again instead of being taken from cargoArtifacts.
  package = gantryLib.buildPackage (common // { inherit cargoArtifacts; requireFreshDependencies = true; });
  inherit perCrate;
  perCratePackage = gantryLib.buildPackage (common // { cargoArtifacts = perCrate; requireFreshDependencies = true; });
}
