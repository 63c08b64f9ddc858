# nixpkgs' mkShell: a derivation for `nix develop`/`nix-shell` whose inputs are its own plus
# those of every derivation in `inputsFrom`; it builds to a small marker file.
{ lib, stdenv }:

{
  name ? "nix-shell",
  packages ? [ ],
  inputsFrom ? [ ],
  buildInputs ? [ ],
  nativeBuildInputs ? [ ],
  propagatedBuildInputs ? [ ],
  propagatedNativeBuildInputs ? [ ],
  ...
}@attrs:
let
  mergeInputs =
    name:
    (attrs.${name} or [ ])
    ++ lib.subtractLists inputsFrom (lib.flatten (lib.catAttrs name inputsFrom));
  rest = removeAttrs attrs [
    "name"
    "packages"
    "inputsFrom"
    "buildInputs"
    "nativeBuildInputs"
    "propagatedBuildInputs"
    "propagatedNativeBuildInputs"
    "shellHook"
  ];
in
stdenv.mkDerivation (
  {
    inherit name;
    buildInputs = mergeInputs "buildInputs";
    nativeBuildInputs = packages ++ mergeInputs "nativeBuildInputs";
    propagatedBuildInputs = mergeInputs "propagatedBuildInputs";
    propagatedNativeBuildInputs = mergeInputs "propagatedNativeBuildInputs";
    shellHook = lib.concatStringsSep "\n" (
      lib.catAttrs "shellHook" (lib.reverseList inputsFrom ++ [ attrs ])
    );
    phases = [ "buildPhase" ];
    buildPhase = ''
      { echo "------------------------------------------------------------";
        echo " WARNING: the existence of this path is not guaranteed.";
        echo " It is an internal implementation detail for pkgs.mkShell.";
        echo "------------------------------------------------------------";
        echo;
        export;
      } >> "$out"
    '';
    preferLocalBuild = true;
  }
  // rest
)
