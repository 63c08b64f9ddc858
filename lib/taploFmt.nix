# taploFmt: `taplo fmt --check` of the source's TOML files: fails naming every unformatted
# one. Needs neither dependencies nor vendored sources.
{ mkCargoDerivation, taplo }:

args@{
  taploExtraArgs ? "",
  ...
}:
mkCargoDerivation (
  removeAttrs args [ "taploExtraArgs" ]
  // {
    cargoArtifacts = null;
    cargoVendorDir = null;
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    pnameSuffix = "-tomlfmt";
    buildPhaseCargoCommand = "taplo fmt --check ${taploExtraArgs}";
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ taplo ];
  }
)
