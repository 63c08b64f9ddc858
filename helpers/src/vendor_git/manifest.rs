//! The manifest of a vendored crate, made to stand on its own outside the
//! workspace it came from, as `cargo vendor` makes it: what the package
//! inherits is written out, the workspace it belonged to is forgotten.
//! The edit keeps the comments and layout of everything it does not
//! rewrite, and the comments around what it does.
//!
//! Path dependencies keep their `path`. In a source other than a local
//! directory cargo reads `path` only as "the same source", so a vendored
//! crate's path dependency is found among the crates vendored with it,
//! where the lock file expects it; a plain version requirement would send
//! cargo to crates.io instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item, Key, Table, TableLike, Value};

use super::files::Content;
use super::packages::{is_inherited, strings, Checkout, Package, Workspace};
use super::{is_inside, normalize, relative};
use crate::error::{Error, Result};

/// The tables holding dependencies, at the top level or under
/// `[target.<platform>]`, each with whether it holds dev-dependencies.
const DEPENDENCY_TABLES: &[(&str, bool)] = &[
    ("dependencies", false),
    ("build-dependencies", false),
    ("build_dependencies", false),
    ("dev-dependencies", true),
    ("dev_dependencies", true),
];

/// Package keys holding a path to a file that `cargo package` copies into
/// the package when it lies outside.
const FILE_KEYS: &[&str] = &["readme", "license-file", "license_file"];

/// The manifest of `package` with everything it inherits from its
/// workspace written out, and its path dependencies on packages the
/// checkout lacks dealt with.
pub(super) fn resolve(checkout: &Checkout, package: &Package) -> Result<DocumentMut> {
    let mut document = package.manifest.clone();
    let resolver = Resolver { checkout, package };
    resolver.package_fields(&mut document)?;
    resolver.dependencies(&mut document)?;
    resolver.lints(&mut document)?;
    Ok(document)
}

/// The strings of the array `package.<key>` (`include` or `exclude`).
pub(super) fn patterns(document: &DocumentMut, key: &str) -> Result<Vec<String>> {
    let Some(item) = package_table(document).and_then(|package| package.get(key)) else {
        return Ok(Vec::new());
    };
    let invalid = || Error::new(format!("`package.{key}` is not an array of strings"));
    let array = item.as_array().ok_or_else(invalid)?;
    if array.iter().any(|value| !value.is_str()) {
        return Err(invalid());
    }
    Ok(strings(Some(item)).map(String::from).collect())
}

/// Adds to `files` what `cargo package` adds to the files it selected:
/// the readme and license file, copied into the package's directory (and
/// the keys pointing there) when they lie outside it. Only files inside the
/// checkout count. A build script left out of the files is dropped from
/// the manifest, as `cargo vendor` does, since it could not compile.
pub(super) fn bundle_files(
    document: &mut DocumentMut,
    checkout: &Checkout,
    package: &Package,
    files: &mut BTreeMap<PathBuf, Content>,
) {
    let Some(table) = document
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
    else {
        return;
    };
    for key in FILE_KEYS {
        let Some(path) = table.get(key).and_then(Item::as_str) else {
            continue;
        };
        let target = normalize(&package.dir.join(path));
        let source = checkout.root.join(&target);
        if !is_inside(&target) || !source.is_file() {
            continue;
        }
        match target.strip_prefix(&package.dir) {
            Ok(inner) => {
                files
                    .entry(inner.to_path_buf())
                    .or_insert(Content::Copy(source));
            }
            Err(_) => {
                let Some(name) = target.file_name() else {
                    continue;
                };
                // A file of the package with that name wins, as in
                // `cargo package`.
                files
                    .entry(PathBuf::from(name))
                    .or_insert(Content::Copy(source));
                set_value(table, key, Value::from(name.to_string_lossy().as_ref()));
            }
        }
    }
    if let Some(build) = table.get("build").and_then(Item::as_str) {
        if !files.contains_key(&normalize(Path::new(build))) {
            set_value(table, "build", Value::from(false));
        }
    }
}

/// Removes what ties the manifest to a workspace: a vendored crate is no
/// workspace root, nor a member of one.
pub(super) fn detach(document: &mut DocumentMut) {
    document.remove("workspace");
    if let Some(package) = document
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
    {
        package.remove("workspace");
    }
}

/// Writes out what one package inherits.
struct Resolver<'a> {
    checkout: &'a Checkout,
    package: &'a Package,
}

impl Resolver<'_> {
    fn workspace(&self) -> Result<Workspace<'_>> {
        self.checkout.workspace(&self.package.dir)
    }

    /// Replaces every `<key>.workspace = true` of `[package]` by the
    /// workspace's `workspace.package.<key>`. Paths to files are relative
    /// to the workspace root there, and become relative to the package.
    fn package_fields(&self, document: &mut DocumentMut) -> Result<()> {
        let Some(package) = document
            .get_mut("package")
            .and_then(Item::as_table_like_mut)
        else {
            return Ok(());
        };
        let keys: Vec<String> = package
            .iter()
            .filter(|(_, item)| is_inherited(item))
            .map(|(key, _)| key.to_string())
            .collect();
        for key in keys {
            let workspace = self.workspace()?;
            // The workspace spells its keys with dashes only.
            let item = workspace.inherited("package", &key.replace('_', "-"))?;
            let mut value = plain_value(item).ok_or_else(|| {
                Error::new(format!("the workspace's `package.{key}` is not a value"))
            })?;
            if FILE_KEYS.contains(&key.as_str()) {
                if let Some(path) = value.as_str() {
                    value = Value::from(self.rebase(&workspace, path));
                }
            }
            replace_inherited(package, &key, value);
        }
        Ok(())
    }

    /// Resolves every dependency table: top-level and per target.
    fn dependencies(&self, document: &mut DocumentMut) -> Result<()> {
        for (name, dev) in DEPENDENCY_TABLES {
            if let Some(table) = document.get_mut(name).and_then(Item::as_table_like_mut) {
                self.dependency_table(table, *dev, name)?;
            }
        }
        let Some(targets) = document.get_mut("target").and_then(Item::as_table_like_mut) else {
            return Ok(());
        };
        for (platform, target) in targets.iter_mut() {
            let Some(target) = target.as_table_like_mut() else {
                continue;
            };
            for (name, dev) in DEPENDENCY_TABLES {
                if let Some(table) = target.get_mut(name).and_then(Item::as_table_like_mut) {
                    let section = format!("target.{}.{name}", platform.get());
                    self.dependency_table(table, *dev, &section)?;
                }
            }
        }
        Ok(())
    }

    /// Writes out the inherited dependencies of `table` (the dependency
    /// table `[<section>]`), then checks its path dependencies: one on a
    /// package the checkout lacks is dropped from dev-dependencies, which
    /// cargo never resolves for a dependency, and is an error elsewhere
    /// unless optional (cargo resolves an optional dependency only when a
    /// feature enables it).
    fn dependency_table(&self, table: &mut dyn TableLike, dev: bool, section: &str) -> Result<()> {
        let names: Vec<String> = table.iter().map(|(name, _)| name.to_string()).collect();
        for name in names {
            let Some(item) = table.get_mut(&name) else {
                continue;
            };
            if is_inherited(item) {
                self.inherit_dependency(item, &name)?;
            }
            let Some(entry) = item.as_table_like() else {
                continue;
            };
            let Some(path) = entry.get("path").and_then(Item::as_str) else {
                continue;
            };
            // Cargo finds a path dependency of a git source by name in the
            // same source.
            let package = entry.get("package").and_then(Item::as_str).unwrap_or(&name);
            if self.checkout.has_package(package) {
                continue;
            }
            if dev {
                table.remove(&name);
            } else if entry.get("optional").and_then(Item::as_bool) != Some(true) {
                return Err(Error::new(format!(
                    "dependency `{name}` in `[{section}]` has `path = \"{path}\"`, \
                     but the checkout has no package named `{package}`"
                )));
            }
        }
        Ok(())
    }

    /// Replaces the dependency `item`, which inherits from the workspace's
    /// `workspace.dependencies.<name>`, by that entry merged with the
    /// member's keys as cargo merges them: the member's `features` are
    /// added to the workspace's, its `optional` and `public` apply, its
    /// `default-features = true` overrides only a workspace's `false`, and
    /// any other key of the member is ignored. The workspace's `path` is
    /// relative to its root, and becomes relative to the package.
    fn inherit_dependency(&self, item: &mut Item, name: &str) -> Result<()> {
        let workspace = self.workspace()?;
        let inherited = workspace.inherited("dependencies", name)?;
        let mut base: Vec<(Key, Value)> = match inherited {
            Item::Value(Value::String(version)) => {
                vec![(Key::new("version"), Value::from(version.value().as_str()))]
            }
            _ => inherited
                .as_table_like()
                .ok_or_else(|| {
                    Error::new(format!(
                        "the workspace's `dependencies.{name}` is neither a version nor a table"
                    ))
                })?
                .iter()
                .filter_map(|(key, item)| Some((Key::new(key), plain_value(item)?)))
                .collect(),
        };
        for (key, value) in &mut base {
            if key.get() == "path" {
                if let Some(path) = value.as_str() {
                    *value = Value::from(self.rebase(&workspace, path));
                }
            }
        }
        if let Some(local) = item.as_table_like() {
            let merged = merge_dependency(local, &base);
            refill(item, merged);
        }
        Ok(())
    }

    /// Replaces `[lints] workspace = true` by the workspace's
    /// `[workspace.lints]`, as tables of their own when the member's
    /// `[lints]` is one, inline otherwise.
    fn lints(&self, document: &mut DocumentMut) -> Result<()> {
        let Some(local) = document.get("lints") else {
            return Ok(());
        };
        if !is_inherited(local) {
            return Ok(());
        }
        let workspace = self.workspace()?;
        let lints = workspace.item("lints")?.clone();
        match document.get_mut("lints") {
            Some(Item::Table(local)) if !local.is_dotted() => {
                let mut table = lints
                    .into_table()
                    .map_err(|_| Error::new("the workspace's `lints` is not a table"))?;
                table.set_position(local.position());
                *table.decor_mut() = local.decor().clone();
                table.set_implicit(false);
                table.set_dotted(false);
                unposition(&mut table);
                // The comments before `workspace = true` go before what
                // replaces it.
                let prefix = local
                    .key("workspace")
                    .and_then(|key| key.leaf_decor().prefix())
                    .cloned();
                if let (Some(prefix), Some((mut key, first))) = (prefix, table.iter_mut().next()) {
                    match first {
                        Item::Table(first) => first.decor_mut().set_prefix(prefix),
                        _ => key.leaf_decor_mut().set_prefix(prefix),
                    }
                }
                *local = table;
            }
            _ => {
                let value = lints
                    .into_value()
                    .map_err(|_| Error::new("the workspace's `lints` is not a table"))?;
                replace_inherited(document.as_table_mut(), "lints", value);
            }
        }
        Ok(())
    }

    /// `path`, relative to the workspace root, made relative to the
    /// package's directory.
    fn rebase(&self, workspace: &Workspace, path: &str) -> String {
        let target = normalize(&workspace.dir.join(path));
        relative(&self.package.dir, &target)
            .to_string_lossy()
            .into_owned()
    }
}

/// The keys of a dependency inheriting from `base` (the workspace's entry,
/// as key-value pairs) in the member's order, the workspace's keys taking
/// the place of `workspace = true`, and its comments.
fn merge_dependency(local: &dyn TableLike, base: &[(Key, Value)]) -> Vec<(Key, Value)> {
    let local_flag = |key: &str| {
        local
            .get(key)
            .or_else(|| local.get(&key.replace('-', "_")))
            .and_then(Item::as_bool)
    };
    let base_value = |key: &str| {
        base.iter()
            .find(|(name, _)| name.get() == key || name.get() == key.replace('-', "_"))
            .map(|(_, value)| value)
    };
    let enable_defaults = base_value("default-features").and_then(Value::as_bool) == Some(false)
        && local_flag("default-features") == Some(true);
    let local_features = local.get("features").and_then(Item::as_array);
    let mut merged = Vec::new();
    for (name, item) in local.iter() {
        let Some(value) = item.as_value() else {
            continue;
        };
        let key = local.key(name).cloned().unwrap_or_else(|| Key::new(name));
        match name {
            "workspace" => {
                let start = merged.len();
                for (base_key, base_value) in base {
                    match base_key.get() {
                        // The member's say.
                        "optional" | "public" => {}
                        "features" if local_features.is_some() => {}
                        "default-features" | "default_features" if enable_defaults => {
                            merged.push((base_key.clone(), Value::from(true)));
                        }
                        _ => merged.push((base_key.clone(), base_value.clone())),
                    }
                }
                // The comments of the `workspace = true` line go to the
                // line replacing it.
                if let Some((first_key, first_value)) = merged.get_mut(start) {
                    if let Some(prefix) = key.leaf_decor().prefix() {
                        first_key.leaf_decor_mut().set_prefix(prefix.clone());
                    }
                    if let Some(suffix) = value.decor().suffix() {
                        first_value.decor_mut().set_suffix(suffix.clone());
                    }
                }
            }
            "features" => {
                let features = match (
                    base_value("features").and_then(Value::as_array),
                    value.as_array(),
                ) {
                    (Some(base), Some(local)) => {
                        let mut features: Array = base.iter().chain(local).cloned().collect();
                        features.fmt();
                        let mut features = Value::Array(features);
                        *features.decor_mut() = value.decor().clone();
                        features
                    }
                    _ => value.clone(),
                };
                merged.push((key, features));
            }
            "optional" | "public" => merged.push((key, value.clone())),
            // Cargo ignores other keys of an inheriting dependency.
            _ => {}
        }
    }
    merged
}

/// Makes the dependency table `item` hold exactly `pairs`, keeping its own
/// place and comments; an inline table is laid out afresh.
fn refill(item: &mut Item, pairs: Vec<(Key, Value)>) {
    match item {
        Item::Table(table) => {
            table.clear();
            for (key, value) in pairs {
                table.insert_formatted(&key, Item::Value(value));
            }
        }
        Item::Value(Value::InlineTable(table)) => {
            table.clear();
            for (key, value) in pairs {
                table.insert_formatted(&key, value);
            }
            table.fmt();
        }
        _ => {}
    }
}

/// Puts `value` in place of the `{ workspace = true }` at `key` of
/// `table`, in whichever spelling, keeping the comments before and after
/// it.
fn replace_inherited(table: &mut dyn TableLike, key: &str, mut value: Value) {
    let mut prefix = None;
    match table.get(key) {
        Some(Item::Value(old)) => *value.decor_mut() = old.decor().clone(),
        Some(Item::Table(old)) => {
            // `key.workspace = true`: the line's comments are on the last
            // part of the key and on the value.
            if let Some((flag_key, flag)) = old.get_key_value("workspace") {
                prefix = flag_key.leaf_decor().prefix().cloned();
                if let Some(suffix) = flag.as_value().and_then(|flag| flag.decor().suffix()) {
                    value.decor_mut().set_suffix(suffix.clone());
                }
            }
        }
        _ => {}
    }
    if let Some(item) = table.get_mut(key) {
        *item = Item::Value(value);
    }
    if let (Some(prefix), Some(mut key)) = (prefix, table.key_mut(key)) {
        key.leaf_decor_mut().set_prefix(prefix);
    }
}

/// Sets the value at `key` of `table`, keeping the comments around it.
fn set_value(table: &mut dyn TableLike, key: &str, mut value: Value) {
    if let Some(Item::Value(old)) = table.get_mut(key) {
        *value.decor_mut() = old.decor().clone();
        *old = value;
    }
}

/// `item` as a value to move into another manifest: tables become inline
/// tables, and the comments around it, which belong to its old place, are
/// dropped. `None` for an empty item.
fn plain_value(item: &Item) -> Option<Value> {
    let mut value = item.clone().into_value().ok()?;
    value.decor_mut().clear();
    Some(value)
}

/// Lets the tables below `table` follow it wherever it is placed: their
/// positions are those of another manifest.
fn unposition(table: &mut Table) {
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => {
                inner.set_position(None);
                unposition(inner);
            }
            Item::ArrayOfTables(array) => {
                for inner in array.iter_mut() {
                    inner.set_position(None);
                    unposition(inner);
                }
            }
            _ => {}
        }
    }
}

fn package_table(document: &DocumentMut) -> Option<&dyn TableLike> {
    document.get("package").and_then(Item::as_table_like)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(local: &str, base: &str) -> String {
        let local: DocumentMut = format!("dep = {local}\n").parse().unwrap();
        let base: DocumentMut = format!("dep = {base}\n").parse().unwrap();
        let base: Vec<(Key, Value)> = base["dep"]
            .as_table_like()
            .unwrap()
            .iter()
            .map(|(key, item)| (Key::new(key), plain_value(item).unwrap()))
            .collect();
        let mut item = local["dep"].clone();
        let pairs = merge_dependency(item.as_table_like().unwrap(), &base);
        refill(&mut item, pairs);
        item.to_string().trim().to_string()
    }

    #[test]
    fn inherited_values_keep_the_comments_of_their_line() {
        let mut document: DocumentMut = "lints = { workspace = true } # lints\n\n[package]\n\
             # before\nversion.workspace = true # after\nedition = { workspace = true } # inline\n"
            .parse()
            .unwrap();
        replace_inherited(document.as_table_mut(), "lints", Value::from(1));
        let package = document["package"].as_table_like_mut().unwrap();
        replace_inherited(package, "version", Value::from("1.0.0"));
        replace_inherited(package, "edition", Value::from("2021"));
        assert_eq!(
            document.to_string(),
            "lints = 1 # lints\n\n[package]\n# before\nversion = \"1.0.0\" # after\n\
             edition = \"2021\" # inline\n"
        );
    }

    #[test]
    fn features_add_up_and_the_member_decides_optional() {
        assert_eq!(
            merged(
                r#"{ workspace = true, features = ["b"], optional = true, version = "9" }"#,
                r#"{ version = "1", features = ["a"], optional = false }"#
            ),
            r#"{ version = "1", features = ["a", "b"], optional = true }"#
        );
    }

    #[test]
    fn default_features_follow_cargo() {
        let base_off = r#"{ version = "1", default-features = false }"#;
        assert_eq!(
            merged(r#"{ workspace = true, default-features = true }"#, base_off),
            r#"{ version = "1", default-features = true }"#
        );
        assert_eq!(
            merged(r#"{ workspace = true }"#, base_off),
            r#"{ version = "1", default-features = false }"#
        );
        // A member cannot turn off what the workspace leaves on.
        assert_eq!(
            merged(
                r#"{ workspace = true, default_features = false }"#,
                r#"{ version = "1" }"#
            ),
            r#"{ version = "1" }"#
        );
    }

    #[test]
    fn the_workspace_rename_is_kept() {
        assert_eq!(
            merged(
                r#"{ workspace = true }"#,
                r#"{ package = "real", version = "2" }"#
            ),
            r#"{ package = "real", version = "2" }"#
        );
    }
}
