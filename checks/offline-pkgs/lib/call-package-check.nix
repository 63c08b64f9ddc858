# The missing-argument check behind callPackageWith, in its own file so tests can
# exercise it: callPackageWith itself aborts (uncatchable by builtins.tryEval),
# exactly like nixpkgs, so that nix-env/CI cannot silently skip such packages.
{ lib }:

rec {
  # Names `fargs` requires (no default) that `passed` does not provide.
  missingArgs =
    fargs: passed: builtins.attrNames (lib.attrsets.filterAttrs (_: hasDefault: !hasDefault) (removeAttrs fargs (builtins.attrNames passed)));

  # Up to three candidate names at most two edits away, closest first.
  suggestionsFor =
    candidates: arg:
    lib.trivial.pipe (builtins.attrNames candidates) [
      (builtins.filter (lib.strings.levenshteinAtMost 2 arg))
      (lib.lists.sortOn (lib.strings.levenshtein arg))
      (lib.lists.take 3)
      (map (x: "\"" + x + "\""))
    ];

  describeSuggestions =
    suggestions:
    if suggestions == [ ] then
      ""
    else if builtins.length suggestions == 1 then
      ", did you mean ${builtins.head suggestions}?"
    else
      ", did you mean ${builtins.concatStringsSep ", " (lib.lists.init suggestions)} or ${lib.lists.last suggestions}?";

  # The message for the first missing argument (attribute-name order), or null.
  errorMessage =
    {
      fargs,
      autoArgs,
      args,
    }:
    let
      passed = builtins.intersectAttrs fargs autoArgs // args;
      missing = missingArgs fargs passed;
      arg = builtins.head missing;
      pos = builtins.unsafeGetAttrPos arg fargs;
      where = if pos != null then pos.file + ":" + toString pos.line else "<unknown location>";
    in
    if missing == [ ] then
      null
    else
      "lib.customisation.callPackageWith: Function called without required argument \"${arg}\" at "
      + where
      + describeSuggestions (suggestionsFor (autoArgs // args) arg);
}
