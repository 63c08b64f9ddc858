# chosenCargoLock args: which of the replacement lock attributes a call gives counts, as
# `{ cargoLock = path; }`, `{ cargoLockContents = text; }` or `{ cargoLockParsed = set; }`, or
# null when none is given. The order is crane's mkCargoDerivation's (cargoLock, then
# cargoLockContents, then cargoLockParsed): the lock file cargo builds with. Internal: the one
# place deciding it, for replacementCargoLock (mkCargoDerivation, mkDummySrc, the one-hash
# vendoring) and cargoLockPackages (what vendorCargoDeps vendors), so the vendored crates are
# always those of the lock the build uses.
{ }:

{
  cargoLock ? null,
  cargoLockContents ? null,
  cargoLockParsed ? null,
  ...
}:

if cargoLock != null then
  { inherit cargoLock; }
else if cargoLockContents != null then
  { inherit cargoLockContents; }
else if cargoLockParsed != null then
  { inherit cargoLockParsed; }
else
  null
