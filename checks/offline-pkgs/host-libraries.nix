# C libraries made from the host's Debian `-dev` packages (installed by ci/setup-nix.sh), in
# the shape of nixpkgs' packages of the same name: the same outputs (less the man pages and
# documentation), the headers and the pkg-config files in `dev`, the shared libraries in the
# library output, the programs in `bin`, and `dev` propagating the other outputs and the
# packages nixpkgs' propagates. Each file is a symlink to the host's (/usr is bind-mounted
# read-only into the sandbox); each `.pc` file is rewritten to name the package's own
# directories, so `pkg-config` (whose stand-in searches only its inputs' directories) finds
# a library exactly when it is in the inputs, as with nixpkgs:
#   nativeBuildInputs = [ pkg-config ]; buildInputs = [ openssl curl libgit2 sqlite zlib ];
{ system }:

let
  multiarch = "x86_64-linux-gnu";

  # One library package, a raw multi-output derivation (stdenv is made from host packages,
  # and these are among them). Arguments:
  #   outputs      nixpkgs' outputs, the first the default one (`${openssl}` is its `bin`)
  #   libOutput    the output holding the shared libraries (`out`, or `lib` for libgit2)
  #   debian       the Debian packages that hold the files, for the error when one is missing
  #   libraries    names whose `<name>.so*` go to libOutput's lib/
  #   static       names whose `<name>.a` go to the `static` output's lib/ (zlib's)
  #   headers      files or directories under /usr/include or /usr/include/<multiarch>
  #                (both merged: Debian puts openssl's configuration headers in the second)
  #   modules      the pkg-config modules (`.pc` files) the package provides
  #   programs     names of /usr/bin programs for the `bin` output
  #   devPrograms  names of /usr/bin programs for the `dev` output (curl's curl-config)
  #   propagated   packages `dev` propagates (nixpkgs' propagatedBuildInputs)
  hostLibrary =
    {
      pname,
      outputs,
      libOutput ? "out",
      debian,
      libraries,
      static ? [ ],
      headers,
      modules,
      programs ? [ ],
      devPrograms ? [ ],
      propagated ? [ ],
      mainProgram ? null,
    }:
    let
      # nixpkgs' multiple-outputs.sh: `dev` propagates every other output holding programs
      # or libraries (not `static`), then what the package propagates, as their `dev`.
      propagatedPaths =
        map (o: "\$${o}") (builtins.filter (o: o != "dev" && o != "static") outputs)
        ++ map (p: p.dev.outPath or p.outPath) propagated;
      words = builtins.concatStringsSep " ";
      drv = derivation {
        name = "${pname}-host";
        inherit system outputs;
        builder = "/usr/bin/bash";
        args = [
          "-euc"
          ''
            PATH=/usr/bin
            hostLib=/usr/lib/${multiarch}
            missing() {
              echo "offline-pkgs: host file $1 (for ${pname}, from Debian's ${debian}) is missing: run ci/setup-nix.sh" >&2
              exit 1
            }
            for o in ${words outputs}; do mkdir -p "''${!o}"; done
            mkdir -p "''$${libOutput}/lib" "$dev/include" "$dev/lib/pkgconfig" "$dev/nix-support"
            for name in ${words libraries}; do
              [ -e "$hostLib/$name.so" ] || missing "$hostLib/$name.so"
              ln -s "$hostLib/$name".so* "''$${libOutput}/lib/"
            done
            for name in ${words static}; do
              [ -e "$hostLib/$name.a" ] || missing "$hostLib/$name.a"
              mkdir -p "$static/lib"
              ln -s "$hostLib/$name.a" "$static/lib/"
            done
            for header in ${words headers}; do
              found=
              for root in /usr/include /usr/include/${multiarch}; do
                if [ -e "$root/$header" ]; then
                  cp -rs "$root/$header" "$dev/include/"
                  found=1
                fi
              done
              [ -n "$found" ] || missing "/usr/include/$header"
            done
            for program in ${words programs}; do
              [ -x "/usr/bin/$program" ] || missing "/usr/bin/$program"
              mkdir -p "$bin/bin"
              ln -s "/usr/bin/$program" "$bin/bin/"
            done
            for program in ${words devPrograms}; do
              [ -x "/usr/bin/$program" ] || missing "/usr/bin/$program"
              mkdir -p "$dev/bin"
              ln -s "/usr/bin/$program" "$dev/bin/"
            done
            # The host's .pc files with the package's own directories, and its private
            # requirements on modules outside the package dropped (nixpkgs' shared-only
            # builds are used without them; Debian's name modules of other packages).
            for module in ${words modules}; do
              pc=$hostLib/pkgconfig/$module.pc
              [ -e "$pc" ] || missing "$pc"
              sed -E \
                -e "s|^prefix=.*|prefix=''$${libOutput}|" \
                -e 's|^exec_prefix=.*|exec_prefix=''${prefix}|' \
                -e "s|^(shared)?libdir=.*|\1libdir=''$${libOutput}/lib|" \
                -e "s|^includedir=.*|includedir=$dev/include|" \
                "$pc" | gawk -v own=" ${words modules} " '
                  /^Requires\.private:/ {
                    line = "Requires.private:"
                    n = split(substr($0, 18), mods, /[ ,]+/)
                    for (i = 1; i <= n; i++) {
                      if (mods[i] == "") continue
                      if (mods[i] !~ /^[A-Za-z0-9_.+-]+$/) { print "unexpected requirement " mods[i] > "/dev/stderr"; exit 1 }
                      if (index(own, " " mods[i] " ")) line = line " " mods[i]
                    }
                    print line
                    next
                  }
                  { print }' >"$dev/lib/pkgconfig/$module.pc"
            done
            printf '%s ' ${words propagatedPaths} >"$dev/nix-support/propagated-build-inputs"
            # Every module resolves from the package and what it propagates, and names no
            # host directory.
            pcPath=$dev/lib/pkgconfig
            for p in ${words (map (p: p.dev.outPath or p.outPath) propagated)}; do pcPath=$pcPath:$p/lib/pkgconfig; done
            for module in ${words modules}; do
              flags=$(PKG_CONFIG_LIBDIR= PKG_CONFIG_PATH=$pcPath pkgconf --cflags --libs "$module") ||
                { echo "offline-pkgs: $module.pc of ${pname} does not resolve" >&2; exit 1; }
              case $flags in *" -I/usr"* | *" -L/usr"* | -I/usr* | -L/usr*)
                echo "offline-pkgs: $module.pc of ${pname} still names the host's directories: $flags" >&2; exit 1 ;;
              esac
            done
          ''
        ];
      };
      # The package and one attribute per output, as nixpkgs' mkDerivation gives them
      # (`openssl.dev`, `lib.getDev`, `lib.getLib` and `lib.getExe` read these).
      package =
        drv
        // {
          inherit pname outputs;
          version = "host";
          meta = if mainProgram == null then { } else { inherit mainProgram; };
        }
        // builtins.listToAttrs (
          map (o: {
            name = o;
            value = package // {
              inherit (drv.${o}) outPath;
              outputName = o;
              outputSpecified = true;
            };
          }) outputs
        );
    in
    package;
in
rec {
  # nixpkgs' zlib: out (libz.so), dev, static (libz.a).
  zlib = hostLibrary {
    pname = "zlib";
    outputs = [ "out" "dev" "static" ];
    debian = "zlib1g-dev";
    libraries = [ "libz" ];
    static = [ "libz" ];
    headers = [ "zlib.h" "zconf.h" ];
    modules = [ "zlib" ];
  };

  # nixpkgs' openssl (openssl_3): bin (the openssl program), dev, out (libssl, libcrypto).
  openssl = hostLibrary {
    pname = "openssl";
    outputs = [ "bin" "dev" "out" ];
    debian = "libssl-dev and openssl";
    libraries = [ "libssl" "libcrypto" ];
    headers = [ "openssl" ];
    modules = [ "openssl" "libssl" "libcrypto" ];
    programs = [ "openssl" ];
    mainProgram = "openssl";
  };

  # nixpkgs' curl: bin (the curl program), dev (with curl-config, which curl-sys asks
  # whether libcurl has HTTP/2), out (libcurl); dev propagates openssl and zlib as nixpkgs'
  # does (of the libraries it propagates, those the stand-in has).
  curl = hostLibrary {
    pname = "curl";
    outputs = [ "bin" "dev" "out" ];
    debian = "libcurl4-openssl-dev and curl";
    libraries = [ "libcurl" ];
    headers = [ "curl" ];
    modules = [ "libcurl" ];
    programs = [ "curl" ];
    devPrograms = [ "curl-config" ];
    propagated = [ openssl zlib ];
    mainProgram = "curl";
  };

  # nixpkgs' libgit2: lib (libgit2.so), dev, out. Debian bookworm's is 1.5: libgit2-sys
  # 0.14 links it; newer libgit2-sys versions need a newer libgit2 and build their own.
  libgit2 = hostLibrary {
    pname = "libgit2";
    outputs = [ "lib" "dev" "out" ];
    libOutput = "lib";
    debian = "libgit2-dev";
    libraries = [ "libgit2" ];
    headers = [ "git2.h" "git2" ];
    modules = [ "libgit2" ];
  };

  # nixpkgs' sqlite: bin (the sqlite3 program), dev, out (libsqlite3).
  sqlite = hostLibrary {
    pname = "sqlite";
    outputs = [ "bin" "dev" "out" ];
    debian = "libsqlite3-dev and sqlite3";
    libraries = [ "libsqlite3" ];
    headers = [ "sqlite3.h" "sqlite3ext.h" ];
    modules = [ "sqlite3" ];
    programs = [ "sqlite3" ];
    mainProgram = "sqlite3";
  };
}
