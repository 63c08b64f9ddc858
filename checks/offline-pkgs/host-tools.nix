# Packages made from the host's Debian tools: each is a store directory whose `bin/` holds
# symlinks to exactly its own programs under /usr/bin (bind-mounted read-only into the
# sandbox by ci/setup-nix.sh). Nothing else of /usr/bin is ever on a build's PATH, so a
# missing input fails as it would with real nixpkgs.
{ system }:

let
  # A raw derivation (no stdenv yet: stdenv itself is made from these). `links` maps a
  # program name in bin/ to its host path; `extraScript` may add files (e.g. a setup hook).
  hostPackage =
    {
      pname,
      version ? "host",
      links,
      extraScript ? "",
      passthru ? { },
    }:
    let
      linkLines = builtins.concatStringsSep "\n" (
        map (name: "link ${name} ${links.${name}}") (builtins.attrNames links)
      );
      drv = derivation {
        name = "${pname}-${version}";
        inherit system;
        builder = "/usr/bin/bash";
        args = [
          "-euc"
          ''
            PATH=/usr/bin
            mkdir -p "$out/bin"
            link() {
              if [ ! -e "$2" ]; then
                echo "offline-pkgs: host tool $2 (for ${pname}) is missing: run ci/setup-nix.sh" >&2
                exit 1
              fi
              ln -s "$2" "$out/bin/$1"
            }
            ${linkLines}
            ${extraScript}
          ''
        ];
      };
    in
    drv
    // passthru
    // {
      inherit pname version;
      meta.mainProgram = pname;
    };

  # Programs that keep their own name: name -> /usr/bin/name.
  same = names: builtins.listToAttrs (map (n: { name = n; value = "/usr/bin/${n}"; }) names);

  coreutilsNames = [
    "[" "arch" "b2sum" "base32" "base64" "basename" "basenc" "cat" "chgrp" "chmod" "chown"
    "cksum" "comm" "cp" "csplit" "cut" "date" "dd" "df" "dir" "dircolors" "dirname"
    "du" "echo" "env" "expand" "expr" "factor" "false" "fmt" "fold" "groups" "head" "hostid"
    "id" "install" "join" "link" "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo" "mknod"
    "mktemp" "mv" "nice" "nl" "nohup" "nproc" "numfmt" "od" "paste" "pathchk" "pr" "printenv"
    "printf" "ptx" "pwd" "readlink" "realpath" "rm" "rmdir" "seq" "sha1sum" "sha224sum"
    "sha256sum" "sha384sum" "sha512sum" "shred" "shuf" "sleep" "sort" "split" "stat" "stdbuf"
    "stty" "sum" "sync" "tac" "tail" "tee" "test" "timeout" "touch" "tr" "true" "truncate"
    "tsort" "tty" "uname" "unexpand" "uniq" "unlink" "vdir" "wc" "whoami" "yes"
  ];
in
rec {
  inherit hostPackage;

  bash = hostPackage {
    pname = "bash";
    links = same [ "bash" ] // { sh = "/usr/bin/bash"; };
    passthru.shellPath = "/bin/bash";
  };
  coreutils = hostPackage { pname = "coreutils"; links = same coreutilsNames; };
  findutils = hostPackage { pname = "findutils"; links = same [ "find" "xargs" ]; };
  diffutils = hostPackage { pname = "diffutils"; links = same [ "cmp" "diff" "diff3" "sdiff" ]; };
  gnused = hostPackage { pname = "gnused"; links = same [ "sed" ]; };
  gnugrep = hostPackage { pname = "gnugrep"; links = same [ "grep" "egrep" "fgrep" ]; };
  gawk = hostPackage { pname = "gawk"; links = same [ "gawk" ] // { awk = "/usr/bin/gawk"; }; };
  gnutar = hostPackage { pname = "gnutar"; links = same [ "tar" ]; };
  gzip = hostPackage { pname = "gzip"; links = same [ "gzip" "gunzip" "zcat" ]; };
  bzip2 = hostPackage { pname = "bzip2"; links = same [ "bzip2" "bunzip2" "bzcat" ]; };
  gnumake = hostPackage { pname = "gnumake"; links = same [ "make" ]; };
  gnupatch = hostPackage { pname = "patch"; links = same [ "patch" ]; };
  xz = hostPackage { pname = "xz"; links = same [ "xz" "unxz" "xzcat" ]; };
  file = hostPackage { pname = "file"; links = same [ "file" ]; };
  git = hostPackage { pname = "git"; links = same [ "git" "git-upload-pack" "git-receive-pack" ]; };
  jq = hostPackage { pname = "jq"; links = same [ "jq" ]; };
  zstd = hostPackage { pname = "zstd"; links = same [ "zstd" "unzstd" "zstdcat" "pzstd" ]; };
  rsync = hostPackage { pname = "rsync"; links = same [ "rsync" ]; };
  # binaryen's programs (wasm-opt for trunk), from Debian's binaryen (bookworm: version 108).
  binaryen = hostPackage {
    pname = "binaryen";
    links = same [
      "wasm-as" "wasm-ctor-eval" "wasm-dis" "wasm-metadce" "wasm-opt" "wasm-reduce" "wasm-shell"
      "wasm-split" "wasm2js"
    ];
  };
  binutils = hostPackage {
    pname = "binutils";
    links = same [
      "addr2line" "ar" "as" "c++filt" "ld" "ld.bfd" "nm" "objcopy" "objdump" "ranlib"
      "readelf" "size" "strings" "strip"
    ];
  };

  # The C compiler as stdenv.cc: gcc under its usual names, binutils propagated (gcc finds
  # `ld` and `as` on PATH), and a setup hook exporting CC/CXX like nixpkgs' cc-wrapper.
  gcc = hostPackage {
    pname = "gcc-wrapper";
    links = {
      cc = "/usr/bin/gcc";
      gcc = "/usr/bin/gcc";
      cpp = "/usr/bin/cpp";
      "c++" = "/usr/bin/g++";
      "g++" = "/usr/bin/g++";
    };
    extraScript = ''
      mkdir -p "$out/nix-support"
      printf '%s ' ${binutils} > "$out/nix-support/propagated-build-inputs"
      cat > "$out/nix-support/setup-hook" <<'HOOK'
      export CC=''${CC-cc} CXX=''${CXX-c++} AR=''${AR-ar} AS=''${AS-as} LD=''${LD-ld}
      export NM=''${NM-nm} RANLIB=''${RANLIB-ranlib} STRIP=''${STRIP-strip} OBJCOPY=''${OBJCOPY-objcopy}
      export NIX_CC=''${NIX_CC-@out@}
      HOOK
      sed -i "s|@out@|$out|" "$out/nix-support/setup-hook"
    '';
    passthru = {
      isGNU = true;
      isClang = false;
      targetPrefix = "";
      bintools = binutils;
    };
  };

  # A cross C compiler as nixpkgs' cc-wrapper presents one: its programs under the platform's
  # `targetPrefix` (`aarch64-unknown-linux-gnu-cc`, …), the build machine's binutils
  # propagated (gcc drivers look for `as` and `ld` on PATH), and a setup hook pointing CC,
  # CXX, AR, … at the prefixed names (assigned, so a native compiler's hook sourced before
  # or after leaves them: in a cross stdenv CC is the cross compiler, as in nixpkgs).
  # `programs` maps a program name (without prefix) to its host path; `scripts` to a shell
  # command line run with the arguments (for wrappers such as musl-gcc's; `$out` is the
  # package), `setup` makes what they need.
  crossCc =
    {
      targetPrefix,
      programs,
      scripts ? { },
      setup ? "",
    }:
    hostPackage {
      pname = "${targetPrefix}gcc-wrapper";
      links = builtins.listToAttrs (
        map (n: { name = "${targetPrefix}${n}"; value = programs.${n}; }) (builtins.attrNames programs)
      );
      extraScript = ''
        ${setup}
        ${builtins.concatStringsSep "\n" (
          map (n: ''
            printf '#!/usr/bin/bash\nexec %s "$@"\n' ${builtins.toJSON scripts.${n}} > "$out/bin/${targetPrefix}${n}"
            chmod +x "$out/bin/${targetPrefix}${n}"
          '') (builtins.attrNames scripts)
        )}
        mkdir -p "$out/nix-support"
        printf '%s ' ${binutils} > "$out/nix-support/propagated-build-inputs"
        cat > "$out/nix-support/setup-hook" <<'HOOK'
        export CC=${targetPrefix}cc CXX=${targetPrefix}c++ AR=${targetPrefix}ar AS=${targetPrefix}as LD=${targetPrefix}ld
        export NM=${targetPrefix}nm RANLIB=${targetPrefix}ranlib STRIP=${targetPrefix}strip OBJCOPY=${targetPrefix}objcopy
        HOOK
      '';
      passthru = {
        inherit targetPrefix;
        isGNU = true;
        isClang = false;
        bintools = binutils;
      };
    };

  # The C compiler for each platform a cross package set is made for, from Debian's cross
  # toolchains (ci/setup-nix.sh installs them): gcc-aarch64-linux-gnu, and for musl the host
  # gcc with musl-tools' specs, whose link rule is changed to honour -static-pie as gcc's
  # own does (rustc links musl programs static-pie; the unchanged rule makes a dynamic
  # program that crashes). musl-tools has no C++.
  crossCcFor =
    platform:
    let
      targetPrefix = "${platform.config}-";
      debian =
        triple:
        builtins.listToAttrs (
          map (n: { name = n; value = "/usr/bin/${triple}-${n}"; }) [
            "ar" "as" "ld" "nm" "objcopy" "objdump" "ranlib" "readelf" "strip"
          ]
        );
      hostBinutils = builtins.listToAttrs (
        map (n: { name = n; value = "/usr/bin/${n}"; }) [
          "ar" "as" "ld" "nm" "objcopy" "objdump" "ranlib" "readelf" "strip"
        ]
      );
    in
    {
      "aarch64-unknown-linux-gnu" = crossCc {
        inherit targetPrefix;
        programs = debian "aarch64-linux-gnu" // {
          cc = "/usr/bin/aarch64-linux-gnu-gcc";
          gcc = "/usr/bin/aarch64-linux-gnu-gcc";
          cpp = "/usr/bin/aarch64-linux-gnu-cpp";
          "c++" = "/usr/bin/aarch64-linux-gnu-g++";
          "g++" = "/usr/bin/aarch64-linux-gnu-g++";
        };
      };
      "x86_64-unknown-linux-musl" = crossCc {
        inherit targetPrefix;
        programs = hostBinutils;
        setup = ''
          specs=/usr/lib/x86_64-linux-musl/musl-gcc.specs
          if [ ! -f "$specs" ]; then
            echo "offline-pkgs: $specs (musl-tools) is missing: run ci/setup-nix.sh" >&2
            exit 1
          fi
          mkdir -p "$out/lib"
          sed 's|^-dynamic-linker /lib/ld-musl-x86_64.so.1 -nostdlib %{shared:-shared} %{static:-static} %{rdynamic:-export-dynamic}$|%{!static:%{!static-pie:-dynamic-linker /lib/ld-musl-x86_64.so.1}} -nostdlib %{shared:-shared} %{static\|static-pie:-static} %{static-pie:-pie --no-dynamic-linker -z text} %{rdynamic:-export-dynamic}|' \
            "$specs" > "$out/lib/musl-gcc.specs"
          grep -q 'static-pie:-pie' "$out/lib/musl-gcc.specs" || { echo "offline-pkgs: unexpected $specs" >&2; exit 1; }
        '';
        scripts = {
          cc = "/usr/bin/gcc -specs $out/lib/musl-gcc.specs";
          gcc = "/usr/bin/gcc -specs $out/lib/musl-gcc.specs";
        };
      };
      # gcc-mingw-w64-x86-64's posix-threads compiler, as nixpkgs' (Rust's std links
      # winpthreads), named directly: Debian's unprefixed name is an alternatives link
      # through /etc, which builds cannot see. No C++ (g++-mingw-w64-x86-64).
      "x86_64-w64-mingw32" = crossCc {
        inherit targetPrefix;
        programs = debian "x86_64-w64-mingw32" // {
          cc = "/usr/bin/x86_64-w64-mingw32-gcc-posix";
          gcc = "/usr/bin/x86_64-w64-mingw32-gcc-posix";
        };
      };
    }.${platform.config}
      or (throw "offline-pkgs: no cross C compiler for ${platform.config} in the stand-in");

  # nixpkgs' windows.pthreads (mingw-w64's winpthreads), from Debian's mingw-w64-x86-64-dev.
  mingwPthreads = hostPackage {
    pname = "mingw_w64-pthreads";
    links = { };
    extraScript = ''
      mkdir -p "$out/lib"
      for f in libpthread.a libwinpthread.a; do
        if [ ! -e "/usr/x86_64-w64-mingw32/lib/$f" ]; then
          echo "offline-pkgs: /usr/x86_64-w64-mingw32/lib/$f (mingw-w64-x86-64-dev) is missing: run ci/setup-nix.sh" >&2
          exit 1
        fi
        ln -s "/usr/x86_64-w64-mingw32/lib/$f" "$out/lib/"
      done
    '';
  };

  # qemu-user (Debian's), each emulator given the platform's Debian sysroot with -L: the
  # stand-in's cross programs are linked by Debian's cross gcc, whose interpreter path
  # (/lib/ld-linux-aarch64.so.1) exists only under that sysroot (nixpkgs' programs name
  # their interpreter in the store instead).
  qemu-user = hostPackage {
    pname = "qemu-user";
    links = { };
    extraScript = ''
      if [ ! -x /usr/bin/qemu-aarch64 ] || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
        echo "offline-pkgs: qemu-user or the aarch64 sysroot is missing: run ci/setup-nix.sh" >&2
        exit 1
      fi
      printf '#!/usr/bin/bash\nexec /usr/bin/qemu-aarch64 -L /usr/aarch64-linux-gnu "$@"\n' > "$out/bin/qemu-aarch64"
      chmod +x "$out/bin/qemu-aarch64"
    '';
  };

  # nixpkgs' wine (`(winePackagesFor "wine64").minimal`, the emulator of a 64-bit Windows
  # platform): Debian's wine64, as bin/wine64. Wine 8.0 (bookworm) lacks bcryptprimitives.dll,
  # which every Rust program for Windows imports: the wrapper puts a stand-in for it
  # (wine/bcryptprimitives.c, built here with mingw's gcc) on Wine's search path (WINEPATH,
  # a Windows path: the store is under Wine's Z: drive, the root).
  wine64 = hostPackage {
    pname = "wine64";
    links = { };
    extraScript = ''
      for f in /usr/lib/wine/wine64 /usr/bin/x86_64-w64-mingw32-gcc-posix; do
        if [ ! -x "$f" ]; then
          echo "offline-pkgs: $f (wine64, gcc-mingw-w64-x86-64) is missing: run ci/setup-nix.sh" >&2
          exit 1
        fi
      done
      mkdir -p "$out/lib/wine-dlls"
      /usr/bin/x86_64-w64-mingw32-gcc-posix -shared -O2 -s -o "$out/lib/wine-dlls/bcryptprimitives.dll" \
        ${./wine/bcryptprimitives.c} -ladvapi32
      dlls="Z:$(printf '%s' "$out/lib/wine-dlls" | tr / '\\')"
      {
        echo '#!/usr/bin/bash'
        echo "export WINEPATH='$dlls'\"\''${WINEPATH:+;\$WINEPATH}\""
        echo 'exec /usr/lib/wine/wine64 "$@"'
      } > "$out/bin/wine64"
      chmod +x "$out/bin/wine64"
    '';
  };

  # pkg-config, with nixpkgs' setup hook: every input's lib/pkgconfig and share/pkgconfig
  # is added to PKG_CONFIG_PATH.
  # Like nixpkgs' pkg-config it searches no default directory: only what inputs add, so a
  # library missing from buildInputs is not found through the host's /usr/lib.
  pkg-config = hostPackage {
    pname = "pkg-config";
    links = { };
    extraScript = ''
      cat > "$out/bin/pkg-config" <<'WRAPPER'
      #!/usr/bin/bash
      export PKG_CONFIG_LIBDIR=''${PKG_CONFIG_LIBDIR-}
      exec /usr/bin/pkgconf "$@"
      WRAPPER
      chmod +x "$out/bin/pkg-config"
      mkdir -p "$out/nix-support"
      cat > "$out/nix-support/setup-hook" <<'HOOK'
      _gantryStandinPkgConfigPath() {
        addToSearchPath PKG_CONFIG_PATH "$1/lib/pkgconfig"
        addToSearchPath PKG_CONFIG_PATH "$1/share/pkgconfig"
      }
      addEnvHooks "$targetOffset" _gantryStandinPkgConfigPath
      HOOK
    '';
  };

  # The CA bundle at nixpkgs' path inside the package.
  cacert = hostPackage {
    pname = "nss-cacert";
    links = { };
    extraScript = ''
      mkdir -p "$out/etc/ssl/certs"
      cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/ca-bundle.crt"
    '';
  };
}
