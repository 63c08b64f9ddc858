# vendorCargoDeps: every crate of a Cargo.lock in one directory cargo can build from offline,
# with a `config.toml` that replaces crates.io by it (for $CARGO_HOME/config.toml). The lock
# comes from cargoLockParsed, cargoLockContents, cargoLock or src + "/Cargo.lock", in that
# order. This first slice vendors crates.io packages; other sources fail naming the crate.
{
  lib,
  runCommand,
  downloadCargoPackage,
}:

{
  src ? null,
  cargoLock ? null,
  cargoLockContents ? null,
  cargoLockParsed ? null,
  ...
}:

let
  lockPath =
    if cargoLock != null then
      cargoLock
    else if src != null then
      src + "/Cargo.lock"
    else
      throw "vendorCargoDeps: one of src, cargoLock, cargoLockContents or cargoLockParsed must be set";
  lockText =
    if cargoLockContents != null then
      cargoLockContents
    else if builtins.pathExists lockPath then
      builtins.readFile lockPath
    else
      throw "vendorCargoDeps: no Cargo.lock at ${toString lockPath}; run `cargo generate-lockfile` and commit it (a flake only sees files tracked by git)";
  parsed = if cargoLockParsed != null then cargoLockParsed else builtins.fromTOML lockText;

  # Workspace members and path dependencies have no source and are not vendored.
  external = builtins.filter (p: p ? source) (parsed.package or [ ]);
  crates = map (p: {
    dir = "${p.name}-${p.version}";
    path = downloadCargoPackage p;
  }) external;
in
runCommand "vendor-cargo-deps" { } ''
  mkdir -p "$out/crates-io"
  ${lib.concatMapStrings (c: ''
    ln -s ${c.path} "$out/crates-io/${c.dir}"
  '') crates}
  cat > "$out/config.toml" <<EOF
  [source.crates-io]
  replace-with = "gantry-vendored-crates-io"

  [source.gantry-vendored-crates-io]
  directory = "$out/crates-io"
  EOF
''
