# shellcheck shell=bash
# What the benchmark scripts share: their arguments, timing, and the projects' sources.
# Sourced; expects `work` (the scratch directory) to be set before `fetch` and `variant`,
# and `repo` (the repository) before `project_builds`.

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

# Numbers for the tables: the median and the spread ("lo–hi") of values, a ratio, a sum, and
# bytes in MiB.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# fetch NAME VERSION: the pristine source tree (cached).
fetch() {
  local dir=$work/src/$1-$2
  if [ ! -f "$dir/Cargo.lock" ]; then
    mkdir -p "$work/src"
    curl -sSfL "https://static.crates.io/crates/$1/$2/download" | tar -xz -C "$work/src"
  fi
  echo "$dir"
}

# project_builds SRC: a Nix expression for the builds of SRC on the stand-in: its vendored
# sources, buildDepsOnly and buildDepsPerCrate, and buildPackage on each. BUILD_ARGS (a Nix
# attribute set, `pkgs` in scope) is added to every build's arguments.
project_builds() {
  cat <<EOF
let
  pkgs = import $repo/checks/offline-pkgs { };
  gantryLib = import $repo/lib { inherit pkgs; };
  args = { src = $1; doCheck = false; } // (${BUILD_ARGS:-"{ }"});
  perCrate = gantryLib.buildDepsPerCrate args;
  depsOnly = gantryLib.buildDepsOnly args;
in
{
  inherit perCrate depsOnly;
  vendor = gantryLib.vendorCargoDeps { src = $1; };
  package = gantryLib.buildPackage (args // { cargoArtifacts = perCrate; });
  packageDepsOnly = gantryLib.buildPackage (args // { cargoArtifacts = depsOnly; });
}
EOF
}

# outputs SRC: the store paths of SRC's dependency builds (project_builds) (plan, pieces, assembly, final
# steps) and package.
outputs() {
  local drvs
  drvs=$(for attr in perCrate depsOnly package packageDepsOnly; do nix-instantiate --quiet -E "$(project_builds "$1")" -A "$attr" 2>/dev/null; done)
  # shellcheck disable=SC2086
  (echo "$drvs" && nix-store -qR $drvs | grep -E -- '-(piece-[^/]*|pieces|plan-0\.0\.0|deps-0\.0\.0)\.drv$') |
    xargs -r nix-store -q --outputs | sort -u
}

# forget SRC [KEEP]: deletes SRC's outputs from the store, except those KEEP's build shares,
# so that building SRC measures what it adds to KEEP (downloads stay).
forget() {
  local delete path
  delete=$(comm -23 <(outputs "$1") <(if [ -n "${2-}" ]; then outputs "$2"; fi))
  # One at a time, as often as the chain is deep (package → final step → assembly → pieces):
  # a path still referred to is not deleted, and among others would stop the whole deletion.
  for _ in 1 2 3 4; do
    for path in $delete; do nix-store --delete "$path" >/dev/null 2>&1 || true; done
  done
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

# bump DIR CRATE: CRATE's next patch release in DIR's Cargo.lock; prints "old → new".
bump() {
  local old new
  old=$(grep -A1 "^name = \"$2\"$" "$1/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p' | head -1)
  new=$(echo "$old" | awk -F. '{ printf "%s.%s.%d", $1, $2, $3 + 1 }')
  (cd "$1" && cargo update -q -p "$2@$old" --precise "$new")
  echo "$2 $old → $new"
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

# svg_bars FILE TITLE UNIT "LABEL=VALUE"…: a horizontal bar chart as SVG (the plots of
# docs/benchmarks.md), bars scaled to the largest value, each labelled with its value.
svg_bars() {
  local file=$1 title=$2 unit=$3
  shift 3
  printf '%s\n' "$@" | awk -F= -v title="$title" -v unit="$unit" '
    { label[NR] = $1; value[NR] = $2 + 0; if (value[NR] > max) max = value[NR] }
    END {
      width = 640; left = 300; bar = 22; gap = 8; top = 40
      height = top + NR * (bar + gap) + 10
      printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height
      printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      printf "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", title
      for (i = 1; i <= NR; i++) {
        y = top + (i - 1) * (bar + gap)
        w = max > 0 ? value[i] / max * (width - left - 70) : 0
        printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8, y + 15, label[i]
        printf "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4a7ab5\"/>\n", left, y, w, bar
        printf "<text x=\"%.1f\" y=\"%d\">%s %s</text>\n", left + w + 6, y + 15, value[i], unit
      }
      print "</svg>"
    }' >"$file"
}
