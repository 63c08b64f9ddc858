# downloadCargoPackageFromGit { git, rev, ref ? null, allRefs ? ref == null, hash ? null, … }:
# the crates of one git checkout as cargo's directory source wants them. The checkout comes
# from builtins.fetchGit at evaluation time when no hash is known (rev pins it), or from a
# fixed-output fetchgit with `hash`. `gantry vendor-git` then walks it once: every package is
# found, copied per its include/exclude lists, its workspace inheritance resolved against
# the repository's workspace root (comments kept), and given a `package: null` checksum.
# gantry extensions: `crates` (["name@version"]: only these, e.g. the locked ones; all when
# null) and `overrideCheckout` (applied to the checkout before it is walked).
{
  lib,
  fetchgit,
  runCommand,
  gantry-helper,
}:

{
  git,
  rev,
  ref ? null,
  allRefs ? ref == null,
  hash ? null,
  crates ? null,
  overrideCheckout ? (checkout: checkout),
  ...
}:
let
  checkout =
    if hash != null then
      fetchgit {
        url = git;
        inherit rev hash;
      }
    else
      builtins.fetchGit (
        {
          url = git;
          inherit rev;
        }
        // (if ref != null then { inherit ref; } else { inherit allRefs; })
      );
  repoName = lib.removeSuffix ".git" (baseNameOf (lib.removeSuffix "/" git));
  crateFlags = lib.concatMapStrings (c: " --crate ${lib.escapeShellArg c}") (if crates == null then [ ] else crates);
in
runCommand "cargo-git-${repoName}-${builtins.substring 0 12 rev}" { nativeBuildInputs = [ gantry-helper ]; } ''
  gantry vendor-git ${overrideCheckout checkout} "$out"${crateFlags}
''
