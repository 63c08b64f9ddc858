//! The crate roots of a package, found the way cargo finds them.
//!
//! The dummy must have the same targets as the real package: tests,
//! examples and benchmarks are what make cargo build dev-dependencies, and
//! a package without any target does not load at all. The target switches
//! (`autobins`...) are read from the manifest before cleaning, which drops
//! them.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::inside;
use crate::error::{Context, Error, Result};

/// A file cargo compiles as the root of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CrateRoot {
    /// Relative to the source root.
    pub(super) path: PathBuf,
    /// Whether it is the root of a proc-macro library.
    pub(super) proc_macro: bool,
}

/// The kinds of targets besides the library: the table naming them, the
/// directory cargo discovers them in, and the switch turning discovery off.
const DISCOVERED: &[(&str, &str, &str)] = &[
    ("bin", "src/bin", "autobins"),
    ("test", "tests", "autotests"),
    ("example", "examples", "autoexamples"),
    ("bench", "benches", "autobenches"),
];

/// The crate roots of the package whose manifest, in directory `dir` of
/// `src`, is `manifest`, sorted by path. Paths that leave the source tree
/// are errors: the dummy cannot stub them. With `assume_default_roots`,
/// `src/main.rs` and `src/lib.rs` count as present (see
/// `DummyOptions::manifests_only`).
pub(super) fn crate_roots(
    src: &Path,
    dir: &Path,
    manifest: &Table,
    assume_default_roots: bool,
) -> Result<Vec<CrateRoot>> {
    let root = src.join(dir);
    let has_default_root = |path: &str| assume_default_roots || root.join(path).is_file();
    let empty = Table::new();
    let package = manifest
        .get("package")
        .and_then(Value::as_table)
        .unwrap_or(&empty);
    let discovers = |switch: &str| package.get(switch).and_then(Value::as_bool) != Some(false);
    let package_name = package.get("name").and_then(Value::as_str);

    // Relative to the package directory, with whether each is a
    // proc-macro library.
    let mut found: Vec<(PathBuf, bool)> = Vec::new();
    if has_default_root("src/main.rs") {
        found.push(("src/main.rs".into(), false));
    }
    for &(kind, directory, switch) in DISCOVERED {
        if discovers(switch) {
            for path in discover(&root, directory)? {
                found.push((path, false));
            }
        }
        for target in manifest
            .get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_table)
        {
            let path = match (target.get("path").and_then(Value::as_str), name(target)) {
                (Some(path), _) => PathBuf::from(path),
                (None, Some(name))
                    if kind == "bin"
                        && Some(name) == package_name
                        && has_default_root("src/main.rs") =>
                {
                    "src/main.rs".into()
                }
                (None, Some(name)) => default_path(&root, directory, name),
                // Cargo rejects a target without name nor path.
                (None, None) => continue,
            };
            found.push((path, false));
        }
    }
    // Last, so that its kind wins should another target share its file.
    let lib = manifest.get("lib").and_then(Value::as_table);
    match lib {
        Some(lib) => {
            let path = lib
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("src/lib.rs");
            found.push((path.into(), is_proc_macro(lib)));
        }
        None if discovers("autolib") && has_default_root("src/lib.rs") => {
            found.push(("src/lib.rs".into(), false));
        }
        None => {}
    }

    let mut roots = BTreeMap::new();
    for (path, proc_macro) in found {
        let resolved = inside(dir, &path).ok_or_else(|| {
            Error::new(format!(
                "target path {} points outside the source tree",
                path.display()
            ))
        })?;
        roots.insert(resolved, proc_macro);
    }
    Ok(roots
        .into_iter()
        .map(|(path, proc_macro)| CrateRoot { path, proc_macro })
        .collect())
}

fn name(target: &Table) -> Option<&str> {
    target.get("name").and_then(Value::as_str)
}

/// Whether the `[lib]` table makes a proc-macro library, by either spelling
/// of the key or by crate type.
fn is_proc_macro(lib: &Table) -> bool {
    let flag = ["proc-macro", "proc_macro"]
        .iter()
        .any(|key| lib.get(*key).and_then(Value::as_bool) == Some(true));
    let crate_type = ["crate-type", "crate_type"].iter().any(|key| {
        lib.get(*key)
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|kind| kind.as_str() == Some("proc-macro")))
    });
    flag || crate_type
}

/// Where cargo looks for a declared target without `path`: `<dir>/<name>.rs`
/// or, if only that exists, `<dir>/<name>/main.rs`.
fn default_path(root: &Path, directory: &str, name: &str) -> PathBuf {
    let file = Path::new(directory).join(format!("{name}.rs"));
    let nested = Path::new(directory).join(name).join("main.rs");
    if !root.join(&file).is_file() && root.join(&nested).is_file() {
        nested
    } else {
        file
    }
}

/// The targets cargo discovers in `directory` of the package at `root`:
/// its `*.rs` files and its subdirectories' `main.rs` files, sorted.
fn discover(root: &Path, directory: &str) -> Result<Vec<PathBuf>> {
    let dir = root.join(directory);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new())
        }
        Err(error) => return Err(Error::io("cannot read directory", error).with_path(&dir)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|error| Error::io("cannot read directory", error))
            .with_path(&dir)?;
        let path = entry.path();
        let relative = Path::new(directory).join(entry.file_name());
        if path.is_file() && path.extension().is_some_and(|extension| extension == "rs") {
            found.push(relative);
        } else if path.join("main.rs").is_file() {
            found.push(relative.join("main.rs"));
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn proc_macro_libraries_are_recognised_by_every_spelling() {
        assert!(is_proc_macro(&table("proc-macro = true")));
        assert!(is_proc_macro(&table("proc_macro = true")));
        assert!(is_proc_macro(&table("crate-type = [\"proc-macro\"]")));
        assert!(!is_proc_macro(&table("proc-macro = false")));
        assert!(!is_proc_macro(&table("crate-type = [\"cdylib\"]")));
    }

    #[test]
    fn declared_targets_outside_the_tree_are_errors() {
        let manifest =
            table("[package]\nname = \"a\"\n[[bin]]\nname = \"x\"\npath = \"../../x.rs\"\n");
        let error =
            crate_roots(Path::new("/nonexistent"), Path::new("a"), &manifest, false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "target path ../../x.rs points outside the source tree"
        );
    }

    #[test]
    fn declared_targets_without_files_get_cargo_default_paths() {
        let manifest = table(
            "[package]\nname = \"a\"\n[lib]\n[[bin]]\nname = \"a\"\n[[bin]]\nname = \"b\"\n\
             [[test]]\nname = \"t\"\n[[example]]\nname = \"e\"\n[[bench]]\nname = \"s\"\n",
        );
        let roots =
            crate_roots(Path::new("/nonexistent"), Path::new("a"), &manifest, false).unwrap();
        let paths: Vec<_> = roots
            .iter()
            .map(|root| root.path.to_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "a/benches/s.rs",
                "a/examples/e.rs",
                "a/src/bin/a.rs",
                "a/src/bin/b.rs",
                "a/src/lib.rs",
                "a/tests/t.rs"
            ]
        );
    }

    #[test]
    fn manifests_only_sources_get_the_default_roots() {
        let manifest = table("[package]\nname = \"a\"\nautobins = false\n");
        let paths = |assume| -> Vec<String> {
            crate_roots(Path::new("/nonexistent"), Path::new("a"), &manifest, assume)
                .unwrap()
                .iter()
                .map(|root| root.path.display().to_string())
                .collect()
        };
        assert_eq!(paths(true), ["a/src/lib.rs", "a/src/main.rs"]);
        assert!(paths(false).is_empty());
    }
}
