# fileset.commonCargoSources path: crane's file set of the files a Cargo project commonly
# needs below `path`: the union of fileset.cargoTomlAndLock, fileset.rust and fileset.toml
# (every TOML file, as other cargo tools read theirs). The fileset counterpart of
# filterCargoSources, from the same rules (sourceRules.nix), without the extension-less
# `.cargo/config` (see there).
{ lib, fileset }:

path:
lib.fileset.unions [
  (fileset.cargoTomlAndLock path)
  (fileset.rust path)
  (fileset.toml path)
]
