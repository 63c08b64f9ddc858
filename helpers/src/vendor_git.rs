//! Vendoring of git dependencies.
//!
//! Nix fetches a git dependency as one checkout per repository and
//! revision. An offline cargo build needs the locked crates of that
//! checkout as a directory source instead: one `NAME-VERSION` directory per
//! crate, holding what `cargo vendor` would copy, with a manifest that
//! stands on its own, since the directory no longer sits in the workspace
//! it inherited from. A `[source."git+URL"]` replacement then points cargo
//! there.
//!
//! The jobs are split by module: finding the packages of the checkout and
//! their workspaces ([`packages`]), choosing the files of a package
//! ([`files`]), and rewriting its manifest ([`manifest`]).

mod files;
mod manifest;
mod packages;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::cargo_ids::CrateId;
use crate::error::{Context, Error, Result};
use crate::paths;

use files::Content;
use packages::{Checkout, Package};

/// What every vendored crate's `.cargo-checksum.json` holds: git sources
/// have no package checksum, and an empty file list makes cargo check no
/// file, so the copy may differ from what a checksum would have recorded
/// (a rewritten manifest).
pub const CHECKSUM: &str = r#"{"files":{},"package":null}"#;

/// A crate written by [`vendor_git`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vendored {
    pub id: CrateId,
    /// The package's directory, relative to the checkout; empty for a
    /// package at its root.
    pub source: PathBuf,
    /// The directory written.
    pub dir: PathBuf,
}

/// Renders as `vendored NAME VERSION from PATH`, the line the command
/// prints for each crate.
impl fmt::Display for Vendored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = if self.source.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.source
        };
        write!(
            f,
            "vendored {} {} from {}",
            self.id.name,
            self.id.version,
            source.display()
        )
    }
}

/// Writes the crates `wanted` (every package of the checkout when empty)
/// of the git checkout in `checkout` to `out`, one directory per crate;
/// `out` is created if missing, and none of the crate directories may
/// exist. Every crate is prepared before anything is written, and nothing
/// written is left behind when writing fails.
pub fn vendor_git(checkout: &Path, out: &Path, wanted: &[CrateId]) -> Result<Vec<Vendored>> {
    let checkout = Checkout::scan(checkout)?;
    let mut crates = Vec::new();
    for package in checkout.select(wanted)? {
        let dir = out.join(package.id.dir_name());
        let files = crate_files(&checkout, package)
            .map_err(|error| error.with_crate(package.id.to_string()))?;
        if dir.symlink_metadata().is_ok() {
            return Err(
                Error::new("already exists; refusing to overwrite a vendored crate")
                    .with_path(&dir)
                    .with_crate(package.id.to_string()),
            );
        }
        let vendored = Vendored {
            id: package.id.clone(),
            source: package.dir.clone(),
            dir,
        };
        crates.push((vendored, files));
    }
    paths::create_dir_all(out)?;
    let mut created = Vec::new();
    if let Err(error) = write_crates(&crates, &mut created) {
        for dir in created {
            // Best effort: the write error is what gets reported.
            let _ = fs::remove_dir_all(dir);
        }
        return Err(error);
    }
    Ok(crates.into_iter().map(|(vendored, _)| vendored).collect())
}

/// Writes every crate, adding each directory to `created` as soon as it
/// exists.
fn write_crates(
    crates: &[(Vendored, BTreeMap<PathBuf, Content>)],
    created: &mut Vec<PathBuf>,
) -> Result<()> {
    for (vendored, files) in crates {
        let dir = &vendored.dir;
        paths::create_dir(dir)?;
        created.push(dir.clone());
        for (path, content) in files {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                paths::create_dir_all(parent)?;
            }
            content.write(&path)?;
        }
    }
    Ok(())
}

/// The contents of the vendored copy of `package`, by path relative to
/// its directory.
fn crate_files(checkout: &Checkout, package: &Package) -> Result<BTreeMap<PathBuf, Content>> {
    let manifest_path = checkout.manifest_path(&package.dir);
    let mut manifest = manifest::resolve(checkout, package).with_path(&manifest_path)?;
    let mut files = files::select(
        &checkout.root.join(&package.dir),
        &manifest::patterns(&manifest, "include").with_path(&manifest_path)?,
        &manifest::patterns(&manifest, "exclude").with_path(&manifest_path)?,
    )
    .with_path(&manifest_path)?;
    manifest::bundle_files(&mut manifest, checkout, package, &mut files);
    manifest::detach(&mut manifest);
    files.insert(
        PathBuf::from("Cargo.toml"),
        Content::Text(manifest.to_string()),
    );
    files.insert(
        PathBuf::from(".cargo-checksum.json"),
        Content::Text(CHECKSUM.to_string()),
    );
    Ok(files)
}

/// `path` with `.` and `..` resolved without looking at the file system.
/// Leading `..` that climb above the start are kept, so the result is
/// still meaningful relative to the same base.
fn normalize(path: &Path) -> PathBuf {
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            _ => parts.push(component),
        }
    }
    parts.iter().collect()
}

/// Whether normalized `path`, relative to the checkout, stays inside it.
fn is_inside(path: &Path) -> bool {
    path.components()
        .all(|component| matches!(component, Component::Normal(_)))
}

/// The path leading from directory `from` to `to`, both normalized and
/// relative to the same base, `from` inside it.
fn relative(from: &Path, to: &Path) -> PathBuf {
    if to.has_root() {
        return to.to_path_buf();
    }
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = from[common..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    path.extend(&to[common..]);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_ids_parse_and_render_as_name_at_version() {
        let id: CrateId = "foo-bar@1.2.3+meta".parse().unwrap();
        assert_eq!(id.name, "foo-bar");
        assert_eq!(id.version, "1.2.3+meta");
        assert_eq!(id.to_string(), "foo-bar@1.2.3+meta");
        assert_eq!(id.dir_name(), "foo-bar-1.2.3+meta");
        for bad in ["foo", "@1.0.0", "foo@", "a@b@c"] {
            let error = bad.parse::<CrateId>().unwrap_err().to_string();
            assert!(error.contains("NAME@VERSION"), "{error}");
        }
    }

    #[test]
    fn normalize_resolves_dots_and_keeps_leading_parents() {
        assert_eq!(
            normalize(Path::new("crates/a/../b/./src")),
            PathBuf::from("crates/b/src")
        );
        assert_eq!(normalize(Path::new("a/../../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("/a/../../x")), PathBuf::from("/x"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::new());
        assert!(is_inside(&normalize(Path::new("a/b/.."))));
        assert!(!is_inside(&normalize(Path::new("a/../.."))));
        assert!(!is_inside(Path::new("/etc")));
    }

    #[test]
    fn relative_climbs_to_the_common_ancestor() {
        let relative = |from: &str, to: &str| relative(Path::new(from), Path::new(to));
        assert_eq!(relative("crates/a", "crates/b"), PathBuf::from("../b"));
        assert_eq!(
            relative("crates/a", "README.md"),
            PathBuf::from("../../README.md")
        );
        assert_eq!(relative("", "crates/b"), PathBuf::from("crates/b"));
        assert_eq!(relative("a", "../x"), PathBuf::from("../../x"));
        assert_eq!(relative("a", "/abs"), PathBuf::from("/abs"));
    }
}
