# vendorCargoDepsWithHash: vendorCargoDeps' one-hash mode (`hash` given). One fixed-output
# derivation runs `gantry vendor-lock` at build time: it reads Cargo.lock there (nothing is
# read or fetched at evaluation time, so `src` may be a derivation without IFD), downloads
# every registry crate with curl (checking the lock's sha256), clones every git source, and
# lays them out with a config.toml, all checked against the one `hash`. A wrong or empty hash
# fails with the right one printed by Nix. Internal to vendorCargoDeps.
{
  lib,
  runCommand,
  replacementCargoLock,
  crateRegistries,
  gantry-helper,
  curl,
  git,
  cacert,
}:

args@{
  hash,
  ...
}:
let
  overrides = builtins.filter (name: args ? ${name}) [
    "overrideVendorCargoPackage"
    "overrideVendorGitCheckout"
  ];
  replacement = replacementCargoLock args;
  lockFile =
    if replacement != null then
      replacement
    else if args.src or null != null then
      "${args.src}/Cargo.lock"
    else
      throw "vendorCargoDeps: one of src, cargoLock, cargoLockContents or cargoLockParsed must be set";
  # Only what the helper reads: the download templates (fetchurlExtraArgs do not apply here).
  templates = lib.mapAttrs (source: r: { downloadUrl = r.downloadUrl; }) crateRegistries;
  fetched =
    runCommand "vendor-cargo-deps-sources"
      {
        nativeBuildInputs = [ gantry-helper curl git ];
        registries = builtins.toJSON templates;
        passAsFile = [ "registries" ];
        SSL_CERT_FILE = "${cacert}/etc/ssl/certs/ca-bundle.crt";
        GIT_SSL_CAINFO = "${cacert}/etc/ssl/certs/ca-bundle.crt";
        outputHashMode = "recursive";
        outputHashAlgo = "sha256";
        outputHash = hash;
      }
      ''
        if [ ! -f ${lockFile} ]; then
          echo "vendorCargoDeps: no Cargo.lock at ${lockFile}; run \`cargo generate-lockfile\` and commit it (a flake only sees files tracked by git)" >&2
          exit 1
        fi
        gantry vendor-lock --registries "$registriesPath" ${lockFile} "$out"
        # A fixed output may not name its own store path: the config gets a placeholder.
        sed -i "s|$out|@vendored@|g" "$out/config.toml"
      '';
in
if overrides != [ ] then
  throw "vendorCargoDeps: ${builtins.head overrides} does not apply with `hash` (the one-hash mode fetches everything in one derivation, with no derivation per crate or checkout to override): drop `hash` to vendor crate by crate, or drop ${builtins.head overrides}"
else
runCommand "vendor-cargo-deps" { } ''
  mkdir -p "$out"
  ln -s ${fetched} "$out/sources"
  sed "s|@vendored@|${fetched}|g" ${fetched}/config.toml > "$out/config.toml"
''
