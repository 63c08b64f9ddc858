# depsOnlyPasses args: the cargo runs buildDepsOnly makes over the dummy source, each as its
# command and arguments: `check` and `build` in the build phase, `test` (built, not run: the
# default `--no-run`) in the check phase when doCheck. buildDepsPerCrate plans its pieces
# from these runs' unit graphs, so its pieces hold what buildDepsOnly would compile. The
# arguments' defaults are crane's. Internal.
{ }:

args@{
  cargoBuildCommand ? "cargoWithProfile build",
  cargoBuildExtraArgs ? "",
  cargoCheckCommand ? "cargoWithProfile check",
  cargoExtraArgs ? "--locked",
  cargoTestCommand ? "cargoWithProfile test",
  cargoTestExtraArgs ? "--no-run",
  ...
}:
let
  # Tests are built by default, so their dependencies are cached; then `cargo check` covers
  # every target too, for clippy and `cargo check --all-targets` later (crane).
  doCheck = args.doCheck or true;
  cargoCheckExtraArgs = args.cargoCheckExtraArgs or (if doCheck then "--all-targets" else "");
in
{
  inherit doCheck;
  # crane skips the check pass with cargoCheckCommand = "true".
  checks = cargoCheckCommand != "true";
  check = {
    command = cargoCheckCommand;
    args = "${cargoExtraArgs} ${cargoCheckExtraArgs}";
  };
  build = {
    command = cargoBuildCommand;
    args = "${cargoExtraArgs} ${cargoBuildExtraArgs}";
  };
  test = {
    command = cargoTestCommand;
    args = "${cargoExtraArgs} ${cargoTestExtraArgs}";
  };
}
