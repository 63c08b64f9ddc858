# implicitCargoArtifacts args: the artifacts a builder inherits: the caller's `cargoArtifacts`,
# else buildDepsOnly of the caller's arguments (crane's buildPackage). The deps build is the
# dependency build and nothing else: its install phase only installs the artifacts (the
# caller's install step and preInstall/postInstall belong to the caller's build, and would
# fail or differ on the dummy source; buildDepsOnly itself drops `outputs`), and it keeps
# buildDepsOnly's own test arguments (`--no-run`): the caller's cargoTestExtraArgs are for
# the real tests.
{ buildDepsOnly }:

args:
args.cargoArtifacts or (buildDepsOnly (
  removeAttrs args [
    "installPhaseCommand"
    "preInstall"
    "postInstall"
    "cargoTestExtraArgs"
  ]
  // {
    installPhase = "prepareAndInstallCargoArtifactsDir";
  }
))
