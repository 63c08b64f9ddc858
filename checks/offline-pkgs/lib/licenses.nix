# A handful of entries shaped like nixpkgs lib/licenses.nix.
{ lib }:

let
  # nixpkgs' defaults: free unless stated, redistributable iff free.
  mkLicense =
    attrs:
    {
      deprecated = false;
      free = true;
    }
    // attrs
    // {
      redistributable = attrs.redistributable or (attrs.free or true);
    }
    // lib.attrsets.optionalAttrs (attrs ? spdxId && !(attrs ? url)) {
      url = "https://spdx.org/licenses/${attrs.spdxId}.html";
    };
in
builtins.mapAttrs (_: mkLicense) {
  mit = {
    spdxId = "MIT";
    shortName = "mit";
    fullName = "MIT License";
  };
  asl20 = {
    spdxId = "Apache-2.0";
    shortName = "asl20";
    fullName = "Apache License 2.0";
  };
  bsd2 = {
    spdxId = "BSD-2-Clause";
    shortName = "bsd2";
    fullName = ''BSD 2-clause "Simplified" License'';
  };
  bsd3 = {
    spdxId = "BSD-3-Clause";
    shortName = "bsd3";
    fullName = ''BSD 3-clause "New" or "Revised" License'';
  };
  gpl3Only = {
    spdxId = "GPL-3.0-only";
    shortName = "gpl3Only";
    fullName = "GNU General Public License v3.0 only";
  };
  gpl3Plus = {
    spdxId = "GPL-3.0-or-later";
    shortName = "gpl3Plus";
    fullName = "GNU General Public License v3.0 or later";
  };
  mpl20 = {
    spdxId = "MPL-2.0";
    shortName = "mpl20";
    fullName = "Mozilla Public License 2.0";
  };
  unlicense = {
    spdxId = "Unlicense";
    shortName = "unlicense";
    fullName = "The Unlicense";
  };
  zlib = {
    spdxId = "Zlib";
    shortName = "zlib";
    fullName = "zlib License";
  };
  isc = {
    spdxId = "ISC";
    shortName = "isc";
    fullName = "ISC License";
  };
  free = {
    shortName = "free";
    fullName = "Unspecified free software license";
  };
  unfree = {
    shortName = "unfree";
    fullName = "Unfree";
    free = false;
  };
}
