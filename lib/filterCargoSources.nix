# filterCargoSources path type: the source filter keeping what a Cargo build reads:
# directories, `*.rs`, `*.toml`, `Cargo.lock` and `.cargo/config`.
{ lib }:

path: type:
let
  base = baseNameOf (toString path);
in
type == "directory"
|| lib.hasSuffix ".rs" base
|| lib.hasSuffix ".toml" base
|| base == "Cargo.lock"
|| (baseNameOf (dirOf (toString path)) == ".cargo" && base == "config")
