# registryFromDownloadUrl { dl, indexUrl, registryPrefix ? "registry+", fetchurlExtraArgs ? { } }:
# a registry for appendCrateRegistries, keyed by the source a Cargo.lock gives its crates:
# `<registryPrefix><indexUrl>` (indexUrl as is when it already starts with registryPrefix;
# "sparse+" for a sparse index). `dl` is the `dl` of the registry's config.json; one with none
# of cargo's markers ({crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum}) gets
# `/{crate}/{version}/download` appended, as cargo does, so `downloadUrl` is always a full
# template (urlForCargoPackage only fills it in).
{ lib }:

{
  dl,
  indexUrl,
  registryPrefix ? "registry+",
  fetchurlExtraArgs ? { },
}:
let
  markers = [
    "{crate}"
    "{version}"
    "{prefix}"
    "{lowerprefix}"
    "{sha256-checksum}"
  ];
  downloadUrl = if builtins.any (m: lib.hasInfix m dl) markers then dl else "${dl}/{crate}/{version}/download";
  # Another protocol prefix than the one asked for would make a key no lock file uses.
  otherPrefix = lib.findFirst (p: p != registryPrefix && lib.hasPrefix p indexUrl) null [
    "registry+"
    "sparse+"
  ];
  key =
    if lib.hasPrefix registryPrefix indexUrl then
      indexUrl
    else if otherPrefix != null then
      throw ''registryFromDownloadUrl: indexUrl "${indexUrl}" starts with `${otherPrefix}` but registryPrefix is "${registryPrefix}": set registryPrefix = "${otherPrefix}" (a sparse index takes "sparse+")''
    else
      "${registryPrefix}${indexUrl}";
in
{
  ${key} = {
    inherit downloadUrl fetchurlExtraArgs;
  };
}
