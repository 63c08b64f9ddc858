# cargoLockPackages args: the `[[package]]` entries of the Cargo.lock that vendorCargoDeps'
# arguments name: cargoLockParsed, cargoLockContents, cargoLock or src + "/Cargo.lock", the
# first one given. Internal to vendorCargoDeps and vendorMultipleCargoDeps.
{ }:

{
  src ? null,
  cargoLock ? null,
  cargoLockContents ? null,
  cargoLockParsed ? null,
  ...
}:
let
  lockPath =
    if cargoLock != null then
      cargoLock
    else if src != null then
      src + "/Cargo.lock"
    else
      throw "vendorCargoDeps: one of src, cargoLock, cargoLockContents or cargoLockParsed must be set";
  lockText =
    if cargoLockContents != null then
      cargoLockContents
    else if builtins.pathExists lockPath then
      builtins.readFile lockPath
    else
      throw "vendorCargoDeps: no Cargo.lock at ${toString lockPath}; run `cargo generate-lockfile` and commit it (a flake only sees files tracked by git)";
  parsed = if cargoLockParsed != null then cargoLockParsed else builtins.fromTOML lockText;
in
parsed.package or [ ]
