//! The crate roots of a package, found the way cargo finds them.
//!
//! The dummy has the targets the real package has, and no others: an extra
//! target can break the dependency build (a library-only package named
//! `examples` given a stub `src/main.rs` gets a binary of a name cargo
//! forbids), and a missing one leaves its dependencies unbuilt. As in crane,
//! the targets cargo discovers are the library (`src/lib.rs`) and the
//! binaries (`src/main.rs`, `src/bin/*.rs`, `src/bin/*/main.rs`); tests,
//! examples and benchmarks are stubbed when the manifest declares them, so
//! adding an integration test leaves the dummy unchanged. The target
//! switches (`autolib`, `autobins`) are read from the manifest before
//! cleaning, which drops them.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::inside;
use crate::error::{Error, Result};
use crate::paths;

/// A file cargo compiles as the root of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CrateRoot {
    /// Relative to the source root.
    pub(super) path: PathBuf,
    /// Whether it is the root of a proc-macro library.
    pub(super) proc_macro: bool,
}

/// The kinds of targets besides the library: the table declaring them and
/// the directory holding their default paths.
const KINDS: &[(&str, &str)] = &[
    ("bin", "src/bin"),
    ("test", "tests"),
    ("example", "examples"),
    ("bench", "benches"),
];

/// Where cargo looks for the library and the main binary.
const LIB_ROOT: &str = "src/lib.rs";
const MAIN_ROOT: &str = "src/main.rs";

/// The crate roots of the package whose manifest, in directory `dir` of
/// `src`, is `manifest`, sorted by path. Paths that leave the source tree
/// are errors: the dummy cannot stub them.
///
/// A package in which no target is found still gets `src/lib.rs`: cargo
/// refuses to load a package without targets, and such a package can only
/// be one the project's tree does not show, such as a `[patch]` path
/// dependency whose code the caller filtered out — a library, since it is
/// depended upon.
pub(super) fn crate_roots(src: &Path, dir: &Path, manifest: &Table) -> Result<Vec<CrateRoot>> {
    let root = src.join(dir);
    let exists = |path: &str| root.join(path).is_file();
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
    if discovers("autobins") {
        if exists(MAIN_ROOT) {
            found.push((MAIN_ROOT.into(), false));
        }
        for path in discover(&root, "src/bin")? {
            found.push((path, false));
        }
    }
    for &(kind, directory) in KINDS {
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
                    if kind == "bin" && Some(name) == package_name && exists(MAIN_ROOT) =>
                {
                    MAIN_ROOT.into()
                }
                (None, Some(name)) => default_path(&root, directory, name),
                // Cargo rejects a target without name nor path.
                (None, None) => continue,
            };
            found.push((path, false));
        }
    }
    // Last, so that its kind wins should another target share its file.
    match manifest.get("lib").and_then(Value::as_table) {
        Some(lib) => {
            let path = lib.get("path").and_then(Value::as_str).unwrap_or(LIB_ROOT);
            found.push((path.into(), is_proc_macro(lib)));
        }
        None if discovers("autolib") && exists(LIB_ROOT) => {
            found.push((LIB_ROOT.into(), false));
        }
        None if found.is_empty() => found.push((LIB_ROOT.into(), false)),
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

/// The binaries cargo discovers in `directory` of the package at `root`:
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
        Err(error) => return Err(paths::error_at("cannot read directory", &dir)(error)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(paths::error_at("cannot read directory", &dir))?;
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
        let error = crate_roots(Path::new("/nonexistent"), Path::new("a"), &manifest).unwrap_err();
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
        let roots = crate_roots(Path::new("/nonexistent"), Path::new("a"), &manifest).unwrap();
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

    /// A package directory holding `files` (empty), removed when dropped.
    struct Package(PathBuf);

    impl Package {
        fn new(label: &str, files: &[&str]) -> Self {
            let dir =
                std::env::temp_dir().join(format!("gantry-targets-{label}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            for file in files {
                let path = dir.join("p").join(file);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, "").unwrap();
            }
            fs::create_dir_all(dir.join("p")).unwrap();
            Package(dir)
        }

        fn roots(&self, manifest: &str) -> Vec<String> {
            crate_roots(&self.0, Path::new("p"), &table(manifest))
                .unwrap()
                .iter()
                .map(|root| root.path.display().to_string())
                .collect()
        }
    }

    impl Drop for Package {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const PACKAGE: &str = "[package]\nname = \"p\"\n";

    #[test]
    fn only_the_crate_roots_present_are_discovered() {
        let bin_only = Package::new("bin-only", &["src/main.rs", "src/util.rs"]);
        assert_eq!(bin_only.roots(PACKAGE), ["p/src/main.rs"]);
        let lib_only = Package::new("lib-only", &["src/lib.rs", "src/bin/README.md"]);
        assert_eq!(lib_only.roots(PACKAGE), ["p/src/lib.rs"]);
        let bins = Package::new(
            "bins",
            &[
                "src/bin/short.rs",
                "src/bin/long/main.rs",
                "src/bin/long/helper.rs",
                "src/bin/no-main/helper.rs",
            ],
        );
        assert_eq!(
            bins.roots(PACKAGE),
            ["p/src/bin/long/main.rs", "p/src/bin/short.rs"]
        );
    }

    #[test]
    fn tests_examples_and_benches_are_stubbed_only_when_declared() {
        let package = Package::new(
            "declared",
            &[
                "src/lib.rs",
                "tests/it.rs",
                "examples/demo.rs",
                "examples/nested/main.rs",
                "benches/speed.rs",
            ],
        );
        assert_eq!(package.roots(PACKAGE), ["p/src/lib.rs"]);
        let declared = format!(
            "{PACKAGE}[[example]]\nname = \"nested\"\n[[test]]\nname = \"it\"\n\
             [[bench]]\nname = \"other\"\npath = \"perf/other.rs\"\n"
        );
        assert_eq!(
            package.roots(&declared),
            [
                "p/examples/nested/main.rs",
                "p/perf/other.rs",
                "p/src/lib.rs",
                "p/tests/it.rs"
            ]
        );
    }

    #[test]
    fn switches_turn_discovery_off() {
        let package = Package::new("switches", &["src/lib.rs", "src/main.rs", "src/bin/b.rs"]);
        let roots = |switches: &str| package.roots(&format!("{PACKAGE}{switches}"));
        assert_eq!(
            roots(""),
            ["p/src/bin/b.rs", "p/src/lib.rs", "p/src/main.rs"]
        );
        assert_eq!(roots("autobins = false\n"), ["p/src/lib.rs"]);
        assert_eq!(
            roots("autolib = false\n"),
            ["p/src/bin/b.rs", "p/src/main.rs"]
        );
        // A declared binary named like the package is src/main.rs, even undiscovered.
        assert_eq!(
            roots("autobins = false\n[[bin]]\nname = \"p\"\n"),
            ["p/src/lib.rs", "p/src/main.rs"]
        );
    }

    #[test]
    fn a_package_without_targets_gets_a_library() {
        let package = Package::new("none", &["src/helper.rs"]);
        assert_eq!(package.roots(PACKAGE), ["p/src/lib.rs"]);
        // A declared example is a target: no library is added.
        let example = format!("{PACKAGE}[[example]]\nname = \"foo\"\npath = \"foo.rs\"\n");
        assert_eq!(package.roots(&example), ["p/foo.rs"]);
    }
}
