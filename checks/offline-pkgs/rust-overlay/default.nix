# Stands for rust-overlay's overlay (`import rust-overlay`) in flakes checked offline: the
# stand-in's native package set carries `rust-bin` already (../rust-toolchain.nix), so this
# overlay adds nothing; on a package set without it, using `rust-bin` says why.
_final: prev:
if prev ? rust-bin then
  { }
else
  {
    rust-bin = throw "offline-pkgs: rust-bin is in the stand-in's native package set only (../README.md)";
  }
