# Shared pieces of the pipeline checks.
{ pkgs, lib }:

rec {
  # The fixture registry `fixture` (checks/fixtures/serve.sh) by sparse and by git index, as
  # gantryLib.appendCrateRegistries takes them.
  fixtureRegistries = gantryLib: {
    sparse = gantryLib.registryFromSparse {
      indexUrl = "file:///tmp/gantry-fixtures/registry/sparse/";
      configSha256 = "0efb3d003e9c6503229ab40c9a09c1228e1f597a2ae42b34db5a1ac235bafa64";
    };
    gitIndex = gantryLib.registryFromGitIndex {
      indexUrl = "file:///tmp/gantry-fixtures/registry/git-index.git";
      rev = "7a257139e7ab7cbb4ddfdd5ac6a0819592c9f13e";
    };
  };

  # buildPackage of `args` on buildDepsOnly of the same `args`, with `gantryLib`'s functions,
  # failing if the package build recompiles a dependency (requireFreshDependencies).
  freshPackage =
    gantryLib: args:
    gantryLib.buildPackage (
      args
      // {
        cargoArtifacts = gantryLib.buildDepsOnly args;
        requireFreshDependencies = true;
      }
    );

  # A check that runs `bin` from `pkg` and compares what it prints with `expected`.
  runsAndPrints =
    name: pkg: bin: expected:
    pkgs.runCommand "${name}-runs" { } ''
      out_text=$(${pkg}/bin/${bin})
      if [ "$out_text" != ${lib.escapeShellArg expected} ]; then
        echo "${bin} printed '$out_text', expected ${lib.escapeShellArg expected}" >&2
        exit 1
      fi
      touch $out
    '';

  # A rustc wrapper that fails when cargo compiles any crate but `allowed` (version queries
  # and cargo's `___` target-info probe pass through): a build using it proves that cargo
  # found every other unit fresh.
  compileOnlyWrapper =
    allowed:
    pkgs.writeShellScript "rustc-compile-only" ''
      previous=
      for arg in "$@"; do
        if [ "$previous" = --crate-name ]; then
          case " ___ ${lib.concatStringsSep " " allowed} " in
          *" $arg "*) ;;
          *)
            echo "rustc-compile-only: cargo tried to compile $arg: $*" >&2
            exit 1
            ;;
          esac
        fi
        previous=$arg
      done
      exec "$@"
    '';

  noCompileWrapper = compileOnlyWrapper [ ];

  # Store paths an installed package must not mention: its vendor directory, every crate
  # that links to, and the toolchain (rustc, cargo and the sysroot). `strings` lists what the
  # binaries hold; with `expectFound` at least one must be there (proving the check sees them).
  storeReferences =
    expectFound: name: pkg:
    pkgs.runCommand name {
      nativeBuildInputs = [ pkgs.binutils pkgs.rustc pkgs.cargo ];
    } ''
      vendorDir=${pkg.cargoVendorDir}
      references=("$vendorDir")
      # The vendor dir links a directory per source, which links a store path per crate.
      for link in "$vendorDir"/* "$vendorDir"/*/*; do
        if [ -L "$link" ]; then references+=("$(readlink -f "$link")"); fi
      done
      for tool in rustc cargo; do
        references+=("$(command -v $tool)" "$(readlink -f "$(command -v $tool)")")
      done
      references+=("$(rustc --print sysroot)")
      strings ${pkg}/bin/* > strings.txt
      found=()
      for reference in "''${references[@]}"; do
        hash=''${reference#"$NIX_STORE"/}
        hash=''${hash:0:32}
        if grep -qF "$hash" strings.txt; then found+=("$reference"); fi
      done
      echo "checked ''${#references[@]} store paths; found in the binaries: ''${found[*]:-none}"
      ${
        if expectFound then
          ''[ ''${#found[@]} -gt 0 ] || { echo "no store path found although references were kept: the check cannot see them" >&2; exit 1; }''
        else
          ''[ ''${#found[@]} -eq 0 ] || { echo "the installed binaries still refer to: ''${found[*]}" >&2; exit 1; }''
      }
      touch $out
    '';

  # The artifact modes every pipeline case runs in.
  artifactModes = [
    "use-zstd"
    "use-symlink"
  ];
}
