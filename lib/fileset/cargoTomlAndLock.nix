# fileset.cargoTomlAndLock path: crane's file set of every `Cargo.toml` and `Cargo.lock`
# below `path`: what a dependency-only source needs besides cargo's configuration.
{ lib, sourceRules }:

path: lib.fileset.fileFilter (file: sourceRules.isManifestOrLock file.name) path
