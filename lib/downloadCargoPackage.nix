# downloadCargoPackage: one registry crate from a Cargo.lock entry, fetched as a fixed-output
# derivation with the lock file's sha256 and unpacked with the `.cargo-checksum.json` cargo
# expects of a vendored crate (`files` empty, `package` = the checksum).
{ lib, fetchurl, runCommand }:

let
  cratesIoSource = "registry+https://github.com/rust-lang/crates.io-index";
in
{
  name,
  version,
  checksum ? null,
  source ? cratesIoSource,
  ...
}:
let
  id = "${name} ${version}";
in
if source != cratesIoSource then
  throw "downloadCargoPackage: ${id} comes from ${source}; only crates.io is supported so far"
else if checksum == null then
  throw "downloadCargoPackage: ${id} has no checksum in Cargo.lock; run `cargo generate-lockfile` to record it"
else
  let
    tarball = fetchurl {
      name = "${name}-${version}.tar.gz";
      url = "https://static.crates.io/crates/${name}/${version}/download";
      sha256 = checksum;
    };
  in
  runCommand "cargo-package-${name}-${version}" { } ''
    mkdir -p "$out"
    tar -xzf ${tarball} -C "$out" --strip-components=1
    printf '{"files":{},"package":"%s"}' ${lib.escapeShellArg checksum} > "$out/.cargo-checksum.json"
  ''
