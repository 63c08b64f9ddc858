# cargoDocTest: cargoTest running only the documentation tests (`cargo test --doc`).
{ cargoTest }:

args:
cargoTest (
  args
  // {
    pnameSuffix = args.pnameSuffix or "-doctest";
    cargoTestExtraArgs = "--doc ${args.cargoTestExtraArgs or ""}";
  }
)
