# Stand-in for nixpkgs lib/fixed-points.nix: fixpoints and overlay ("extension")
# plumbing. `makeExtensible` is used to build lib itself, so nothing on that path
# may touch `lib` (default.nix imports this file before lib exists).
{ lib }:

rec {
  fix =
    f:
    let
      result = f result;
    in
    result;

  # Like fix, but remembers the unfixed function as `__unfix__`.
  fix' =
    f:
    let
      result = f result // {
        __unfix__ = f;
      };
    in
    result;

  # Iterate `f` from `x` until the value stops changing.
  converge =
    f: x:
    let
      next = f x;
    in
    if next == x then x else converge f next;

  # Apply overlay `overlay` on top of the fixpoint function `base`; the overlay
  # sees the final result and the result of `base`.
  extends =
    overlay: base: final:
    let
      prev = base final;
    in
    prev // overlay final prev;

  # The second overlay sees the first one's changes in its `prev`.
  composeExtensions =
    first: second: final: prev:
    let
      firstResult = first final prev;
    in
    firstResult // second final (prev // firstResult);

  # Right fold, like nixpkgs, so the first overlay is the outermost.
  composeManyExtensions = exts: lib.lists.foldr composeExtensions (_final: _prev: { }) exts;

  makeExtensible = makeExtensibleWithCustomName "extend";

  makeExtensibleWithCustomName =
    extenderName: rattrs:
    fix' (
      self:
      rattrs self
      // {
        ${extenderName} = overlay: makeExtensibleWithCustomName extenderName (extends overlay rattrs);
      }
    );

  # Accept an attrset, `prev: {...}` or `final: prev: {...}` as an overlay.
  # Which of the two function shapes it is gets decided by applying it to
  # `prev` once and looking whether a function comes back.
  toExtension =
    f:
    if !lib.isFunction f then
      _final: _prev: f
    else
      final: prev:
      let
        appliedToPrev = f prev;
      in
      if lib.isFunction appliedToPrev then f final prev else appliedToPrev;

  encapsulate =
    layerZero:
    let
      fixed = layerZero ({ extend = overlay: encapsulate (extends overlay layerZero); } // fixed);
    in
    fixed.public;
}
