# cargoPiecesPlan args: the derivation writing buildDepsPerCrate's plan, plan.json: cargo's
# unit graphs of the dependency build (`cargo build` and `cargo test --no-run` with the
# arguments' cargoExtraArgs, on the dummy source) cut into pieces by `gantry plan`, with
# `cargo metadata` saying which path packages are outside the workspace. The
# unit graph is unstable cargo output, enabled on a stable toolchain with RUSTC_BOOTSTRAP=1;
# nothing is compiled. `lockHash` is embedded so a committed copy can be checked against the
# lock file at evaluation time. Internal to buildDepsPerCrate.
{
  lib,
  mkCargoDerivation,
  gantry-helper,
}:

{
  src,
  pname,
  cargoVendorDir,
  cargoBuildCommand,
  cargoExtraArgs,
  cargoTestCommand,
  # The attributes every piece is built with (see buildDepsPerCrate): RUSTFLAGS with
  # `--cfg` can change which dependencies a target has.
  environment,
  lockHash,
  mergePrivateLeaves,
  # The project's postUnpack, which may enter a workspace that is not at src's root.
  postUnpack ? null,
}:
mkCargoDerivation (environment // lib.optionalAttrs (postUnpack != null) { inherit postUnpack; } // {
  inherit src cargoVendorDir;
  pname = "${pname}-plan";
  version = "0.0.0";
  cargoArtifacts = null;
  doInstallCargoArtifacts = false;
  buildPhaseCargoCommand = ''
    graphs=$NIX_BUILD_TOP/unit-graphs
    mkdir -p "$graphs"
    RUSTC_BOOTSTRAP=1 ${cargoBuildCommand} ${cargoExtraArgs} --unit-graph -Z unstable-options >"$graphs/build.json"
    RUSTC_BOOTSTRAP=1 ${cargoTestCommand} ${cargoExtraArgs} --no-run --unit-graph -Z unstable-options >"$graphs/test.json"
    configFlags=()
    for config in .cargo/config.toml .cargo/config; do
      if [ -f "$config" ]; then configFlags=(--cargo-config "$config"); break; fi
    done
    # The members, and where the path packages outside the workspace are.
    cargo metadata --format-version 1 --offline >"$graphs/metadata.json"
    ${gantry-helper}/bin/gantry plan --unit-graph "$graphs/build.json" --unit-graph "$graphs/test.json" \
      --lock Cargo.lock --manifest Cargo.toml --lock-hash ${lockHash} "''${configFlags[@]}" \
      --metadata "$graphs/metadata.json" --build-top "$NIX_BUILD_TOP" \
      ${lib.optionalString mergePrivateLeaves "--merge-private-leaves"} "$NIX_BUILD_TOP/plan.json"
  '';
  installPhaseCommand = ''
    mkdir -p "$out"
    cp "$NIX_BUILD_TOP/plan.json" "$out/plan.json"
  '';
})
