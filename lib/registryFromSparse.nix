# registryFromSparse { indexUrl, configSha256, fetchurlExtraArgs ? { } }: a sparse registry
# (Cargo.lock source `sparse+<indexUrl>/`) whose download template is read from its
# config.json, fetched at evaluation time with the given sha256 (so evaluation stays pure).
# indexUrl may carry the `sparse+` prefix or not.
{ lib, registryFromDownloadUrl }:

{
  indexUrl,
  configSha256,
  fetchurlExtraArgs ? { },
}:
let
  bare = lib.removePrefix "sparse+" indexUrl;
  withSlash = if lib.hasSuffix "/" bare then bare else "${bare}/";
  config = builtins.fromJSON (
    builtins.readFile (
      builtins.fetchurl {
        url = "${withSlash}config.json";
        sha256 = configSha256;
      }
    )
  );
in
registryFromDownloadUrl {
  indexUrl = withSlash;
  registryPrefix = "sparse+";
  inherit fetchurlExtraArgs;
  dl = config.dl or (throw "registryFromSparse: ${withSlash}config.json has no `dl`");
}
