# vendorMultipleCargoDeps: vendorCargoDeps for several lock files at once (say a workspace and
# a tool's own lock), each crate fetched and linked once. Locks come from cargoLockList
# (paths), cargoLockContentsList (texts) and cargoLockParsedList (sets), all of them; the
# other attributes are vendorCargoDeps'.
{ lib, vendorCargoDeps, cargoLockPackages }:

args@{
  cargoLockList ? [ ],
  cargoLockContentsList ? [ ],
  cargoLockParsedList ? [ ],
  ...
}:
let
  all =
    lib.concatMap (cargoLock: cargoLockPackages { inherit cargoLock; }) cargoLockList
    ++ lib.concatMap (cargoLockContents: cargoLockPackages { inherit cargoLockContents; }) cargoLockContentsList
    ++ lib.concatMap (cargoLockParsed: cargoLockPackages { inherit cargoLockParsed; }) cargoLockParsedList;
  # Keyed by source, name and version: the same crate from two locks is one entry.
  unique = builtins.attrValues (
    builtins.listToAttrs (
      map (p: {
        name = "${p.source or "local"}#${p.name}@${p.version}";
        value = p;
      }) all
    )
  );
in
if all == [ ] && cargoLockList ++ cargoLockContentsList ++ cargoLockParsedList == [ ] then
  throw "vendorMultipleCargoDeps: give at least one lock file in cargoLockList, cargoLockContentsList or cargoLockParsedList"
else
  vendorCargoDeps (
    removeAttrs args [
      "cargoLockList"
      "cargoLockContentsList"
      "cargoLockParsedList"
    ]
    // {
      gantryLockPackages = unique;
    }
  )
