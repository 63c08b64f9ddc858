# path: builtins.path of a directory (or `{ path; name?; filter?; … }`) named after its crate
# (see crateNameForSource) unless a name is given.
{ crateNameForSource }:

input:
let
  attrs = if builtins.isAttrs input then input else { path = input; };
in
builtins.path ({ name = crateNameForSource attrs.path; } // attrs)
