# The machine's rustup toolchain, copied into the store once (bin/ and lib/, not the docs),
# so that cargo, rustc, clippy and rustfmt are real store paths: references to the toolchain
# in build outputs are store references, as with real nixpkgs. The name carries the
# toolchain version so a new toolchain gives new store paths.
{ system, host, hostPackage }:

let
  # A copy of (part of) rustup's toolchain into the store: `script` runs with $src the
  # toolchain's directory and $out to fill; `extra` are more attributes of the derivation.
  copyToolchain =
    name: extra: script:
    derivation (
      {
        inherit name system;
        # Which programs the toolchain holds (e.g. llvm-tools added): a change copies it again.
        components = host.rustComponents or "";
        builder = "/usr/bin/bash";
        args = [
          "-euc"
          ("PATH=/usr/bin\nsrc=${host.rustSysroot}\n" + script)
        ];
      }
      // extra
    );

  toolchain = copyToolchain "rust-toolchain-${host.rustVersion}" { } ''
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
  '';

  # The toolchain for a cross package set: its programs and the standard libraries of
  # exactly `targets` (the build platform's and the cross platform's), as nixpkgs' rustc
  # of that set holds them. A target rustup lacks fails here, naming the fix.
  toolchainWithTargets =
    targets:
    copyToolchain "rust-toolchain-${host.rustVersion}-${builtins.concatStringsSep "-" targets}" { inherit targets; } ''
      mkdir -p "$out/lib/rustlib"
      cp -a "$src/bin" "$out/"
      find "$src/lib" -maxdepth 1 ! -type d -exec cp -a {} "$out/lib/" \;
      find "$src/lib/rustlib" -maxdepth 1 ! -type d -exec cp -a {} "$out/lib/rustlib/" \;
      cp -a "$src/lib/rustlib/etc" "$out/lib/rustlib/"
      for target in $targets; do
        if [ ! -d "$src/lib/rustlib/$target" ]; then
          echo "offline-pkgs: the Rust toolchain at $src has no standard library for $target: run 'rustup target add $target' (ci/setup-nix.sh does)" >&2
          exit 1
        fi
        cp -a "$src/lib/rustlib/$target" "$out/lib/rustlib/"
      done
    '';

  # One package per nixpkgs attribute, each exposing only its own programs.
  fromToolchain =
    toolchain: pname: programs:
    hostPackage {
      inherit pname;
      version = host.rustVersion;
      links = builtins.listToAttrs (
        map (p: { name = p; value = "${toolchain}/bin/${p}"; }) programs
      );
      passthru = { inherit toolchain; };
    };

  packagesOf = toolchain: {
    rust-toolchain = toolchain;
    rustc = fromToolchain toolchain "rustc" [ "rustc" "rustdoc" ];
    cargo = fromToolchain toolchain "cargo" [ "cargo" ];
    clippy = fromToolchain toolchain "clippy" [ "cargo-clippy" "clippy-driver" ];
    rustfmt = fromToolchain toolchain "rustfmt" [ "rustfmt" "cargo-fmt" ];
  };
  # A cross set's own Rust packages: nixpkgs' are programs for the cross platform, which
  # the build machine cannot run. These stand for them: each program fails naming itself, so
  # a build that takes one instead of the build machine's (through splicing or
  # buildPackages) fails as it would with nixpkgs.
  forPlatform =
    config:
    let
      foreign =
        pname: programs:
        hostPackage {
          inherit pname;
          version = "${host.rustVersion}-${config}";
          links = { };
          extraScript = builtins.concatStringsSep "\n" (
            map (p: ''
              printf '#!/usr/bin/bash\necho "offline-pkgs: %s is the ${config} ${pname} of a cross package set, a program for that platform: take the build machine'"'"'s (nativeBuildInputs, buildPackages)" >&2\nexit 126\n' ${p} > "$out/bin/${p}"
              chmod +x "$out/bin/${p}"
            '') programs
          );
        };
    in
    {
      rust-toolchain = foreign "rust-toolchain" [ "rustc" "cargo" "rustdoc" "cargo-clippy" "clippy-driver" "rustfmt" "cargo-fmt" ];
      rustc = foreign "rustc" [ "rustc" "rustdoc" ];
      cargo = foreign "cargo" [ "cargo" ];
      clippy = foreign "clippy" [ "cargo-clippy" "clippy-driver" ];
      rustfmt = foreign "rustfmt" [ "rustfmt" "cargo-fmt" ];
    };
in
{
  native = packagesOf toolchain;
  forTargets = targets: packagesOf (toolchainWithTargets targets);
  inherit forPlatform;
}
