# manifestsDigest view: a digest of what the workspace's manifests at `view` (a sourceView,
# or null) say about which units cargo compiles with which features: dependency tables,
# features, proc-macro libs, the edition and the resolver, workspace dependencies, patches.
# Read without a walk of the tree (workspaceManifests). Not versions, so a member's version
# bump keeps it, nor the version requirement of a path dependency on a member. "unread"
# when the manifests cannot be read at evaluation time (a derivation source). Part of the
# key a committed per-crate plan is checked against; internal to buildDepsPerCrate.
{ lib, workspaceManifests }:

view:
let
  manifests = if view == null then null else workspaceManifests view;
  dependencyTable = lib.mapAttrs (_: d: if builtins.isAttrs d && d ? path then removeAttrs d [ "version" ] else d);
  dependencyTables =
    t:
    lib.mapAttrs (_: dependencyTable) (
      lib.filterAttrs (name: _: builtins.elem name (import ./dependencyTableNames.nix)) t
    );
  relevant =
    m:
    let
      toml = builtins.fromTOML m.text;
    in
    {
      inherit (m) dir;
      tables = dependencyTables toml;
      target = lib.mapAttrs (_: dependencyTables) (toml.target or { });
      features = toml.features or null;
      lib = toml.lib or null;
      edition = toml.package.edition or null;
      resolver = toml.package.resolver or toml.workspace.resolver or null;
      workspaceDependencies = dependencyTable (toml.workspace.dependencies or { });
      patch = lib.mapAttrs (_: dependencyTable) (toml.patch or { });
      replace = toml.replace or null;
    };
in
if manifests == null then "unread" else builtins.hashString "sha256" (builtins.toJSON (map relevant manifests))
