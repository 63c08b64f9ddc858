# overrideToolchain toolchain: gantry's functions using one toolchain derivation (holding
# cargo, rustc, clippy, rustfmt…) for cargo, rustc, clippy and rustfmt. `toolchain` may be
# that derivation or a function from a package set to it (`p: p.rust-bin.stable.latest.default`),
# which is what cross builds pass: as in crane, the function is called for each of pkgs'
# package sets and the results spliced, so a derivation taking the toolchain in
# nativeBuildInputs gets the build machine's (pkgsBuildHost's), one able to build for the
# cross platform. A plain derivation while cross compiling gets crane's warning. The helper
# keeps pkgs' own toolchain.
{ lib, pkgs, overrideScope }:

toolchain:
let
  isCross = pkgs.stdenv.buildPlatform != pkgs.stdenv.hostPlatform;
  spliced =
    (pkgs.splicePackages {
      pkgsBuildBuild.toolchain = toolchain pkgs.pkgsBuildBuild;
      pkgsBuildHost.toolchain = toolchain pkgs.pkgsBuildHost;
      pkgsBuildTarget.toolchain = toolchain pkgs.pkgsBuildTarget;
      pkgsHostHost.toolchain = toolchain pkgs.pkgsHostHost;
      pkgsHostTarget.toolchain = toolchain pkgs.pkgsHostTarget;
      pkgsTargetTarget = lib.optionalAttrs (pkgs.pkgsTargetTarget ? newScope) {
        toolchain = toolchain pkgs.pkgsTargetTarget;
      };
    }).toolchain;
  resolved = if lib.isFunction toolchain then spliced else toolchain;
  unspliced = isCross && !(resolved ? __spliced);
in
if !(lib.isDerivation resolved) then
  throw "overrideToolchain: expected a toolchain derivation (or a function from pkgs to one), got a ${builtins.typeOf resolved}"
else
  lib.warnIf unspliced
    "overrideToolchain: cross compiling (${pkgs.stdenv.buildPlatform.config} to ${pkgs.stdenv.hostPlatform.config}) needs a toolchain for each package set, and one derivation was given: pass a function of the package set instead, e.g. gantryLib.overrideToolchain (p: p.rust-bin.stable.latest.default) (as in crane)"
    (
      overrideScope (
        final: prev: {
          cargo = resolved;
          rustc = resolved;
          clippy = resolved;
          rustfmt = resolved;
        }
      )
    )
