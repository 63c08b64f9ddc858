# System-string lists in the shape of nixpkgs' lib.platforms (lib/systems/doubles.nix).
# nixpkgs derives these from parsed platforms; here they are written out for the
# common systems only.
{ lib }:

rec {
  linux = [
    "aarch64-linux"
    "armv5tel-linux"
    "armv6l-linux"
    "armv7a-linux"
    "armv7l-linux"
    "i686-linux"
    "loongarch64-linux"
    "m68k-linux"
    "microblaze-linux"
    "microblazeel-linux"
    "mips-linux"
    "mips64-linux"
    "mips64el-linux"
    "mipsel-linux"
    "powerpc-linux"
    "powerpc64-linux"
    "powerpc64le-linux"
    "riscv32-linux"
    "riscv64-linux"
    "s390-linux"
    "s390x-linux"
    "x86_64-linux"
  ];

  darwin = [
    "x86_64-darwin"
    "i686-darwin"
    "aarch64-darwin"
    "armv7a-darwin"
  ];

  freebsd = [
    "i686-freebsd"
    "x86_64-freebsd"
    "aarch64-freebsd"
  ];

  openbsd = [
    "i686-openbsd"
    "x86_64-openbsd"
  ];

  netbsd = [
    "aarch64-netbsd"
    "i686-netbsd"
    "x86_64-netbsd"
  ];

  cygwin = [
    "i686-cygwin"
    "x86_64-cygwin"
  ];

  windows = [
    "i686-windows"
    "x86_64-windows"
    "aarch64-windows"
  ];

  illumos = [ "x86_64-solaris" ];

  unix = linux ++ darwin ++ freebsd ++ openbsd ++ netbsd ++ cygwin ++ illumos;

  all = unix ++ windows;

  x86_64 = builtins.filter (lib.strings.hasPrefix "x86_64-") all;
  aarch64 = builtins.filter (lib.strings.hasPrefix "aarch64-") all;
  i686 = builtins.filter (lib.strings.hasPrefix "i686-") all;
}
