# The machine's rustup toolchain, copied into the store once (bin/ and lib/, not the docs),
# so that cargo, rustc, clippy and rustfmt are real store paths: references to the toolchain
# in build outputs are store references, as with real nixpkgs. The name carries the
# toolchain version so a new toolchain gives new store paths.
{ system, host, hostPackage }:

let
  # A copy of (part of) rustup's toolchain into the store: `script` runs with $src the
  # toolchain's directory and $out to fill; `extra` are more attributes of the derivation.
  copyToolchain = copyFrom {
    sysroot = host.rustSysroot;
    components = host.rustComponents or "";
  };
  # The same from any rustup toolchain: `sysroot` its directory, `components` what it holds.
  copyFrom =
    { sysroot, components }:
    name: extra: script:
    derivation (
      {
        inherit name system components;
        builder = "/usr/bin/bash";
        args = [
          "-euc"
          ("PATH=/usr/bin\nsrc=${sysroot}\n" + script)
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
  toolchainWithTargets = targets: copyWithTargets copyToolchain "rust-toolchain-${host.rustVersion}" targets "";
  # `copy` (copyToolchain or copyFrom …) with the standard libraries of exactly `targets`,
  # then `more` (a script) run.
  copyWithTargets =
    copy: name: targets: more:
    copy "${name}-${builtins.concatStringsSep "-" targets}" { inherit targets; } (
      ''
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
      ''
      + more
    );

  # rust-overlay's `rust-bin` for the machine's rustup toolchains: `stable.latest` (the
  # toolchain above) and, when ci/setup-nix.sh found one, `nightly.latest`, each with
  # `default` and `minimal` (the same copy here) and `.override { targets; extensions; }`;
  # the host's standard library is always in. Of the extensions only `rust-src` is
  # reproduced (lib/rustlib/src, as rust-overlay lays it out), also as
  # `passthru.availableComponents.rust-src`. A missing target or rust-src fails naming the
  # rustup command.
  buildTarget = "x86_64-unknown-linux-gnu";
  channelOf =
    { sysroot, components, version, channel }:
    let
      copy = copyFrom { inherit sysroot components; };
      rustSrc = ''
        if [ ! -d "$src/lib/rustlib/src/rust/library" ]; then
          echo "offline-pkgs: the Rust toolchain at $src has no rust-src: run 'rustup component add rust-src --toolchain ${channel}' (ci/setup-nix.sh does)" >&2
          exit 1
        fi
      '';
      availableComponents.rust-src = copy "rust-src-${version}" { } (rustSrc + ''
        mkdir -p "$out/lib/rustlib"
        cp -a "$src/lib/rustlib/src" "$out/lib/rustlib/"
      '');
      make =
        {
          targets ? [ ],
          extensions ? [ ],
        }@args:
        let
          unknown = builtins.filter (e: e != "rust-src") extensions;
          withSrc = builtins.elem "rust-src" extensions;
          drv =
            copyWithTargets copy "rust-${channel}-${version}${if withSrc then "-rust-src" else ""}"
              ([ buildTarget ] ++ builtins.filter (t: t != buildTarget) targets)
              (
                if withSrc then
                  rustSrc
                  + ''
                    cp -a "$src/lib/rustlib/src" "$out/lib/rustlib/"
                  ''
                else
                  ""
              );
        in
        if unknown != [ ] then
          throw "offline-pkgs: rust-bin reproduces the extension rust-src only, not ${builtins.concatStringsSep ", " unknown}"
        else
          drv
          // {
            passthru = { inherit availableComponents; };
            inherit availableComponents;
            override = more: make (args // more);
          };
    in
    {
      latest = {
        default = make { };
        minimal = make { };
      };
    };
  rustBin =
    {
      stable = channelOf {
        sysroot = host.rustSysroot;
        components = host.rustComponents or "";
        version = host.rustVersion;
        channel = "stable";
      };
    }
    // (
      if host ? rustNightly then
        {
          nightly = channelOf (host.rustNightly // { channel = "nightly"; });
        }
      else
        { }
    );

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
  native = packagesOf toolchain // { rust-bin = rustBin; };
  forTargets = targets: packagesOf (toolchainWithTargets targets);
  inherit forPlatform;
}
