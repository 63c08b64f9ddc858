# replacementCargoLock args: the file that replaces the project's Cargo.lock, or null when
# the caller gives none. Taken from cargoLock (a path), cargoLockContents (text) or
# cargoLockParsed (a set, written as TOML), in that order, as vendorCargoDeps reads them.
# Internal: shared by mkDummySrc and mkCargoDerivation so both builds see the same lock.
{ writeText, writeTOML }:

{
  cargoLock ? null,
  cargoLockContents ? null,
  cargoLockParsed ? null,
  ...
}:

if cargoLock != null then
  cargoLock
else if cargoLockContents != null then
  writeText "Cargo.lock" cargoLockContents
else if cargoLockParsed != null then
  writeTOML "Cargo.lock" cargoLockParsed
else
  null
