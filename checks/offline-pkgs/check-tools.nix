# The check tools nixpkgs packages (cargo-nextest, cargo-audit, cargo-deny, cargo-tarpaulin,
# taplo, cargo-llvm-cov) and the wasm tools buildTrunkPackage uses (trunk, wasm-bindgen-cli):
# the machine's cargo-nextest, the others built from crates.io by ci/install-tools.sh into a
# cache on this machine; each program is copied into the store here, so they are real store
# paths. Only the tools found (host.checkTools, written by ci/setup-nix.sh: "<crate>-<version>"
# = "<directory of its programs>") are offered: a missing one is missing as it would be from
# a package set without it.
{ system, host }:

let
  # nixpkgs attribute -> the crate it is installed from; its program has the attribute's
  # name unless `programs` lists them.
  crates = {
    cargo-nextest = "cargo-nextest";
    cargo-audit = "cargo-audit";
    cargo-deny = "cargo-deny";
    cargo-tarpaulin = "cargo-tarpaulin";
    taplo = "taplo-cli";
    cargo-llvm-cov = "cargo-llvm-cov";
    trunk = "trunk";
    wasm-bindgen-cli = "wasm-bindgen-cli";
  };
  programs = {
    wasm-bindgen-cli = [
      "wasm-bindgen"
      "wasm-bindgen-test-runner"
      "wasm2es6js"
    ];
  };
  installed = host.checkTools or { };
  # The installed directory for a crate, any version: "<crate>-<version>".
  dirOf =
    crate:
    let
      found = builtins.filter (
        key: builtins.match "${crate}-[0-9][^-]*" key != null
      ) (builtins.attrNames installed);
    in
    if found == [ ] then null else { key = builtins.head found; path = installed.${builtins.head found}; };
  package =
    attr: crate:
    let
      dir = dirOf crate;
      version = builtins.substring (builtins.stringLength crate + 1) (-1) dir.key;
    in
    derivation {
      name = "${attr}-${version}";
      inherit system;
      builder = "/usr/bin/bash";
      args = [
        "-euc"
        ''
          PATH=/usr/bin
          mkdir -p "$out/bin"
          for program in ${builtins.concatStringsSep " " (programs.${attr} or [ attr ])}; do
            cp "${dir.path}/$program" "$out/bin/$program"
          done
        ''
      ];
    }
    // {
      pname = attr;
      inherit version;
      meta.mainProgram = builtins.head (programs.${attr} or [ attr ]);
    };
  found = builtins.listToAttrs (
    builtins.concatMap (
      attr: if dirOf crates.${attr} == null then [ ] else [ { name = attr; value = package attr crates.${attr}; } ]
    ) (builtins.attrNames crates)
  );
in
found
# nixpkgs also names each wasm-bindgen-cli release it packages (wasm-bindgen-cli_0_2_126):
# the installed one under its own version's name.
// (
  if found ? wasm-bindgen-cli then
    {
      "wasm-bindgen-cli_${builtins.replaceStrings [ "." ] [ "_" ] found.wasm-bindgen-cli.version}" =
        found.wasm-bindgen-cli;
    }
  else
    { }
)
