# downloadCargoPackage package: one registry crate from a Cargo.lock entry (`{ name, version,
# source, checksum }`), fetched as a fixed-output derivation with the lock file's sha256 from
# the URL urlForCargoPackage gives, and unpacked with the `.cargo-checksum.json` cargo expects
# of a vendored crate (`files` empty, `package` = the checksum).
{
  lib,
  fetchurl,
  runCommand,
  urlForCargoPackage,
}:

args@{
  name,
  version,
  checksum ? null,
  source ? "registry+https://github.com/rust-lang/crates.io-index",
  ...
}:
if checksum == null then
  throw "downloadCargoPackage: ${name} ${version} (from ${source}) has no checksum in Cargo.lock; a registry crate always has one: regenerate the lock file with `cargo generate-lockfile`"
else
  let
    tarball = fetchurl (
      urlForCargoPackage (args // { inherit source; })
      // {
        name = "${name}-${version}.tar.gz";
        sha256 = checksum;
      }
    );
  in
  runCommand "cargo-package-${name}-${version}" { } ''
    mkdir -p "$out"
    tar -xzf ${tarball} -C "$out" --strip-components=1
    printf '{"files":{},"package":"%s"}' ${lib.escapeShellArg checksum} > "$out/.cargo-checksum.json"
  ''
