# replacementCargoLock args: the file that replaces the project's Cargo.lock, or null when
# the caller gives none: the lock chosenCargoLock picks, written out when it is text
# (cargoLockContents) or a set (cargoLockParsed, as TOML). Internal: shared by mkDummySrc,
# mkCargoDerivation and the one-hash vendoring so all of them see the same lock.
{
  writeText,
  writeTOML,
  chosenCargoLock,
}:

args:
let
  chosen = chosenCargoLock args;
in
if chosen == null then
  null
else if chosen ? cargoLock then
  chosen.cargoLock
else if chosen ? cargoLockContents then
  writeText "Cargo.lock" chosen.cargoLockContents
else
  writeTOML "Cargo.lock" chosen.cargoLockParsed
