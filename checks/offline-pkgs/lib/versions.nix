# Stand-in for nixpkgs lib/versions.nix (components as split by builtins.splitVersion).
{ lib }:

let
  inherit (builtins) splitVersion elemAt;
  component = i: v: elemAt (splitVersion v) i;
in
{
  inherit splitVersion;

  major = component 0;
  minor = component 1;
  patch = component 2;

  majorMinor = v: builtins.concatStringsSep "." (lib.lists.take 2 (splitVersion v));

  # Pad or truncate the numeric part to `n` components; a "-suffix" is kept.
  pad =
    n: version:
    let
      numeric = builtins.head (lib.strings.splitString "-" version);
      suffix = lib.strings.removePrefix numeric version;
      padded = lib.lists.take n (splitVersion numeric ++ builtins.genList (_: "0") n);
    in
    builtins.concatStringsSep "." padded + suffix;
}
