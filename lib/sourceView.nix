# sourceView src: what gantry may read of `src` at evaluation time without copying it to the
# store: { root; visible; hasFile; } for a path, or for a cleanSourceWith result over one
# (lib.fileset.toSource's too), whose files are read from its origin (`root`) but only those
# its filter lets through with every directory above them (`visible rel type`, rel relative
# to root; `hasFile rel`: a regular file is there and visible); null for anything else (a
# derivation, a string). So a file left out of the source — an invalid manifest, a member
# excluded on purpose — is never read, as cargo would never see it. Internal to mkDummySrc
# (and, through it, workspaceManifests and memberVersions), vendorCargoDeps and
# crateNameForSource.
{ lib }:

src:
let
  view = root: visible: {
    inherit root visible;
    hasFile = rel: builtins.pathExists (root + "/${rel}") && visible rel "regular";
  };
  filtered =
    root: filter:
    view root (
      rel: type:
      let
        parts = lib.splitString "/" rel;
        above = builtins.genList (i: lib.concatStringsSep "/" (lib.take (i + 1) parts)) (builtins.length parts - 1);
        accepts = r: t: filter "${toString root}/${r}" t;
      in
      builtins.all (d: accepts d "directory") above && accepts rel type
    );
in
if builtins.isPath src then
  view src (_: _: true)
else if builtins.isAttrs src && src ? origSrc && builtins.isPath src.origSrc then
  filtered src.origSrc src.filter
else
  null
