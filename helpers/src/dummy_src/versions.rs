//! Setting the workspace's own packages to version 0.0.0.
//!
//! Releasing a version touches the members' manifests and the lock file,
//! though no dependency compiles differently for it. With the versions
//! normalised, such a release leaves the dummy, and so the cached
//! dependency build, unchanged. Everything that mentions those versions
//! changes along: path dependencies lose their version requirements, and
//! the lock file is rewritten to what cargo would write, as `--locked`
//! demands.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::inside;

/// The version every package of the source tree gets.
pub(super) const NORMAL_VERSION: &str = "0.0.0";

/// The dependency tables of a manifest, and of each `[target.*]` table.
const DEPENDENCY_TABLES: &[&str] = &[
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

/// Which packages of the source tree get which version.
pub(super) struct Versions {
    /// Packages set to [`NORMAL_VERSION`], by directory, with their name
    /// and original version.
    normalised: BTreeMap<PathBuf, (String, String)>,
    /// Packages that inherit the workspace's version but must keep their
    /// own, by directory, with that version: normalising the workspace's
    /// version would change theirs.
    pinned: BTreeMap<PathBuf, String>,
}

impl Versions {
    /// Decides the versions for `manifests` (by directory). A package named
    /// in a `[patch]` or `[replace]` table keeps its version: it stands in
    /// for a crate that other crates require by version.
    pub(super) fn plan(manifests: &BTreeMap<PathBuf, Table>) -> Self {
        let patched = patched_names(manifests);
        let mut versions = Versions {
            normalised: BTreeMap::new(),
            pinned: BTreeMap::new(),
        };
        for (dir, manifest) in manifests {
            let Some(package) = manifest.get("package").and_then(Value::as_table) else {
                continue;
            };
            let Some(name) = package.get("name").and_then(Value::as_str) else {
                continue;
            };
            let (version, inherited) = match package.get("version") {
                Some(Value::String(version)) => (version.clone(), false),
                Some(Value::Table(inherit))
                    if inherit.get("workspace").and_then(Value::as_bool) == Some(true) =>
                {
                    match workspace_version(dir, package, manifests) {
                        Some(version) => (version, true),
                        None => continue,
                    }
                }
                // No version is version 0.0.0 already.
                _ => continue,
            };
            if !patched.contains(name) {
                versions
                    .normalised
                    .insert(dir.clone(), (name.to_string(), version));
            } else if inherited {
                versions.pinned.insert(dir.clone(), version);
            }
        }
        versions
    }

    /// The `(name, version)` pairs of the packages whose version changes,
    /// as the lock file names them.
    pub(super) fn renamed(&self) -> BTreeSet<(String, String)> {
        self.normalised
            .values()
            .filter(|(_, version)| version != NORMAL_VERSION)
            .cloned()
            .collect()
    }

    /// Rewrites the (cleaned) manifest found in directory `dir`: its own
    /// version, its workspace's version, and the version requirements of
    /// its path dependencies on normalised packages, which 0.0.0 would no
    /// longer meet.
    pub(super) fn apply_to_manifest(&self, dir: &Path, manifest: &mut Table) {
        if let Some(Value::Table(package)) = manifest.get_mut("package") {
            let own = package.get("version").is_some_and(Value::is_str);
            if own && self.normalised.contains_key(dir) {
                package.insert("version".into(), NORMAL_VERSION.into());
            }
            if let Some(version) = self.pinned.get(dir) {
                package.insert("version".into(), version.as_str().into());
            }
        }
        if let Some(Value::Table(workspace)) = manifest.get_mut("workspace") {
            if let Some(Value::Table(package)) = workspace.get_mut("package") {
                if package.get("version").is_some_and(Value::is_str) {
                    package.insert("version".into(), NORMAL_VERSION.into());
                }
            }
        }
        for_each_dependency_table(manifest, &mut |dependencies| {
            for (_, dependency) in dependencies.iter_mut() {
                let Value::Table(dependency) = dependency else {
                    continue;
                };
                let target = dependency
                    .get("path")
                    .and_then(Value::as_str)
                    .and_then(|path| inside(dir, Path::new(path)));
                if target.is_some_and(|target| self.normalised.contains_key(&target)) {
                    dependency.remove("version");
                }
            }
        });
    }
}

/// The version a package in `dir` inherits: its workspace's
/// `workspace.package.version`. The workspace is the one `package.workspace`
/// points to, or else the nearest enclosing one, as cargo finds it.
fn workspace_version(
    dir: &Path,
    package: &Table,
    manifests: &BTreeMap<PathBuf, Table>,
) -> Option<String> {
    let root = match package.get("workspace").and_then(Value::as_str) {
        Some(path) => inside(dir, Path::new(path))?,
        None => dir
            .ancestors()
            .find(|ancestor| {
                manifests
                    .get(*ancestor)
                    .is_some_and(|manifest| manifest.contains_key("workspace"))
            })?
            .to_path_buf(),
    };
    let version = manifests
        .get(&root)?
        .get("workspace")?
        .get("package")?
        .get("version")?;
    version.as_str().map(str::to_string)
}

/// The names of the packages any manifest patches or replaces.
fn patched_names(manifests: &BTreeMap<PathBuf, Table>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for manifest in manifests.values() {
        let patches = manifest
            .get("patch")
            .and_then(Value::as_table)
            .into_iter()
            .flat_map(|sources| sources.values())
            .filter_map(Value::as_table)
            .flatten();
        for (key, patch) in patches {
            let renamed = patch.get("package").and_then(Value::as_str);
            names.insert(renamed.unwrap_or(key).to_string());
        }
        // Keys are package id specs: `[source#]name[:version]`.
        let replaced = manifest
            .get("replace")
            .and_then(Value::as_table)
            .into_iter()
            .flat_map(Table::keys);
        for spec in replaced {
            let spec = spec
                .rsplit_once('#')
                .map_or(spec.as_str(), |(_, name)| name);
            let name = spec.split_once([':', '@']).map_or(spec, |(name, _)| name);
            names.insert(name.to_string());
        }
    }
    names
}

/// Calls `visit` on every dependency table of `manifest`: the top-level
/// ones, those of each `[target.*]` table, and `[workspace.dependencies]`.
fn for_each_dependency_table(manifest: &mut Table, visit: &mut impl FnMut(&mut Table)) {
    visit_kinds(manifest, visit);
    if let Some(Value::Table(targets)) = manifest.get_mut("target") {
        for (_, target) in targets.iter_mut() {
            if let Value::Table(target) = target {
                visit_kinds(target, visit);
            }
        }
    }
    if let Some(Value::Table(workspace)) = manifest.get_mut("workspace") {
        if let Some(Value::Table(dependencies)) = workspace.get_mut("dependencies") {
            visit(dependencies);
        }
    }
}

fn visit_kinds(table: &mut Table, visit: &mut impl FnMut(&mut Table)) {
    for kind in DEPENDENCY_TABLES {
        if let Some(Value::Table(dependencies)) = table.get_mut(*kind) {
            visit(dependencies);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifests(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, Table> {
        entries
            .iter()
            .map(|(dir, text)| (PathBuf::from(dir), toml::from_str(text).unwrap()))
            .collect()
    }

    #[test]
    fn inherited_versions_come_from_the_enclosing_workspace() {
        let manifests = manifests(&[
            ("", "[workspace.package]\nversion = \"1.2.0\"\n"),
            ("a", "[package]\nname = \"a\"\nversion.workspace = true\n"),
            ("b", "[package]\nname = \"b\"\nversion = \"3.0.0\"\n"),
            ("c", "[package]\nname = \"c\"\n"),
        ]);
        let versions = Versions::plan(&manifests);
        let expected: BTreeSet<_> = [("a", "1.2.0"), ("b", "3.0.0")]
            .iter()
            .map(|(name, version)| (name.to_string(), version.to_string()))
            .collect();
        assert_eq!(versions.renamed(), expected);
    }

    #[test]
    fn patched_packages_keep_their_versions() {
        let manifests = manifests(&[
            (
                "",
                "[workspace.package]\nversion = \"1.2.0\"\n\
                 [patch.crates-io]\nx = { path = \"a\", package = \"a\" }\n\
                 [replace]\n\"b:3.0.0\" = { path = \"b\" }\n",
            ),
            ("a", "[package]\nname = \"a\"\nversion.workspace = true\n"),
            ("b", "[package]\nname = \"b\"\nversion = \"3.0.0\"\n"),
        ]);
        let versions = Versions::plan(&manifests);
        assert!(versions.renamed().is_empty());
        let mut a = manifests[Path::new("a")].clone();
        versions.apply_to_manifest(Path::new("a"), &mut a);
        assert_eq!(a["package"]["version"].as_str(), Some("1.2.0"));
    }

    #[test]
    fn path_dependencies_on_normalised_packages_lose_their_requirement() {
        let manifests = manifests(&[
            (
                "",
                "[workspace]\n[workspace.dependencies]\nb = { path = \"b\", version = \"3\" }\n",
            ),
            (
                "a",
                "[package]\nname = \"a\"\nversion = \"1.0.0\"\n\
                 [target.'cfg(unix)'.dev-dependencies]\nb = { path = \"../b\", version = \"3\" }\n\
                 [build-dependencies]\nout = { path = \"../../out\", version = \"1\" }\n",
            ),
            ("b", "[package]\nname = \"b\"\nversion = \"3.0.0\"\n"),
        ]);
        let versions = Versions::plan(&manifests);
        let mut a = manifests[Path::new("a")].clone();
        versions.apply_to_manifest(Path::new("a"), &mut a);
        let expected: Table = toml::from_str(
            "[package]\nname = \"a\"\nversion = \"0.0.0\"\n\
             [target.'cfg(unix)'.dev-dependencies]\nb = { path = \"../b\" }\n\
             [build-dependencies]\nout = { path = \"../../out\", version = \"1\" }\n",
        )
        .unwrap();
        assert_eq!(a, expected);
        let mut root = manifests[Path::new("")].clone();
        versions.apply_to_manifest(Path::new(""), &mut root);
        assert!(root["workspace"]["dependencies"]["b"]
            .get("version")
            .is_none());
    }
}
