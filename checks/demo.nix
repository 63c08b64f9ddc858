# What ci/demo.sh builds: gantry's helper through `mkLib` on the offline stand-in.
{ root }:
let
  pkgs = import (root + "/checks/offline-pkgs") { };
in
(import (root + "/default.nix") { inherit pkgs; }).gantry-helper
