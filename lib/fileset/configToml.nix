# fileset.configToml path: crane's file set of every file named `config.toml` below `path`.
# cargo reads it only inside a `.cargo` directory, but a fileFilter predicate sees a file's
# own name and not its directory's, so, as in crane, a `config.toml` anywhere is selected.
{ lib, sourceRules }:

path: lib.fileset.fileFilter (file: sourceRules.isConfigToml file.name) path
