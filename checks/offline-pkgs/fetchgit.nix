# fetchgit: a fixed-output (recursive) derivation holding the checkout without `.git`,
# named like nixpkgs' (`urlToName url` plus `-<7 chars>` of a hex rev). The stand-in takes
# the tree from `builtins.fetchGit` (host git) instead of cloning in the builder, so the
# checkout happens at evaluation time; the store path is the same as nixpkgs' fetchgit.
{ lib, runCommand }:

{
  url,
  rev ? null,
  tag ? null,
  hash ? "",
  sha256 ? "",
  fetchSubmodules ? true,
  leaveDotGit ? false,
  deepClone ? false,
  branchName ? null,
  sparseCheckout ? [ ],
  fetchLFS ? false,
  name ? null,
  postFetch ? "",
  meta ? { },
  passthru ? { },
}:

assert lib.assertMsg ((rev == null) != (tag == null)) "fetchgit requires exactly one of `rev` or `tag`";
assert lib.assertMsg (!leaveDotGit && !deepClone && sparseCheckout == [ ] && !fetchLFS && postFetch == "")
  "fetchgit (offline stand-in): leaveDotGit, deepClone, sparseCheckout, fetchLFS and postFetch are not supported";

let
  revOrTag = if rev != null then rev else tag;
  isHexRev = builtins.match "[0-9a-f]{40}" revOrTag != null;
  defaultName =
    lib.sources.urlToName url + lib.optionalString isHexRev "-${builtins.substring 0 7 revOrTag}";
  tree = builtins.fetchGit (
    {
      inherit url;
      submodules = fetchSubmodules;
      allRefs = true;
    }
    // (if rev != null then { inherit rev; } else { ref = "refs/tags/${tag}"; })
  );
  chosenHash = if hash != "" then hash else if sha256 != "" then sha256 else lib.fakeHash or "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
in
(runCommand (if name != null then name else defaultName) {
  outputHash = chosenHash;
  outputHashMode = "recursive";
  outputHashAlgo = if lib.hasPrefix "sha256-" chosenHash || hash != "" then null else "sha256";
  inherit passthru meta;
} ''
  cp -r --no-preserve=ownership ${tree} $out
  chmod -R u+w $out
'')
// {
  inherit url;
  rev = tree.rev;
}
