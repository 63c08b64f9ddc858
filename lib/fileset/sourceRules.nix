# The rules deciding by file name which files are Cargo sources: one home for both of gantry's
# ways of selecting them, filterCargoSources (a cleanSourceWith filter) and the fileset helpers
# (lib.fileset.fileFilter predicates), so the two cannot drift apart. Internal: lib/default.nix
# passes it to them; it is not in the scope.
#
# crane selects the same files both ways, with one difference kept here as in crane:
# filterCargoSources also keeps the extension-less `.cargo/config`, which needs the parent
# directory's name; a fileFilter predicate sees only a file's own name, so crane's filesets
# leave it out (and its configToml takes a `config.toml` in any directory).
{ lib }:

let
  # As lib.fileset's `file.hasExt` tests it: the name ends in "." and the extension.
  hasExt = ext: name: lib.hasSuffix ".${ext}" name;
in
{
  # Rust sources: `*.rs`.
  isRust = hasExt "rs";
  # TOML files: the manifests, `.cargo/config.toml` and other cargo tools' settings
  # (rustfmt.toml, deny.toml, …): `*.toml`.
  isToml = hasExt "toml";
  # Cargo's manifest and lock file, wherever they are.
  isManifestOrLock = name: name == "Cargo.toml" || name == "Cargo.lock";
  # cargo's configuration file by name alone (crane's fileset.configToml).
  isConfigToml = name: name == "config.toml";
  # cargo's configuration file where cargo reads it: `config.toml` or the older
  # extension-less `config` in a directory named `.cargo`.
  isCargoConfig = parentName: name: parentName == ".cargo" && (name == "config" || name == "config.toml");
}
