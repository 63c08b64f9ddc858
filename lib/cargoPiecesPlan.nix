# cargoPiecesPlan args: the derivation writing buildDepsPerCrate's plan, plan.json: cargo's
# unit graphs of the dependency build (buildDepsOnly's `cargo build` and, with doCheck, `cargo
# test --no-run`, on the dummy source) cut into pieces by `gantry plan`, its check pass's unit
# graph saying which crates pieces check, with `cargo metadata` saying which path packages are
# outside the workspace. The unit graph is unstable cargo output, enabled on a stable
# toolchain with RUSTC_BOOTSTRAP=1; nothing is compiled. `lockHash` is embedded so a committed
# copy can be checked against the lock file at evaluation time. Internal to buildDepsPerCrate.
{
  lib,
  mkCargoDerivation,
  gantry-helper,
}:

{
  src,
  pname,
  cargoVendorDir,
  # buildDepsOnly's cargo runs (depsOnlyPasses), whose unit graphs are planned.
  passes,
  # The attributes every piece is built with (see buildDepsPerCrate): RUSTFLAGS with
  # `--cfg` can change which dependencies a target has.
  environment,
  lockHash,
  mergePrivateLeaves,
  # The project's postUnpack, which may enter a workspace that is not at src's root.
  postUnpack ? null,
}:
let
  # A pass's unit graph, given to `gantry plan` with `flag`: --unit-graph goes ahead of the
  # pass's arguments, which may end with arguments for the test binaries.
  unitGraph = flag: name: pass: ''
    RUSTC_BOOTSTRAP=1 ${pass.command} --unit-graph -Z unstable-options ${pass.args} >"$graphs/${name}.json"
    graphFlags+=(${flag} "$graphs/${name}.json")
  '';
in
mkCargoDerivation (environment // lib.optionalAttrs (postUnpack != null) { inherit postUnpack; } // {
  inherit src cargoVendorDir;
  pname = "${pname}-plan";
  version = "0.0.0";
  cargoArtifacts = null;
  doInstallCargoArtifacts = false;
  buildPhaseCargoCommand = ''
    graphs=$NIX_BUILD_TOP/unit-graphs
    mkdir -p "$graphs"
    graphFlags=()
  '' + unitGraph "--unit-graph" "build" passes.build
  + lib.optionalString passes.doCheck (unitGraph "--unit-graph" "test" passes.test)
  + lib.optionalString passes.checks (unitGraph "--check-unit-graph" "check" passes.check) + ''
    configFlags=()
    for config in .cargo/config.toml .cargo/config; do
      if [ -f "$config" ]; then configFlags=(--cargo-config "$config"); break; fi
    done
    # The members, and where the path packages outside the workspace are.
    cargo metadata --format-version 1 --offline >"$graphs/metadata.json"
    ${gantry-helper}/bin/gantry plan "''${graphFlags[@]}" \
      --lock Cargo.lock --manifest Cargo.toml --lock-hash ${lockHash} "''${configFlags[@]}" \
      --metadata "$graphs/metadata.json" --build-top "$NIX_BUILD_TOP" \
      ${lib.optionalString mergePrivateLeaves "--merge-private-leaves"} "$NIX_BUILD_TOP/plan.json"
  '';
  installPhaseCommand = ''
    mkdir -p "$out"
    cp "$NIX_BUILD_TOP/plan.json" "$out/plan.json"
  '';
})
