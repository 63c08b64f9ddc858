//! Cleaning of Cargo manifests.
//!
//! A build of only the dependencies of a workspace is cached by the hash of
//! its inputs, the manifests included. Removing the keys that cannot change
//! how dependencies compile (descriptions, lints, test flags of targets...)
//! keeps that cache valid across edits to them.
//!
//! The rules must give exactly the result of the Nix implementation of the
//! same cleaning, so they are kept as plain data mirroring its lists.

use std::collections::BTreeSet;
use std::path::Path;

use toml::{Table, Value};

use crate::error::{Context, Error, Result};
use crate::paths;

/// How much of a manifest cleaning keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Drop the keys known not to matter, keep everything else, unknown
    /// keys included.
    Conservative,
    /// Keep only the keys known to matter for building dependencies.
    Aggressive,
    /// Drop exactly these key paths, each with its subtree. A user's own
    /// filter is a Nix function the helper cannot run; Nix evaluates it on
    /// the key paths of the workspace's manifests and hands over the
    /// rejected ones.
    Drop(BTreeSet<Vec<String>>),
}

impl Filter {
    /// The filter a command line asks for: the key paths listed in the
    /// file `drop_keys` (a user's own filter, see [`Filter::read_drop`]),
    /// else aggressive or conservative cleaning.
    pub fn from_args(aggressive: bool, drop_keys: Option<&Path>) -> Result<Self> {
        match drop_keys {
            Some(path) => Filter::read_drop(path),
            None if aggressive => Ok(Filter::Aggressive),
            None => Ok(Filter::Conservative),
        }
    }

    /// The [`Filter::Drop`] of the key paths listed in the JSON file at
    /// `path`, an array of arrays of keys, as Nix writes it.
    pub fn read_drop(path: &Path) -> Result<Self> {
        serde_json::from_str(&paths::read_text(path)?)
            .map(Filter::Drop)
            .map_err(|error| {
                Error::new(format!(
                    "invalid key path list (expected a JSON array of arrays of strings): {error}"
                ))
            })
            .with_path(path)
    }
}

/// A set of key paths: component `i` of a path in the set is any one of
/// the strings in `pattern[i]`. Writing the lists as such products keeps
/// them short while naming the same paths as the Nix implementation.
type Pattern = &'static [&'static [&'static str]];

/// The kinds of Cargo target tables (`[lib]`, `[[bin]]`...).
const TARGET_KINDS: &[&str] = &["lib", "bin", "example", "test", "bench"];

/// Paths that conservative cleaning drops, each with its whole subtree.
const CONSERVATIVE_DROPS: &[Pattern] = &[
    &[&["badges"]],
    &[&["lints"]],
    &[
        &["package"],
        &[
            "authors",
            "autobenches",
            "autobins",
            "autoexamples",
            "autotests",
            "build",
            "categories",
            "default-run",
            "default_run",
            "description",
            "documentation",
            "exclude",
            "homepage",
            "include",
            "keywords",
            "license-file",
            "license_file",
            "license",
            "links",
            "metadata",
            "publish",
            "readme",
            "repository",
            "rust-version",
            "rust_version",
        ],
    ],
    &[&["workspace"], &["lints", "metadata"]],
    &[
        TARGET_KINDS,
        &[
            "test",
            "doctest",
            "bench",
            "doc",
            "plugin",
            "required-features",
            "required_features",
        ],
    ],
];

/// Paths that aggressive cleaning keeps, each with its whole subtree and
/// the tables leading to it.
const AGGRESSIVE_KEEPS: &[Pattern] = &[
    &[&[
        "build-dependencies",
        "build_dependencies",
        "cargo-features",
        "cargo_features",
        "dependencies",
        "dev-dependencies",
        "dev_dependencies",
        "features",
        "patch",
        "profile",
        "replace",
        "target",
    ]],
    &[
        &["package"],
        &["edition", "name", "resolver", "version", "workspace"],
    ],
    &[
        &["workspace"],
        &[
            "default-members",
            "default_members",
            "exclude",
            "dependencies",
            "members",
            "package",
            "resolver",
        ],
    ],
    &[
        TARGET_KINDS,
        &[
            "edition",
            "path",
            "name",
            "crate-type",
            "crate_type",
            "proc-macro",
            "proc_macro",
            "harness",
        ],
    ],
];

/// Whether a path of `pattern` is a prefix of (or equal to) `path`: the
/// pattern covers `path` as part of a subtree.
fn covers(pattern: Pattern, path: &[&str]) -> bool {
    pattern.len() <= path.len()
        && pattern
            .iter()
            .zip(path)
            .all(|(choices, key)| choices.contains(key))
}

/// Whether `path` is a prefix of (or equal to) a path of `pattern`: it
/// names a table leading to what the pattern names.
fn leads_to(path: &[&str], pattern: Pattern) -> bool {
    path.len() <= pattern.len()
        && path
            .iter()
            .zip(pattern)
            .all(|(key, choices)| choices.contains(key))
}

/// Whether the key at `path` (table names from the root, array elements
/// adding nothing) survives cleaning with `filter`.
pub fn keep(filter: &Filter, path: &[&str]) -> bool {
    match filter {
        Filter::Drop(dropped) => !(1..=path.len()).any(|length| {
            let prefix: Vec<String> = path[..length].iter().map(|key| key.to_string()).collect();
            dropped.contains(&prefix)
        }),
        Filter::Conservative => !CONSERVATIVE_DROPS
            .iter()
            .any(|dropped| covers(dropped, path)),
        Filter::Aggressive => AGGRESSIVE_KEEPS
            .iter()
            .any(|kept| covers(kept, path) || leads_to(path, kept)),
    }
}

/// Removes from `table` every key that `filter` does not keep, at any depth.
pub fn clean(mut table: Table, filter: &Filter) -> Table {
    clean_table(&mut table, filter, &[]);
    table
}

/// The walk of [`clean`]: `parent` is the path of `table` itself.
fn clean_table(table: &mut Table, filter: &Filter, parent: &[&str]) {
    table.retain(|key, value| {
        let path = [parent, &[key]].concat();
        let kept = keep(filter, &path);
        if kept {
            clean_value(value, filter, &path);
        }
        kept
    });
}

/// Cleans the tables inside the value found at `path`. Array elements,
/// nested arrays' included, share the array's path: `[[bin]]` entries hold
/// keys like `bin.test`.
fn clean_value(value: &mut Value, filter: &Filter, path: &[&str]) {
    match value {
        Value::Table(table) => clean_table(table, filter, path),
        Value::Array(items) => {
            for item in items {
                clean_value(item, filter, path);
            }
        }
        _ => {}
    }
}

/// Parses manifest `text` and cleans it. Parse errors carry the line and
/// column; the caller knows which file the text came from.
pub fn clean_manifest(text: &str, filter: &Filter) -> Result<Table> {
    Ok(clean(parse_manifest(text)?, filter))
}

/// Parses manifest `text` as it is, for callers that need keys cleaning
/// drops. Parse errors carry the line and column, as for [`clean_manifest`].
pub fn parse_manifest(text: &str) -> Result<Table> {
    toml::from_str::<Table>(text).map_err(|error| Error::toml("TOML", text, &error))
}

/// Reads the manifest at `path` and cleans it; errors name the file.
pub fn clean_manifest_file(path: &Path, filter: &Filter) -> Result<Table> {
    let text = paths::read_text(path)?;
    clean_manifest(&text, filter).with_path(path)
}

/// The cleaned manifest at `path` as `gantry clean-toml` prints it: a TOML
/// document, or with `json` one line of JSON (what Nix's `fromJSON` reads
/// back).
pub fn clean_manifest_output(path: &Path, filter: &Filter, json: bool) -> Result<String> {
    let cleaned = clean_manifest_file(path, filter)?;
    if json {
        let text = serde_json::to_string(&cleaned)
            .map_err(|error| Error::new(format!("cannot write JSON: {error}")))?;
        Ok(text + "\n")
    } else {
        crate::write_toml::render(&cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory for one test, made anew.
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gantry-toml-clean-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_command_line_chooses_the_filter() {
        assert_eq!(
            Filter::from_args(false, None).unwrap(),
            Filter::Conservative
        );
        assert_eq!(Filter::from_args(true, None).unwrap(), Filter::Aggressive);
        let dir = scratch("filter");
        let drop_keys = dir.join("drop.json");
        std::fs::write(&drop_keys, r#"[["package", "description"]]"#).unwrap();
        let wanted = Filter::Drop(BTreeSet::from([vec![
            "package".to_string(),
            "description".to_string(),
        ]]));
        // A user's own filter wins over the flag.
        for aggressive in [false, true] {
            assert_eq!(
                Filter::from_args(aggressive, Some(&drop_keys)).unwrap(),
                wanted
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn output_is_toml_or_one_line_of_json() {
        let dir = scratch("output");
        let manifest = dir.join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"a\"\ndescription = \"gone\"\n",
        )
        .unwrap();
        let toml = clean_manifest_output(&manifest, &Filter::Conservative, false).unwrap();
        assert_eq!(toml, "[package]\nname = \"a\"\n");
        let json = clean_manifest_output(&manifest, &Filter::Conservative, true).unwrap();
        assert_eq!(json, "{\"package\":{\"name\":\"a\"}}\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn drop_removes_listed_paths_with_their_subtrees_only() {
        let filter = Filter::Drop(BTreeSet::from([
            vec!["package".to_string(), "metadata".to_string()],
            vec!["badges".to_string()],
        ]));
        assert!(!keep(&filter, &["package", "metadata"]));
        assert!(!keep(&filter, &["package", "metadata", "docs", "rs"]));
        assert!(!keep(&filter, &["badges", "maintenance"]));
        assert!(keep(&filter, &["package"]));
        assert!(keep(&filter, &["package", "metadata-extra"]));
        assert!(keep(&filter, &["lints"]));
    }

    #[test]
    fn conservative_drops_listed_paths_and_their_subtrees() {
        for path in [
            &["badges"][..],
            &["badges", "maintenance", "status"],
            &["lints", "rust"],
            &["package", "default_run"],
            &["package", "metadata", "docs", "rs"],
            &["workspace", "lints"],
            &["bin", "required-features"],
            &["example", "required_features"],
        ] {
            assert!(!keep(&Filter::Conservative, path), "{path:?}");
        }
    }

    #[test]
    fn conservative_keeps_unlisted_paths() {
        for path in [
            &["package"][..],
            &["package", "name"],
            &["package", "foo"],
            &["workspace", "package", "license"],
            &["bin", "name"],
            &["bench", "harness"],
            &["dependencies", "test"],
        ] {
            assert!(keep(&Filter::Conservative, path), "{path:?}");
        }
    }

    #[test]
    fn aggressive_keeps_listed_paths_their_subtrees_and_ancestors() {
        for path in [
            &["package"][..],
            &["package", "name"],
            &["dependencies", "serde", "features"],
            &["target", "cfg(unix)", "dependencies"],
            &["workspace"],
            &["workspace", "package", "license"],
            &["lib", "proc_macro"],
        ] {
            assert!(keep(&Filter::Aggressive, path), "{path:?}");
        }
    }

    #[test]
    fn aggressive_drops_everything_else() {
        for path in [
            &["badges"][..],
            &["package", "description"],
            &["package", "foo"],
            &["workspace", "metadata"],
            &["bin", "test"],
            &["unknown"],
        ] {
            assert!(!keep(&Filter::Aggressive, path), "{path:?}");
        }
    }

    #[test]
    fn array_elements_share_the_array_path() {
        let manifest = "[[bin]]\nname = \"a\"\ntest = false\n\n[[bin]]\nbench = true\n";
        let cleaned = clean_manifest(manifest, &Filter::Conservative).unwrap();
        let expected: Table = toml::from_str("[[bin]]\nname = \"a\"\n\n[[bin]]\n").unwrap();
        assert_eq!(cleaned, expected);

        let nested = "bin = [[{ name = \"a\", test = false }], 1]\n";
        let cleaned = clean_manifest(nested, &Filter::Conservative).unwrap();
        let expected: Table = toml::from_str("bin = [[{ name = \"a\" }], 1]\n").unwrap();
        assert_eq!(cleaned, expected);
    }

    #[test]
    fn parse_errors_point_at_the_problem() {
        let error = clean_manifest("[package]\nname = \n", &Filter::Conservative).unwrap_err();
        let error = error.with_path("Cargo.toml").to_string();
        assert!(error.starts_with("Cargo.toml:2:"), "{error}");
        assert!(error.contains("invalid TOML"), "{error}");
    }
}
