# Two small helpers from nixpkgs lib/derivations.nix (lazyDerivation is not provided).
{ lib }:

{
  # `null` attributes are left out of derivations by mkDerivation/derivation.
  optionalDrvAttr = cond: value: if cond then value else null;

  # Warn when anything but name/type/meta of `drv` is used.
  warnOnInstantiate =
    msg: drv:
    let
      wrapped = removeAttrs drv [
        "meta"
        "name"
        "type"
      ];
    in
    drv // builtins.mapAttrs (_: lib.trivial.warn msg) wrapped;
}
