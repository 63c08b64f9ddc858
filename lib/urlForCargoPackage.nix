# urlForCargoPackage package: `{ url; fetchurlExtraArgs; }` for a registry crate named in
# Cargo.lock (`{ name, version, source, checksum }`): the registry's download template from
# crateRegistries with {crate}, {version}, {prefix}, {lowerprefix} and {sha256-checksum}
# filled in (the template is complete: registryFromDownloadUrl made it so), and the
# registry's fetchurlExtraArgs, as crane returns them.
{ lib, crateRegistries }:

{
  name,
  version,
  source,
  checksum ? null,
  ...
}:
let
  registry =
    crateRegistries.${source} or (throw ''
      urlForCargoPackage: ${name} ${version} comes from the registry ${source}, which gantry does not know (known: ${lib.concatStringsSep ", " (builtins.attrNames crateRegistries)}). Add it, e.g.:
        gantryLib = (gantry.mkLib pkgs).appendCrateRegistries [
          (gantryLib.registryFromDownloadUrl { indexUrl = "${lib.removePrefix "registry+" (lib.removePrefix "sparse+" source)}";${lib.optionalString (lib.hasPrefix "sparse+" source) '' registryPrefix = "sparse+";''} dl = "https://…/{crate}/{version}/download"; })
        ];
      (or registryFromGitIndex / registryFromSparse, which read `dl` from the index's config.json)'');
  prefix =
    let
      n = builtins.stringLength name;
    in
    if n <= 2 then
      toString n
    else if n == 3 then
      "3/${builtins.substring 0 1 name}"
    else
      "${builtins.substring 0 2 name}/${builtins.substring 2 2 name}";
in
{
  fetchurlExtraArgs = registry.fetchurlExtraArgs or { };
  url =
    builtins.replaceStrings
      [
        "{crate}"
        "{version}"
        "{prefix}"
        "{lowerprefix}"
        "{sha256-checksum}"
      ]
      [
        name
        version
        prefix
        (lib.toLower prefix)
        (if checksum == null then "" else checksum)
      ]
      registry.downloadUrl;
}
