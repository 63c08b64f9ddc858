# cargoDeny: `cargo deny check` (bans, licenses and sources by default) of the project,
# offline against its vendored sources.
{ mkCargoDerivation, cargo-deny }:

args@{
  cargoDenyChecks ? "bans licenses sources",
  cargoDenyExtraArgs ? "",
  cargoExtraArgs ? "",
  ...
}:
mkCargoDerivation (
  removeAttrs args [
    "cargoDenyChecks"
    "cargoDenyExtraArgs"
    "cargoExtraArgs"
  ]
  // {
    cargoArtifacts = null;
    doInstallCargoArtifacts = false;
    pnameSuffix = "-deny";
    buildPhaseCargoCommand = "cargo --offline ${cargoExtraArgs} deny ${cargoDenyExtraArgs} check ${cargoDenyChecks}";
    nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ cargo-deny ];
  }
)
