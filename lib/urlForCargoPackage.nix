# urlForCargoPackage package: `{ url; … }` to fetch a registry crate named in Cargo.lock
# (`{ name, version, source, checksum }`), from the registry's download template in
# crateRegistries (plus that registry's fetchurlExtraArgs). Like cargo: {crate}, {version},
# {prefix}, {lowerprefix} and {sha256-checksum} are replaced, and a template with none of
# them gets `/{crate}/{version}/download` appended.
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
      urlForCargoPackage: ${name} ${version} comes from the registry ${source}, which gantry does not know. Add it, e.g.:
        gantryLib = (gantry.mkLib pkgs).appendCrateRegistries [
          (gantryLib.registryFromDownloadUrl { indexUrl = "${lib.removePrefix "registry+" source}"; dl = "https://…/{crate}/{version}/download"; })
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
  markers = [
    "{crate}"
    "{version}"
    "{prefix}"
    "{lowerprefix}"
    "{sha256-checksum}"
  ];
  template = registry.downloadUrl;
  hasMarker = builtins.any (m: lib.hasInfix m template) markers;
  url =
    if hasMarker then
      builtins.replaceStrings markers [
        name
        version
        prefix
        (lib.toLower prefix)
        (if checksum == null then "" else checksum)
      ] template
    else
      "${template}/${name}/${version}/download";
in
registry.fetchurlExtraArgs or { } // { inherit url; }
