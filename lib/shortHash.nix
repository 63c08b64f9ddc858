# shortHash text: the first 12 hex digits of text's sha256, which name a vendored source
# (`gantry-vendored-<shortHash source>`) and its derivation. The helper names sources the same
# way (helpers/src/cargo_ids.rs, `short`) in the one-hash mode and for per-crate
# pieces; the vendoring-one-hash-crate-set check fails when the two disagree. Internal.
{ }:

text: builtins.substring 0 12 (builtins.hashString "sha256" text)
