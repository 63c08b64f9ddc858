# For users without flakes: `import gantry { inherit pkgs; }` is `mkLib pkgs`.
{
  pkgs ? import <nixpkgs> { },
}:
import ./lib { inherit pkgs; }
