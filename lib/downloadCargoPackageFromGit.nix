# downloadCargoPackageFromGit { git, rev, ref ? null, allRefs ? ref == null, hash ? null, … }:
# the crates of one git checkout as cargo's directory source wants them. The checkout, with
# its submodules (cargo checks them out too), comes from builtins.fetchGit at evaluation time
# when no hash is known (rev pins it), or from a fixed-output fetchgit with `hash`. It is the
# `src` of an ordinary phased derivation, as in crane, so overrideVendorGitCheckout can patch
# it (`drv.overrideAttrs { patches = [ … ]; }`, `postPatch`) before the install phase runs
# `gantry vendor-git` on it once: every package found, copied per its include/exclude lists,
# its workspace inheritance resolved against the repository's workspace root (comments kept),
# and given a `package: null` checksum.
# gantry extension: `crates` (["name@version"]: only these, e.g. the locked ones; all when
# null).
{
  lib,
  stdenv,
  fetchgit,
  gantry-helper,
}:

{
  git,
  rev,
  ref ? null,
  allRefs ? ref == null,
  hash ? null,
  crates ? null,
  ...
}:
let
  checkout =
    if hash != null then
      fetchgit {
        url = git;
        inherit rev hash;
        fetchSubmodules = true;
      }
    else
      builtins.fetchGit (
        {
          url = git;
          inherit rev;
          submodules = true;
        }
        // (if ref != null then { inherit ref; } else { inherit allRefs; })
      );
  repoName = lib.removeSuffix ".git" (baseNameOf (lib.removeSuffix "/" git));
  crateFlags = lib.concatMapStrings (c: " --crate ${lib.escapeShellArg c}") (if crates == null then [ ] else crates);
in
stdenv.mkDerivation {
  name = "cargo-git-${repoName}-${builtins.substring 0 12 rev}";
  src = checkout;
  nativeBuildInputs = [ gantry-helper ];
  dontConfigure = true;
  dontBuild = true;
  dontFixup = true;
  installPhase = ''
    runHook preInstall
    gantry vendor-git "$PWD" "$out"${crateFlags}
    runHook postInstall
  '';
}
