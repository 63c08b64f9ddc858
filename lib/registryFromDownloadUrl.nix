# registryFromDownloadUrl { indexUrl, dl, fetchurlExtraArgs ? { } }: a registry for
# appendCrateRegistries (or vendorCargoDeps' `registries`), keyed by the source a Cargo.lock
# gives its crates: `registry+<indexUrl>` for a git index, or indexUrl as is when it already
# starts with `sparse+`. `dl` is the registry's download template, the `dl` of its
# config.json ({crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum}).
{ }:

{
  indexUrl,
  dl,
  fetchurlExtraArgs ? { },
}:
let
  key =
    if builtins.substring 0 7 indexUrl == "sparse+" || builtins.substring 0 9 indexUrl == "registry+" then
      indexUrl
    else
      "registry+${indexUrl}";
in
{
  ${key} = {
    downloadUrl = dl;
    inherit fetchurlExtraArgs;
  };
}
