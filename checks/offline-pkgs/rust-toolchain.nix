# The machine's rustup toolchain, copied into the store once (bin/ and lib/, not the docs),
# so that cargo, rustc, clippy and rustfmt are real store paths: references to the toolchain
# in build outputs are store references, as with real nixpkgs. The name carries the
# toolchain version so a new toolchain gives new store paths.
{ system, host, hostPackage }:

let
  toolchain = derivation {
    name = "rust-toolchain-${host.rustVersion}";
    inherit system;
    # Which programs the toolchain holds (e.g. llvm-tools added): a change copies it again.
    components = host.rustComponents or "";
    builder = "/usr/bin/bash";
    args = [
      "-euc"
      ''
        PATH=/usr/bin
        src=${host.rustSysroot}
        if [ ! -x "$src/bin/rustc" ]; then
          echo "offline-pkgs: no Rust toolchain at $src: run ci/setup-nix.sh" >&2
          exit 1
        fi
        mkdir -p "$out"
        cp -a "$src/bin" "$src/lib" "$out/"
        version=$("$out/bin/rustc" --version)
        case "$version" in
          "rustc ${host.rustVersion} "*) ;;
          *) echo "offline-pkgs: $src holds $version, expected ${host.rustVersion}: run ci/setup-nix.sh" >&2; exit 1 ;;
        esac
      ''
    ];
  };

  # One package per nixpkgs attribute, each exposing only its own programs.
  fromToolchain =
    pname: programs:
    hostPackage {
      inherit pname;
      version = host.rustVersion;
      links = builtins.listToAttrs (
        map (p: { name = p; value = "${toolchain}/bin/${p}"; }) programs
      );
      passthru = { inherit toolchain; };
    };
in
{
  rust-toolchain = toolchain;
  rustc = fromToolchain "rustc" [ "rustc" "rustdoc" ];
  cargo = fromToolchain "cargo" [ "cargo" ];
  clippy = fromToolchain "clippy" [ "cargo-clippy" "clippy-driver" ];
  rustfmt = fromToolchain "rustfmt" [ "rustfmt" "cargo-fmt" ];
}
