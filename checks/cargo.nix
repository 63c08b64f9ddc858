# cargo itself, the seed's own example: crate `cargo` 0.89.0 from crates.io (its .crate ships
# its Cargo.lock: 384 packages, C through openssl-sys, curl-sys, libgit2-sys, libssh2-sys,
# libz-sys, libsqlite3-sys, libnghttp2-sys), built with the C libraries nixpkgs' own cargo
# links from the system (pkgs/development/compilers/rust/cargo.nix: openssl, curl, zlib in
# buildInputs; curl's dev output native, for curl-config; libgit2 and sqlite bundled), once
# with buildDepsOnly and once with buildDepsPerCrate, each then buildPackage with every
# dependency unit fresh. Both binaries link the system libcurl (nixpkgs' cargo's install
# check) and make and build a new crate offline.
# Slow (each dependency build takes minutes on 2 cores): `slowChecks`, which checks/run.sh
# runs only with GANTRY_SLOW_CHECKS=1. bench/cargo.sh measures the same builds.
{
  pkgs,
  lib,
  gantryLib,
  ...
}:

let
  src = gantryLib.downloadCargoPackage {
    name = "cargo";
    version = "0.89.0";
    checksum = "4ffb868a2869728e8cad2afd836cf7f287f5e9379f2e857deea187abfd7c5cfd";
  };
  args = {
    inherit src;
    doCheck = false;
    nativeBuildInputs = [
      pkgs.pkg-config
      pkgs.curl
    ];
    buildInputs = [
      pkgs.openssl
      pkgs.curl
      pkgs.zlib
    ];
    requireFreshDependencies = true;
    # As bench/cargo.sh builds it (and so the same pieces): no check pass.
    cargoCheckCommand = "true";
  };
  package = cargoArtifacts: gantryLib.buildPackage (args // { inherit cargoArtifacts; });

  runs =
    name: cargo:
    pkgs.runCommandCC "cargo-0.89.0-${name}"
      {
        nativeBuildInputs = [
          pkgs.rustc
          pkgs.binutils
        ];
      }
      ''
        export HOME=$TMPDIR CARGO_HOME=$TMPDIR/cargo-home
        needed=$(readelf -d ${cargo}/bin/cargo | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
        for lib in libcurl libssl libcrypto libz; do
          grep -q "^$lib\.so" <<<"$needed" || { echo "cargo does not link the system $lib.so (needs: $needed)" >&2; exit 1; }
        done
        version=$(${cargo}/bin/cargo --version)
        # The crate's version is 0.89.0; the program's, Rust's release it ships with.
        case $version in "cargo 1.88.0"*) ;; *) echo "cargo --version printed '$version'" >&2; exit 1 ;; esac
        ${cargo}/bin/cargo new --quiet hello
        [ -d hello/.git ] || { echo "cargo new made no git repository (libgit2)" >&2; exit 1; }
        cd hello
        ${cargo}/bin/cargo build --offline --quiet
        [ "$(./target/debug/hello)" = "Hello, world!" ] || { echo "the new crate does not print Hello, world!" >&2; exit 1; }
        touch $out
      '';
in
{
  checks = { };
  expectFailure = { };
  slowChecks = {
    cargo-deps-only = runs "deps-only" (package (gantryLib.buildDepsOnly args));
    cargo-per-crate = runs "per-crate" (package (gantryLib.buildDepsPerCrate args));
  };
}
