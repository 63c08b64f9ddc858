# buildCargoPiece: one piece of buildDepsPerCrate, the units cargo compiles for one dependency
# crate (library and build script, and the library's `cargo check` unit when the project's
# check pass checks it) as a complete symlink layer. The piece's own project (`gantry
# piece-project`: the crate and its closure pinned with their exact features, the lock lines
# they need, their vendored sources linked below the constant vendor path) is built over its
# closure's pieces (`gantry piece-restore`: links to their files when they were built in this
# build directory, copies otherwise), and only its crate's new units are kept, with the build
# directory recorded. Its inputs are the crate, the closure's pieces and the environment,
# never the project: two projects (or two lock files) needing the same unit share the piece.
# Should cargo compile another crate's unit too (outside the sandbox the vendor path differs,
# so the closure is stale), the piece warns naming the crate and keeps that unit as cargo
# compiled it for this crate (the check per-crate-own-units asserts it never happens in the
# sandbox). Internal to buildDepsPerCrate.
{
  lib,
  mkCargoDerivation,
  gantry-helper,
}:

{
  # The piece as the plan describes it.
  piece,
  # The description `gantry piece-project` reads (crates, lock lines with source paths).
  spec,
  # The pieces of piece.closure.
  closure,
  environment,
  # cargo's cache of rustc's answers for the pieces (cargoRustcInfo).
  rustcInfo,
  # With path packages among its crates: the final build's workspace directory, relative to
  # the build directory, where the piece's project is written (so cargo sees the path
  # packages at the same paths relative to it).
  workspaceDir ? null,
}:
let
  gantry = "${gantry-helper}/bin/gantry";
  projectDir = if workspaceDir == null then "piece" else ''"$NIX_BUILD_TOP"/${lib.escapeShellArg workspaceDir}'';
  # The piece's crate and the leaf crates merged into it.
  own = map (c: "${c.name}@${c.version}") ([ piece ] ++ piece.merged or [ ]);
  crateFlags = lib.concatMapStringsSep " " (c: "--crate ${lib.escapeShellArg c}") own;
in
mkCargoDerivation (
  environment
  // {
    pname = "${piece.name}-piece";
    inherit (piece) version;
    src = null;
    cargoVendorDir = "";
    cargoArtifacts = null;
    doInstallCargoArtifacts = false;
    doCheck = false;
    gantryPieceSpec = builtins.toJSON spec;
    passAsFile = [ "gantryPieceSpec" ];
    gantryClosure = closure;
    # A piece holds cargo's units as cargo wrote them: stdenv's fixup (strip, patchelf,
    # patch-shebangs) has nothing to do for cargo and only walks the output.
    dontFixup = true;
    # The crates whose units the piece holds, and the rustc cache it starts from (checks
    # read them).
    passthru = {
      crates = own;
      inherit rustcInfo;
    };
    unpackPhase = ''
      runHook preUnpack
      mkdir -p ${projectDir}
      cd ${projectDir}
      runHook postUnpack
    '';
    # A leaf (no closure) starts from an empty target directory. The helper chooses what
    # cargo compiles (the piece's crates by name, or the project for host crates): a line for
    # `cargo build`, one for `cargo check` (empty when the piece holds no check unit: the
    # project's check pass checks none of its crates).
    buildPhaseCargoCommand = ''
      ${gantry} piece-project --vendor-at "$(gantryVendorDir)" --build-top "$NIX_BUILD_TOP" \
        ${crateFlags} --selection "$NIX_BUILD_TOP/piece-selection" "$gantryPieceSpecPath" . >>"$CARGO_HOME/config.toml"
      { read -r gantryPieceBuild; read -r gantryPieceCheck; } <"$NIX_BUILD_TOP/piece-selection"
    '' + lib.optionalString (closure != [ ]) ''
      ${gantry} piece-restore --build-top "$NIX_BUILD_TOP" "$NIX_BUILD_TOP/closure" "''${CARGO_TARGET_DIR:-target}" $gantryClosure
    '' + ''
      mkdir -p "''${CARGO_TARGET_DIR:-target}"
      install -m 644 ${rustcInfo} "''${CARGO_TARGET_DIR:-target}/.rustc_info.json"
      cargoWithProfile $gantryPieceBuild --offline --message-format json-render-diagnostics >"$NIX_BUILD_TOP/piece-build.json"
      if [ -n "$gantryPieceCheck" ]; then
        cargoWithProfile $gantryPieceCheck --offline --message-format json-render-diagnostics >>"$NIX_BUILD_TOP/piece-build.json"
      fi
    '';
    installPhaseCommand = ''
      ${gantry} piece-collect --log "$NIX_BUILD_TOP/piece-build.json" --build-top "$NIX_BUILD_TOP" \
        ${lib.optionalString (closure != [ ]) ''--closure "$NIX_BUILD_TOP/closure"''} ${crateFlags} \
        "''${CARGO_TARGET_DIR:-target}" "$out"
    '';
  }
)
