# cargoDoc: `cargo doc` of the workspace on inherited dependency artifacts (by default the
# implicit deps build of the same arguments: buildDepsOnly without the caller's install step),
# installing the documentation as $out/share/doc.
{ mkCargoDerivation, implicitCargoArtifacts }:

args@{
  cargoDocExtraArgs ? "--no-deps",
  cargoExtraArgs ? "--locked",
  ...
}:
let
  cleaned = removeAttrs args [
    "cargoDocExtraArgs"
    "cargoExtraArgs"
  ];
in
mkCargoDerivation (
  cleaned
  // {
    # The caller's cargoExtraArgs (features…) reach the deps build too.
    cargoArtifacts = implicitCargoArtifacts (removeAttrs args [ "cargoDocExtraArgs" ]);
    pnameSuffix = "-doc";
    doInstallCargoArtifacts = args.doInstallCargoArtifacts or false;
    # Where cargo wrote the docs; found after the build when empty.
    docInstallRoot = args.docInstallRoot or "";
    buildPhaseCargoCommand = "cargoWithProfile doc ${cargoExtraArgs} ${cargoDocExtraArgs}";
    installPhaseCommand = ''
      if [ -z "$docInstallRoot" ]; then
        docInstallRoot=''${CARGO_TARGET_DIR:-target}/''${CARGO_BUILD_TARGET:-}/doc
        if [ ! -d "$docInstallRoot" ]; then
          docInstallRoot=''${CARGO_TARGET_DIR:-target}/doc
        fi
      fi
      mkdir -p "$out/share"
      mv "$docInstallRoot" "$out/share/doc"
    '';
  }
)
