# Manifest filters for cleanCargoToml: a filter gets the key path (a list of strings; array
# elements add no component, so keys of `[[bin]]` entries are at [ "bin" key ]) and returns
# whether to keep it. The same lists drive `gantry clean-toml` (helpers/src/toml_clean.rs);
# a check compares both on the same fixtures. A user's filter is any such function.
{ lib }:

let
  targetKinds = [ "lib" "bin" "example" "test" "bench" ];
  perTarget = keys: lib.concatMap (t: map (k: [ t k ]) keys) targetKinds;

  # Metadata-only keys: dropped with everything below them.
  conservativeDrops = [
    [ "badges" ]
    [ "lints" ]
    [ "workspace" "lints" ]
    [ "workspace" "metadata" ]
  ]
  ++ map (k: [ "package" k ]) [
    "authors" "autobenches" "autobins" "autoexamples" "autotests" "build" "categories"
    "default-run" "default_run" "description" "documentation" "exclude" "homepage" "include"
    "keywords" "license-file" "license_file" "license" "links" "metadata" "publish" "readme"
    "repository" "rust-version" "rust_version"
  ]
  ++ perTarget [ "test" "doctest" "bench" "doc" "plugin" "required-features" "required_features" ];

  # Keys that influence the build: kept with everything below them; all else is dropped.
  aggressiveKeeps =
    map (k: [ k ]) [
      "build-dependencies" "build_dependencies" "cargo-features" "cargo_features" "dependencies"
      "dev-dependencies" "dev_dependencies" "features" "patch" "profile" "replace" "target"
    ]
    ++ map (k: [ "package" k ]) [ "edition" "name" "resolver" "version" "workspace" ]
    ++ map (k: [ "workspace" k ]) [
      "default-members" "default_members" "exclude" "dependencies" "members" "package" "resolver"
    ]
    ++ perTarget [ "edition" "path" "name" "crate-type" "crate_type" "proc-macro" "proc_macro" "harness" ];
  # A filter is called like a function; `gantryFlag` tells mkDummySrc which of the helper's
  # own filters does the same at build time.
  filter = gantryFlag: keep: {
    inherit gantryFlag;
    __functor = _: keep;
  };
in
rec {
  cargoTomlConservative = filter "" (
    path: !(builtins.any (drop: lib.lists.hasPrefix drop path) conservativeDrops)
  );

  cargoTomlAggressive = filter "--aggressive" (
    path: builtins.any (keep: lib.lists.hasPrefix path keep || lib.lists.hasPrefix keep path) aggressiveKeeps
  );

  cargoTomlDefault = cargoTomlConservative;
}
