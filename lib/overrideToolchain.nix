# overrideToolchain toolchain: gantry's functions using one toolchain derivation (holding
# cargo, rustc, clippy, rustfmt…) for cargo, rustc, clippy and rustfmt. `toolchain` may be
# that derivation or a function from pkgs to it (`p: p.rust-bin.stable.latest.default`),
# which is what cross builds pass. The helper keeps pkgs' own toolchain.
{ lib, pkgs, overrideScope }:

toolchain:
let
  resolved = if lib.isFunction toolchain then toolchain pkgs else toolchain;
in
if !(lib.isDerivation resolved) then
  throw "overrideToolchain: expected a toolchain derivation (or a function from pkgs to one), got a ${builtins.typeOf resolved}"
else
  overrideScope (
    final: prev: {
      cargo = resolved;
      rustc = resolved;
      clippy = resolved;
      rustfmt = resolved;
    }
  )
