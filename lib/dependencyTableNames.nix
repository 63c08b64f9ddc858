# The tables of a Cargo.toml (package or [target.*]) holding dependencies, under both of
# cargo's spellings: the one list workspaceManifests (path dependencies) and
# manifestsDigest (what makes a committed per-crate plan stale) read.
[
  "dependencies"
  "dev-dependencies"
  "dev_dependencies"
  "build-dependencies"
  "build_dependencies"
]
