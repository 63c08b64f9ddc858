# fileset.toml path: crane's file set of every `*.toml` file below `path`: the manifests,
# `.cargo/config.toml` and the settings of other cargo tools (rustfmt.toml, deny.toml, …).
{ lib, sourceRules }:

path: lib.fileset.fileFilter (file: sourceRules.isToml file.name) path
