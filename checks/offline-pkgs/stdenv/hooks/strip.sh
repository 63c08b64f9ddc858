# shellcheck shell=bash
# nixpkgs' strip.sh: ELF files and static archives under lib lib32 lib64 libexec bin sbin are
# stripped with `strip -S -p` (debug symbols only), unless dontStrip is set. Stripping an
# .rlib or .a in those directories damages it, as in real nixpkgs. Needs $STRIP (stdenv.cc).
fixupOutputHooks+=(_doStrip)

_doStrip() {
    [ -z "${dontStrip-}" ] && [ -n "${STRIP-}" ] || return 0
    local dir f
    for dir in ${stripDebugList:-lib lib32 lib64 libexec bin sbin}; do
        [ -d "$prefix/$dir" ] || continue
        while IFS= read -r -d $'\0' f; do
            if isELF "$f" || [[ "$f" == *.a ]]; then
                $STRIP -S -p ${stripDebugFlags-} "$f" 2>/dev/null || true
            fi
        done < <(find "$prefix/$dir" -type f -print0)
    done
}
