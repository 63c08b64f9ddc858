# The parts of nixpkgs lib/filesystem.nix gantry needs.
{ lib }:

let
  inherit (builtins) pathExists readDir;
in
rec {
  # Nix 2.8 has no builtins.readFileType, so (like nixpkgs' compatibility shim)
  # look the entry up in a listing of the parent directory. Returns
  # "directory", "regular", "symlink" or "unknown".
  pathType =
    builtins.readFileType or (
      path:
      if !pathExists path then
        # abort, not throw, like nixpkgs (and like readFileType's hard error).
        abort "lib.filesystem.pathType: Path ${toString path} does not exist."
      else if dirOf path == path then
        # Only the filesystem root is its own parent and it has no baseName.
        "directory"
      else
        (readDir (dirOf path)).${baseNameOf path}
    );

  pathIsDirectory = path: pathExists path && pathType path == "directory";

  pathIsRegularFile = path: pathExists path && pathType path == "regular";

  # All non-directory entries below `dir`, recursively.
  listFilesRecursive =
    dir:
    lib.lists.flatten (
      lib.attrsets.mapAttrsToList (
        name: type: if type == "directory" then listFilesRecursive (dir + "/${name}") else dir + "/${name}"
      ) (readDir dir)
    );
}
