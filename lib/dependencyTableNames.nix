# The tables of a Cargo.toml (package or [target.*]) holding dependencies, under both of
# cargo's spellings: the one list workspaceManifests (path dependencies) and
# buildDepsPerCrate (what makes a committed plan stale) read.
[
  "dependencies"
  "dev-dependencies"
  "dev_dependencies"
  "build-dependencies"
  "build_dependencies"
]
