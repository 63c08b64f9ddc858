# registryFromGitIndex { indexUrl, rev, fetchurlExtraArgs ? { } }: a registry whose download
# template is read from config.json in its git index at `rev` (fetched at evaluation time with
# builtins.fetchGit; pinning rev keeps that pure).
{ registryFromDownloadUrl }:

{
  indexUrl,
  rev,
  fetchurlExtraArgs ? { },
}:
let
  index = builtins.fetchGit {
    url = indexUrl;
    inherit rev;
    allRefs = true;
  };
  config = builtins.fromJSON (builtins.readFile "${index}/config.json");
in
registryFromDownloadUrl {
  inherit indexUrl fetchurlExtraArgs;
  dl = config.dl or (throw "registryFromGitIndex: ${indexUrl} at ${rev} has no `dl` in config.json");
}
