# shellcheck shell=bash
# What the benchmark scripts share: their arguments, timing, and the projects' sources.
# Sourced; expects `work` (the scratch directory) to be set before `fetch` and `variant`.

# parse_args DEFAULT_OUTPUT ARGS…: sets `smoke` (true/false) and `output`.
parse_args() {
  smoke=false
  output=$1
  shift
  while [ $# -gt 0 ]; do
    case $1 in
    --smoke) smoke=true ;;
    --output)
      output=$2
      shift
      ;;
    *)
      echo "usage: $0 [--smoke] [--output FILE]" >&2
      exit 2
      ;;
    esac
    shift
  done
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# fetch NAME VERSION: the pristine source tree (cached).
fetch() {
  local dir=$work/src/$1-$2
  if [ ! -f "$dir/Cargo.lock" ]; then
    mkdir -p "$work/src"
    curl -sSfL "https://static.crates.io/crates/$1/$2/download" | tar -xz -C "$work/src"
  fi
  echo "$dir"
}

# variant SRC KIND: a copy of SRC to change, under the same directory name (the dummy source,
# and so the deps derivation, is named after it, as for a checkout edited in place).
variant() {
  local copy=$work/$2/${1##*/}
  rm -rf "$copy"
  mkdir -p "$work/$2"
  cp -r "$1" "$copy"
  chmod -R u+w "$copy"
  echo "$copy"
}

# crate_root SRC: the file an edit goes into, relative to SRC: the first [[bin]]'s path,
# else src/main.rs, else src/lib.rs.
crate_root() {
  local root
  root=$(sed -n '/^\[\[bin\]\]/,/^\[/s/^path = "\(.*\)"$/\1/p' "$1/Cargo.toml" | head -1)
  [ -n "$root" ] || root=src/main.rs
  [ -f "$1/$root" ] || root=src/lib.rs
  echo "$root"
}

# The machine, for the line above every table.
machine() {
  echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(cargo --version)"
}
