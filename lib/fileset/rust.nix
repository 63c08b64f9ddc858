# fileset.rust path: crane's file set of every `*.rs` file below `path` (a lib.fileset value,
# to combine with lib.fileset.unions and to give to lib.fileset.toSource).
{ lib, sourceRules }:

path: lib.fileset.fileFilter (file: sourceRules.isRust file.name) path
