# downloadCargoPackage package: one registry crate from a Cargo.lock entry (`{ name, version,
# source, checksum }`), fetched as a fixed-output derivation with the lock file's sha256 from
# the URL urlForCargoPackage gives (with its registry's fetchurlExtraArgs), and unpacked with
# the `.cargo-checksum.json` cargo expects of a vendored crate (`files` empty, `package` = the
# checksum). The unpacking is an ordinary phased derivation, as crane's is, so that
# overrideVendorCargoPackage can patch a crate: `drv.overrideAttrs { patches = [ … ]; }` or
# `postPatch` run in the crate's directory before it is installed.
{
  lib,
  stdenv,
  fetchurl,
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
    download = urlForCargoPackage (args // { inherit source; });
    tarball = fetchurl (
      download.fetchurlExtraArgs
      // {
        inherit (download) url;
        name = "${name}-${version}.tar.gz";
        sha256 = checksum;
      }
    );
  in
  stdenv.mkDerivation {
    pname = "cargo-package-${name}";
    inherit version;
    src = tarball;
    # The crate's own top directory is `name-version`; a fixed name will do.
    unpackPhase = ''
      runHook preUnpack
      mkdir crate
      tar -xzf "$src" -C crate --strip-components=1
      runHook postUnpack
    '';
    sourceRoot = "crate";
    dontConfigure = true;
    dontBuild = true;
    dontFixup = true;
    installPhase = ''
      runHook preInstall
      mkdir -p "$out"
      cp -r . "$out"
      printf '{"files":{},"package":"%s"}' ${lib.escapeShellArg checksum} > "$out/.cargo-checksum.json"
      runHook postInstall
    '';
  }
