# filterCargoSources path type: the source filter keeping what a Cargo build reads:
# directories, `*.rs`, `*.toml` (Cargo.toml among them), `Cargo.lock` and cargo's
# `.cargo/config` / `.cargo/config.toml`. The file rules are fileset/sourceRules.nix's, shared
# with the fileset helpers; a filter also sees the parent directory, so it keeps the
# extension-less `.cargo/config` that crane's filesets cannot express.
{ sourceRules }:

path: type:
let
  base = baseNameOf (toString path);
  parent = baseNameOf (dirOf (toString path));
in
type == "directory"
|| sourceRules.isRust base
|| sourceRules.isToml base
|| sourceRules.isManifestOrLock base
|| sourceRules.isCargoConfig parent base
