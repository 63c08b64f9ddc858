# X11's lndir: mirror a directory tree as real directories holding symlinks to the files.
{ writeTextFile, runtimeShell }:

writeTextFile {
  name = "lndir";
  executable = true;
  destination = "/bin/lndir";
  text = ''
    #!${runtimeShell}
    set -eu
    [ "''${1-}" != -silent ] || shift
    from=$(cd "$1" && pwd)
    to=''${2:-.}
    cd "$from"
    find . -mindepth 1 -type d -printf '%P\0' | while IFS= read -r -d "" d; do
      [ -L "$to/$d" ] && rm "$to/$d"
      mkdir -p "$to/$d"
    done
    find . -mindepth 1 ! -type d -printf '%P\0' | while IFS= read -r -d "" f; do
      ln -sf "$from/$f" "$to/$f"
    done
  '';
}
