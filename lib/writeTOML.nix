# writeTOML name attrs: a store file holding `attrs` as TOML, written by `gantry write-toml`.
{ gantry-helper, runCommand }:

name: attrs:
runCommand name {
  nativeBuildInputs = [ gantry-helper ];
  json = builtins.toJSON attrs;
  passAsFile = [ "json" ];
} ''
  gantry write-toml < "$jsonPath" > "$out"
''
