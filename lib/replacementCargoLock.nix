# replacementCargoLock args: the file that replaces the project's Cargo.lock, or null when
# the caller gives none. Taken from cargoLockParsed (a set, written as TOML),
# cargoLockContents (text) or cargoLock (a path), in that order, as vendorCargoDeps reads them.
# Internal: shared by mkDummySrc, mkCargoDerivation and the one-hash vendoring so all of them
# see the same lock.
{ writeText, writeTOML }:

{
  cargoLock ? null,
  cargoLockContents ? null,
  cargoLockParsed ? null,
  ...
}:

if cargoLockParsed != null then
  writeTOML "Cargo.lock" cargoLockParsed
else if cargoLockContents != null then
  writeText "Cargo.lock" cargoLockContents
else if cargoLock != null then
  cargoLock
else
  null
