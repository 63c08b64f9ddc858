# shellcheck shell=bash
# nixpkgs' reproducible-builds.sh: a random seed for the C compiler derived from the output path.
NIX_CFLAGS_COMPILE="${NIX_CFLAGS_COMPILE:-} -frandom-seed=${NIX_OUTPATH_USED_AS_RANDOM_SEED:-$(echo "$out" | cut -d/ -f4 | cut -c1-10)}"
export NIX_CFLAGS_COMPILE
