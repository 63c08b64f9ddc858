//! The packages of a checkout and the workspaces they inherit from, found
//! as cargo finds them in a git source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, TableLike, Value};
use walkdir::{DirEntry, WalkDir};

use super::{is_inside, normalize};
use crate::cargo_ids::CrateId;
use crate::error::{Error, Position, Result};
use crate::paths;

/// The version of a package whose manifest gives none, as cargo assumes.
const DEFAULT_VERSION: &str = "0.0.0";

/// Every manifest of a checkout, read once, and the packages they define.
pub(super) struct Checkout {
    /// The checkout's directory, as given.
    pub root: PathBuf,
    /// Every manifest, by the directory holding it, relative to the root
    /// (the root itself being the empty path).
    manifests: BTreeMap<PathBuf, Manifest>,
    /// The packages, in path order.
    packages: Vec<Package>,
    /// The manifests that may define a package but define none that can
    /// be vendored. Like cargo in a git source, vendoring skips them unless
    /// it needs them.
    unreadable: Vec<Unreadable>,
}

/// A manifest that may define a package, but cannot be read as one.
struct Unreadable {
    /// The package's name, when that much could be read.
    name: Option<String>,
    /// Why it cannot be read, rendered: it is not valid TOML, or its name
    /// or version cannot be determined.
    problem: String,
}

/// A manifest as read.
enum Manifest {
    Parsed(DocumentMut),
    /// Not valid TOML; kept to report when the manifest turns out to matter.
    Broken {
        message: String,
        position: Option<Position>,
    },
}

/// A package of the checkout.
pub(super) struct Package {
    pub id: CrateId,
    /// Its directory, relative to the checkout.
    pub dir: PathBuf,
    /// Its manifest, as written.
    pub manifest: DocumentMut,
}

/// The workspace root a package inherits from.
pub(super) struct Workspace<'a> {
    /// Its directory, relative to the checkout.
    pub dir: PathBuf,
    /// Its `[workspace]` table.
    table: &'a dyn TableLike,
    /// Its manifest, for messages.
    manifest_path: PathBuf,
}

impl<'a> Workspace<'a> {
    /// The entry `key` of the table `[workspace.<section>]`, which the
    /// package inherits: missing, it is an error naming the root manifest.
    pub fn inherited(&self, section: &str, key: &str) -> Result<&'a Item> {
        self.item(section)?
            .as_table_like()
            .and_then(|table| table.get(key))
            .ok_or_else(|| {
                Error::new(format!(
                    "inherits `{key}` from the workspace, but {} has no `workspace.{section}.{key}`",
                    self.manifest_path.display()
                ))
            })
    }

    /// The entry `workspace.<section>` of the root manifest.
    pub fn item(&self, section: &str) -> Result<&'a Item> {
        self.table.get(section).ok_or_else(|| {
            Error::new(format!(
                "inherits from the workspace, but {} has no `workspace.{section}`",
                self.manifest_path.display()
            ))
        })
    }
}

impl Checkout {
    /// Reads every manifest below `root`, walking it in name order without
    /// following symbolic links. Like cargo, the walk skips hidden
    /// directories and the `target` directories of packages.
    pub fn scan(root: &Path) -> Result<Self> {
        let mut manifests = BTreeMap::new();
        let walk = WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| !is_skipped_dir(entry));
        for entry in walk {
            let entry = entry.map_err(|error| paths::walk_error(root, error))?;
            let path = entry.path();
            if entry.file_name() != "Cargo.toml" || !path.is_file() {
                continue;
            }
            let dir = path
                .parent()
                .and_then(|dir| dir.strip_prefix(root).ok())
                .ok_or_else(|| Error::new("found outside the checkout").with_path(path))?;
            manifests.insert(dir.to_path_buf(), read_manifest(path)?);
        }
        let mut checkout = Checkout {
            root: root.to_path_buf(),
            manifests,
            packages: Vec::new(),
            unreadable: Vec::new(),
        };
        let mut packages = Vec::new();
        let mut unreadable = Vec::new();
        for (dir, manifest) in &checkout.manifests {
            let found = match manifest {
                Manifest::Parsed(document) => checkout.identify(dir, document),
                Manifest::Broken { message, position } => Err(Unreadable {
                    name: None,
                    problem: checkout.broken(dir, message, *position).to_string(),
                }),
            };
            match found {
                Ok(Some(package)) => packages.push(package),
                Ok(None) => {}
                Err(problem) => unreadable.push(problem),
            }
        }
        checkout.packages = packages;
        checkout.unreadable = unreadable;
        Ok(checkout)
    }

    /// The path of the manifest in `dir`, a directory relative to the
    /// checkout.
    pub fn manifest_path(&self, dir: &Path) -> PathBuf {
        self.root.join(dir).join("Cargo.toml")
    }

    /// Whether the checkout has a package named `name`, whatever its
    /// version.
    pub fn has_package(&self, name: &str) -> bool {
        self.packages.iter().any(|package| package.id.name == name)
    }

    /// The packages `wanted`, in that order without repetitions, or every
    /// package when none is wanted. Each must be found exactly once.
    pub fn select(&self, wanted: &[CrateId]) -> Result<Vec<&Package>> {
        let ids: Vec<&CrateId> = if wanted.is_empty() {
            if let Some(unreadable) = self.unreadable.first() {
                // Every package is wanted: that manifest may hold one.
                return Err(Error::new(unreadable.problem.clone()));
            }
            self.packages.iter().map(|package| &package.id).collect()
        } else {
            wanted.iter().collect()
        };
        let mut selected: Vec<&Package> = Vec::new();
        for id in ids {
            if !selected.iter().any(|package| package.id == *id) {
                selected.push(self.find(id)?);
            }
        }
        Ok(selected)
    }

    /// The one package that is `id`.
    fn find(&self, id: &CrateId) -> Result<&Package> {
        let mut matches = self.packages.iter().filter(|package| package.id == *id);
        match (matches.next(), matches.next()) {
            (Some(package), None) => Ok(package),
            (Some(first), Some(second)) => Err(Error::new(format!(
                "found twice in the checkout, in {} and in {}; cannot tell which one is locked",
                self.root.join(&first.dir).display(),
                self.root.join(&second.dir).display()
            ))
            .with_crate(id.to_string())),
            (None, _) => {
                let same_name = self
                    .unreadable
                    .iter()
                    .find(|unreadable| unreadable.name.as_ref() == Some(&id.name));
                if let Some(unreadable) = same_name {
                    return Err(Error::new(unreadable.problem.clone()).with_crate(id.to_string()));
                }
                let found: Vec<String> = self
                    .packages
                    .iter()
                    .map(|package| package.id.to_string())
                    .collect();
                let mut message = format!("not found in {}; ", self.root.display());
                if found.is_empty() {
                    message.push_str("it holds no package");
                } else {
                    message.push_str(&format!("it holds {}", found.join(", ")));
                }
                let mut skipped: Vec<&str> = Vec::new();
                for unreadable in &self.unreadable {
                    // Manifests inheriting from a broken one share its problem.
                    if !skipped.contains(&unreadable.problem.as_str()) {
                        skipped.push(&unreadable.problem);
                        message.push_str(&format!("; skipped {}", unreadable.problem));
                    }
                }
                Err(Error::new(message).with_crate(id.to_string()))
            }
        }
    }

    /// The workspace root the package in `dir` inherits from, found as
    /// cargo does: the package's manifest may be the root itself or name
    /// it with `package.workspace`; otherwise the nearest manifest above
    /// with a `[workspace]` that does not exclude the package is the root,
    /// unless a manifest on the way names its own root, which is then the
    /// package's.
    pub fn workspace(&self, dir: &Path) -> Result<Workspace<'_>> {
        let own = self.document(dir)?;
        if let Some(table) = workspace_table(own) {
            return Ok(self.workspace_at(dir, table));
        }
        if let Some(pointer) = workspace_pointer(own) {
            return self.pointed_workspace(dir, pointer);
        }
        for ancestor in dir.ancestors().skip(1) {
            if !self.manifests.contains_key(ancestor) {
                continue;
            }
            let document = self.document(ancestor)?;
            if let Some(table) = workspace_table(document) {
                if !excludes(ancestor, table, dir) {
                    return Ok(self.workspace_at(ancestor, table));
                }
            } else if let Some(pointer) = workspace_pointer(document) {
                return self.pointed_workspace(ancestor, pointer);
            }
        }
        Err(Error::new(
            "inherits from a workspace, but no Cargo.toml from its directory up to the \
             checkout's root has a `[workspace]` that includes it",
        ))
    }

    /// The root named by `package.workspace = "<pointer>"` in the manifest
    /// in `dir`.
    fn pointed_workspace(&self, dir: &Path, pointer: &str) -> Result<Workspace<'_>> {
        let root = normalize(&dir.join(pointer));
        let table = if is_inside(&root) && self.manifests.contains_key(&root) {
            workspace_table(self.document(&root)?)
        } else {
            None
        };
        match table {
            Some(table) => Ok(self.workspace_at(&root, table)),
            None => Err(Error::new(format!(
                "`package.workspace = \"{pointer}\"` in {} names no workspace root of the checkout",
                self.manifest_path(dir).display()
            ))),
        }
    }

    fn workspace_at<'a>(&self, dir: &Path, table: &'a dyn TableLike) -> Workspace<'a> {
        Workspace {
            dir: dir.to_path_buf(),
            table,
            manifest_path: self.manifest_path(dir),
        }
    }

    /// The parsed manifest in `dir`; a broken one is an error now that it
    /// matters.
    fn document(&self, dir: &Path) -> Result<&DocumentMut> {
        match self.manifests.get(dir) {
            Some(Manifest::Parsed(document)) => Ok(document),
            Some(Manifest::Broken { message, position }) => {
                Err(self.broken(dir, message, *position))
            }
            None => Err(Error::new("no such manifest").with_path(self.manifest_path(dir))),
        }
    }

    /// What is wrong with the broken manifest in `dir`.
    fn broken(&self, dir: &Path, message: &str, position: Option<Position>) -> Error {
        let error = Error::new(format!("invalid TOML: {message}"));
        match position {
            Some(position) => error.at(position),
            None => error,
        }
        .with_path(self.manifest_path(dir))
    }

    /// The package the manifest `document` in `dir` defines, if any.
    fn identify(&self, dir: &Path, document: &DocumentMut) -> Result<Option<Package>, Unreadable> {
        let unreadable = |name: Option<&str>, error: Error| Unreadable {
            name: name.map(String::from),
            problem: error.with_path(self.manifest_path(dir)).to_string(),
        };
        let Some(package) = document.get("package") else {
            return Ok(None);
        };
        let Some(package) = package.as_table_like() else {
            return Err(unreadable(None, Error::new("`package` is not a table")));
        };
        let Some(name) = package.get("name").and_then(Item::as_str) else {
            return Err(unreadable(
                None,
                Error::new("`package.name` is missing or not a string"),
            ));
        };
        let version = match package.get("version") {
            None => Ok(DEFAULT_VERSION),
            Some(item) if is_inherited(item) => self.workspace(dir).and_then(|workspace| {
                workspace
                    .inherited("package", "version")?
                    .as_str()
                    .ok_or_else(|| Error::new("the workspace's `package.version` is not a string"))
            }),
            Some(item) => item
                .as_str()
                .ok_or_else(|| Error::new("`package.version` is not a string")),
        };
        let version = version.map_err(|error| unreadable(Some(name), error))?;
        Ok(Some(Package {
            id: CrateId {
                name: name.to_string(),
                version: version.to_string(),
            },
            dir: dir.to_path_buf(),
            manifest: document.clone(),
        }))
    }
}

/// Whether `item` is `{ workspace = true }`, in any of its spellings: the
/// value comes from the workspace root.
pub(super) fn is_inherited(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|table| table.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// The strings of a TOML array; anything else holds none.
pub(super) fn strings(item: Option<&Item>) -> impl Iterator<Item = &str> {
    item.and_then(Item::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn workspace_table(document: &DocumentMut) -> Option<&dyn TableLike> {
    document.get("workspace").and_then(Item::as_table_like)
}

/// The `package.workspace` of a manifest: the path of its root.
fn workspace_pointer(document: &DocumentMut) -> Option<&str> {
    document
        .get("package")
        .and_then(Item::as_table_like)
        .and_then(|package| package.get("workspace"))
        .and_then(Item::as_str)
}

/// Whether the workspace rooted in `root` excludes the package in `dir`:
/// cargo's rule, by path prefix, an explicit member being never excluded.
fn excludes(root: &Path, workspace: &dyn TableLike, dir: &Path) -> bool {
    let listed_in = |key| {
        strings(workspace.get(key)).any(|entry| dir.starts_with(normalize(&root.join(entry))))
    };
    listed_in("exclude") && !listed_in("members")
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    let bytes = paths::read(path)?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Manifest::Broken {
            message: "not UTF-8".to_string(),
            position: None,
        });
    };
    Ok(match text.parse::<DocumentMut>() {
        Ok(document) => Manifest::Parsed(document),
        Err(error) => Manifest::Broken {
            message: error.message().trim().to_string(),
            position: error
                .span()
                .map(|span| Position::of_offset(&text, span.start)),
        },
    })
}

/// Hidden directories and the `target` directories of packages hold no
/// package cargo would find.
fn is_skipped_dir(entry: &DirEntry) -> bool {
    if entry.depth() == 0 || !entry.file_type().is_dir() {
        return false;
    }
    let name = entry.file_name();
    name.as_encoded_bytes().starts_with(b".")
        || (name == "target"
            && entry
                .path()
                .parent()
                .is_some_and(|parent| parent.join("Cargo.toml").exists()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> DocumentMut {
        text.parse().unwrap()
    }

    #[test]
    fn inheritance_is_recognised_in_every_spelling() {
        let document = table(
            "a.workspace = true\nb = { workspace = true }\nc = \"1\"\nd.workspace = false\n\
             [e]\nworkspace = true\n",
        );
        let inherited: Vec<&str> = ["a", "b", "c", "d", "e"]
            .into_iter()
            .filter(|key| is_inherited(&document[*key]))
            .collect();
        assert_eq!(inherited, ["a", "b", "e"]);
    }

    #[test]
    fn exclusion_is_by_path_prefix_unless_explicitly_a_member() {
        let document = table(
            "[workspace]\nmembers = [\"crates/*\", \"tools/keep\"]\n\
             exclude = [\"crates/old\", \"tools\"]\n",
        );
        let workspace = workspace_table(&document).unwrap();
        let excluded = |dir: &str| excludes(Path::new(""), workspace, Path::new(dir));
        assert!(excluded("crates/old"));
        assert!(excluded("crates/old/inner"));
        assert!(!excluded("crates/older"));
        assert!(!excluded("crates/new"));
        assert!(excluded("tools/other"));
        assert!(!excluded("tools/keep"));
    }
}
