# devShell: mkShell with the toolchain (rustc, cargo, clippy, rustfmt) and, through
# inputsFrom, the inputs of every derivation in `checks` (so tools the checks need are there).
{
  mkShell,
  rustc,
  cargo,
  clippy,
  rustfmt,
}:

args@{
  checks ? { },
  inputsFrom ? [ ],
  packages ? [ ],
  ...
}:
mkShell (
  removeAttrs args [
    "checks"
    "inputsFrom"
    "packages"
  ]
  // {
    inputsFrom = builtins.attrValues checks ++ inputsFrom;
    packages = [
      rustc
      cargo
      clippy
      rustfmt
    ]
    ++ packages;
  }
)
