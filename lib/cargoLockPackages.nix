# cargoLockPackages args: the `[[package]]` entries of the Cargo.lock that vendorCargoDeps'
# arguments name: the replacement lock chosenCargoLock picks (cargoLock, cargoLockContents,
# cargoLockParsed), else src + "/Cargo.lock". Internal to vendorCargoDeps and
# vendorMultipleCargoDeps.
{ chosenCargoLock }:

args@{
  src ? null,
  ...
}:
let
  chosen = chosenCargoLock args;
  lockPath =
    if chosen ? cargoLock then
      chosen.cargoLock
    else if src != null then
      src + "/Cargo.lock"
    else
      throw "vendorCargoDeps: one of src, cargoLock, cargoLockContents or cargoLockParsed must be set";
  parsed =
    if chosen ? cargoLockParsed then
      chosen.cargoLockParsed
    else if chosen ? cargoLockContents then
      builtins.fromTOML chosen.cargoLockContents
    else if builtins.pathExists lockPath then
      builtins.fromTOML (builtins.readFile lockPath)
    else
      throw "vendorCargoDeps: no Cargo.lock at ${toString lockPath}; run `cargo generate-lockfile` and commit it (a flake only sees files tracked by git)";
in
parsed.package or [ ]
