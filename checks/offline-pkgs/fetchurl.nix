# fetchurl: a fixed-output derivation built by Nix's own `builtin:fetchurl`, with the same
# name, hash and mode as nixpkgs' fetchurl, hence the same store path. Like nixpkgs, it has
# no catch-all argument: a misspelt argument is an error.
{ lib }:

{
  url ? "",
  urls ? [ ],
  name ? null,
  hash ? "",
  sha1 ? "",
  sha256 ? "",
  sha512 ? "",
  outputHash ? "",
  outputHashAlgo ? "",
  executable ? false,
  recursiveHash ? false,
  postFetch ? "",
  downloadToTemp ? false,
  curlOpts ? "",
  curlOptsList ? [ ],
  netrcPhase ? null,
  netrcImpureEnvVars ? [ ],
  preferLocalBuild ? true,
  showURLs ? false,
  meta ? { },
  passthru ? { },
}:

let
  urls_ = if urls != [ ] then urls else if url != "" then [ url ] else throw "fetchurl requires either `url` or `urls` to be set";
  firstUrl = builtins.head urls_;
  hashes = lib.filter (h: h.value != "") [
    { algo = null; value = hash; }
    { algo = "sha1"; value = sha1; }
    { algo = "sha256"; value = sha256; }
    { algo = "sha512"; value = sha512; }
    { algo = outputHashAlgo; value = outputHash; }
  ];
  # An empty hash means "tell me the hash": Nix fails and prints the real one.
  chosen =
    if hashes == [ ] then
      { algo = null; value = lib.fakeHash or "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }
    else if builtins.length hashes > 1 then
      throw "fetchurl: more than one hash given for ${firstUrl}"
    else
      builtins.head hashes;
  unsupported = lib.filterAttrs (_: v: v) {
    inherit downloadToTemp showURLs;
    postFetch = postFetch != "";
    netrcPhase = netrcPhase != null;
    curlOpts = curlOpts != "" || curlOptsList != [ ];
  };
  drv =
    if unsupported != { } then
      throw "fetchurl (offline stand-in): ${lib.concatStringsSep ", " (builtins.attrNames unsupported)} not supported"
    else
      derivation (
        {
          name = if name != null then name else builtins.baseNameOf (toString firstUrl);
          builder = "builtin:fetchurl";
          system = "builtin";
          url = firstUrl;
          urls = urls_;
          outputHash = chosen.value;
          outputHashMode = if executable || recursiveHash then "recursive" else "flat";
          inherit executable preferLocalBuild;
          unpack = false;
          impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
        }
        // lib.optionalAttrs (chosen.algo != null) { outputHashAlgo = chosen.algo; }
      );
in
drv // passthru // { inherit meta; }
