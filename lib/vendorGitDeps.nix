# vendorGitDeps { lockPackages, outputHashes ? { }, overrideVendorGitCheckout ? (ps: drv: drv) }:
# the git crates among `lockPackages` (sources `git+URL?branch=…|tag=…|rev=…#COMMIT`), one
# checkout per (URL, commit) walked by downloadCargoPackageFromGit (the derivation that
# overrideVendorGitCheckout receives with the checkout's locked packages), and only the locked
# crates linked. `outputHashes` maps a source (as written in Cargo.lock) to the checkout's hash,
# which makes it a fixed-output fetchgit; without one, builtins.fetchGit fetches it at
# evaluation time. Returns `{ config; sources; }` like vendorCargoRegistries, and `isGit` and
# `packagePath` (a git package of `lockPackages` -> its crate's directory in its checkout), with
# which buildDepsPerCrate's pieces vendor one crate each.
{
  lib,
  runCommand,
  downloadCargoPackageFromGit,
  shortHash,
}:

{
  lockPackages,
  outputHashes ? { },
  overrideVendorGitCheckout ? (ps: drv: drv),
  ...
}:
let
  isGit = p: p ? source && lib.hasPrefix "git+" p.source;
  gitPackages = builtins.filter isGit lockPackages;

  # Lock files version 4 percent-encode the query (`branch=feature%2Fx`).
  encoded = [ "%20" "%21" "%22" "%23" "%24" "%26" "%27" "%28" "%29" "%2A" "%2B" "%2C" "%2F" "%3A" "%3B" "%3C" "%3D" "%3E" "%3F" "%40" "%5B" "%5C" "%5D" "%5E" "%60" "%7B" "%7C" "%7D" "%7E" "%25" ];
  decoded = [ " " "!" "\"" "#" "$" "&" "'" "(" ")" "*" "+" "," "/" ":" ";" "<" "=" ">" "?" "@" "[" "\\" "]" "^" "`" "{" "|" "}" "~" "%" ];
  percentDecode = s: builtins.replaceStrings (encoded ++ map lib.toLower encoded) (decoded ++ decoded) s;

  parse =
    p:
    let
      m = builtins.match "git\\+([^?#]+)(\\?([^#]*))?(#(.+))?" p.source;
      query = if m == null then null else builtins.elemAt m 2;
      q = if query == null then null else builtins.match "(branch|tag|rev)=(.*)" query;
      commit = if m == null then null else builtins.elemAt m 4;
    in
    if m == null || commit == null then
      throw "vendorGitDeps: ${p.name} ${p.version} comes from ${p.source}, which pins no commit (`#<commit>`): regenerate Cargo.lock with a current cargo"
    else
      {
        url = builtins.elemAt m 0;
        inherit commit;
        kind = if q == null then null else builtins.elemAt q 0;
        value = if q == null then null else percentDecode (builtins.elemAt q 1);
      };

  # One checkout per (url, commit); every source key naming it gets a [source] entry.
  checkoutKey = p: let g = parse p; in "${g.url}#${g.commit}";
  byCheckout = lib.groupBy checkoutKey gitPackages;
  checkout =
    key: packages:
    let
      g = parse (builtins.head packages);
      hashes = lib.unique (
        builtins.filter (h: h != null) (map (p: outputHashes.${p.source} or null) packages)
      );
    in
    overrideVendorGitCheckout packages (downloadCargoPackageFromGit {
      git = g.url;
      rev = g.commit;
      ref =
        if g.kind == "branch" then
          "refs/heads/${g.value}"
        else if g.kind == "tag" then
          "refs/tags/${g.value}"
        else
          null;
      hash = if hashes == [ ] then null else builtins.head hashes;
      crates = map (p: "${p.name}@${p.version}") packages;
    });
  checkouts = lib.mapAttrs checkout byCheckout;
  packagePath = p: "${checkouts.${checkoutKey p}}/${p.name}-${p.version}";

  # The locked crates of a checkout, linked under their `name-version`.
  directory =
    key: packages:
    runCommand "cargo-git-sources-${shortHash key}" { } (
      "mkdir -p $out\n"
      + lib.concatMapStrings (p: "ln -s ${packagePath p} $out/${p.name}-${p.version}\n") packages
    );
  sources = lib.mapAttrs directory byCheckout;

  sourceKeys = lib.unique (map (p: p.source) gitPackages);
  entry =
    source:
    let
      g = parse { inherit source; name = "?"; version = "?"; };
      key = "${g.url}#${g.commit}";
      vendored = "gantry-vendored-${shortHash key}";
    in
    ''
      [source.gantry-git-${shortHash source}]
      git = "${g.url}"
      ${lib.optionalString (g.kind != null) "${g.kind} = ${builtins.toJSON g.value}"}
      replace-with = "${vendored}"

    '';
  directories = lib.concatStrings (
    lib.mapAttrsToList (key: dir: ''
      [source.gantry-vendored-${shortHash key}]
      directory = "${dir}"

    '') sources
  );
in
{
  config = lib.concatStrings (map entry sourceKeys) + directories;
  inherit sources isGit packagePath;
}
