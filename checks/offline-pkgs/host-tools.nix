# Packages made from the host's Debian tools: each is a store directory whose `bin/` holds
# symlinks to exactly its own programs under /usr/bin (bind-mounted read-only into the
# sandbox by ci/setup-nix.sh). Nothing else of /usr/bin is ever on a build's PATH, so a
# missing input fails as it would with real nixpkgs.
{ system }:

let
  # Debian's directory for this system's libraries.
  multiarch = "x86_64-linux-gnu";
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
  curl = hostPackage { pname = "curl"; links = same [ "curl" ]; };
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

  # zlib as a library package: headers, shared and static library and zlib.pc under $out
  # (the files are the host's, from Debian's zlib1g-dev).
  zlib = hostPackage {
    pname = "zlib";
    links = { };
    extraScript = ''
      hostLib=/usr/lib/${multiarch}
      mkdir -p "$out/include" "$out/lib/pkgconfig"
      for f in /usr/include/zlib.h /usr/include/zconf.h "$hostLib"/libz.so "$hostLib"/libz.so.1 "$hostLib"/libz.a; do
        if [ ! -e "$f" ]; then
          echo "offline-pkgs: host file $f (for zlib) is missing: run ci/setup-nix.sh" >&2
          exit 1
        fi
      done
      ln -s /usr/include/zlib.h /usr/include/zconf.h "$out/include/"
      ln -s "$hostLib"/libz.so "$hostLib"/libz.so.1 "$hostLib"/libz.a "$out/lib/"
      version=$(sed -n 's/^Version: //p' "$hostLib/pkgconfig/zlib.pc")
      cat > "$out/lib/pkgconfig/zlib.pc" <<PC
      prefix=$out
      libdir=$out/lib
      includedir=$out/include

      Name: zlib
      Description: zlib compression library
      Version: $version
      Libs: -L\''${libdir} -lz
      Cflags: -I\''${includedir}
      PC
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
