//! Keeping what a piece's build compiled.
//!
//! The piece's project was built over its closure's pieces, restored into
//! the target directory. The piece keeps the unit files that are new (not
//! in the closure's manifest) in cargo's unit directories (`deps`,
//! `.fingerprint`, `build`), except those of the synthetic project's packages.
//! If cargo compiled a unit of another crate, the plan and cargo disagree
//! (or, outside the sandbox, the vendor path differs and cargo rebuilt the
//! closure): a warning naming the crate, and the piece keeps that unit too,
//! as cargo compiled it for this piece's crate (the final build then finds
//! it; `assemble` refuses two pieces holding one path with different bytes).

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use walkdir::WalkDir;

use super::project::PROJECT_PACKAGES;
use crate::archive::Manifest;
use crate::build_log::read_artifacts;
use crate::cargo_ids::CrateId;
use crate::error::{Context, Error, Result};
use crate::paths;

/// The directories of cargo's target dir holding units.
const UNIT_DIRS: [&str; 3] = ["deps", ".fingerprint", "build"];

/// What `collect` kept, and which other crates cargo compiled.
#[derive(Debug, Default)]
pub struct CollectSummary {
    pub files: usize,
    /// `name version` of other crates cargo compiled (warned about).
    pub foreign: Vec<String>,
}

impl fmt::Display for CollectSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for unit in &self.foreign {
            writeln!(
                f,
                "warning: cargo compiled {unit}, which the piece's dependencies should have \
                 provided; the piece keeps that unit too"
            )?;
        }
        write!(f, "kept {} files of new units", self.files)
    }
}

/// Moves the piece's own unit files from `target` into `out` (created,
/// same relative paths). `log` is cargo's JSON output of the build,
/// `closure` the manifest of what was unpacked before it, `crates` the
/// piece's crates.
pub fn collect(
    log: &Path,
    target: &Path,
    closure: Option<&Manifest>,
    crates: &[CrateId],
    out: &Path,
) -> Result<CollectSummary> {
    let mut summary = CollectSummary::default();
    for artifact in read_artifacts(log)? {
        let package = artifact.package();
        let name = package.name.as_deref().unwrap_or(&artifact.target.name);
        let version = package.version.as_deref().unwrap_or_default();
        let own = PROJECT_PACKAGES.contains(&name)
            || crates
                .iter()
                .any(|krate| krate.name == name && krate.version == version);
        let unit = format!("{name} {version}");
        if !artifact.fresh && !own && !summary.foreign.contains(&unit) {
            summary.foreign.push(unit);
        }
    }
    let known: HashSet<&Path> = closure
        .map(|manifest| {
            manifest
                .entries
                .iter()
                .map(|entry| entry.path.as_path())
                .collect()
        })
        .unwrap_or_default();
    let root_prefixes: Vec<String> = PROJECT_PACKAGES
        .iter()
        .flat_map(|package| {
            let underscored = package.replace('-', "_");
            [
                format!("{package}-"),
                format!("{underscored}-"),
                format!("lib{underscored}-"),
            ]
        })
        .collect();
    for entry in WalkDir::new(target).min_depth(1).sort_by_file_name() {
        let entry = entry
            .map_err(|error| Error::new(format!("cannot walk the target directory: {error}")))
            .with_path(target)?;
        let relative = entry.path().strip_prefix(target).map_err(|_| {
            Error::new("walked outside the target directory").with_path(entry.path())
        })?;
        if known.contains(relative) || !is_unit_file(relative, &root_prefixes) {
            continue;
        }
        let dest = out.join(relative);
        if entry.file_type().is_dir() {
            // Kept even when empty (a build script's `out`): cargo creates it again for a
            // fresh unit, which it cannot in a unit directory linked from the piece.
            paths::create_dir_all(&dest)?;
            continue;
        }
        if let Some(parent) = dest.parent() {
            paths::create_dir_all(parent)?;
        }
        paths::rename(entry.path(), &dest)?;
        summary.files += 1;
    }
    Ok(summary)
}

/// `path` (relative to the target directory) split at its unit directory
/// (`<profile>/deps/…` or, with `--target`, `<triple>/<profile>/deps/…`):
/// the components and the index of the unit directory's, if it has one.
fn unit_area(path: &Path) -> (Vec<&str>, Option<usize>) {
    let components: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
    let area = components
        .iter()
        .take(3)
        .position(|component| UNIT_DIRS.contains(component))
        .filter(|&area| area >= 1);
    (components, area)
}

/// Whether `path` (relative to the target directory) lies in a unit
/// directory and is not the root package's.
fn is_unit_file(path: &Path, root_prefixes: &[String]) -> bool {
    let (components, Some(area)) = unit_area(path) else {
        return false;
    };
    match components.get(area + 1) {
        Some(unit) => !root_prefixes
            .iter()
            .any(|prefix| unit.starts_with(prefix.as_str())),
        None => false,
    }
}

/// Whether `path` (relative to the target directory) is the directory of
/// one unit: `.fingerprint/<unit>` or `build/<unit>` in a profile
/// directory. Cargo writes into it only when it compiles (or runs) that
/// unit, never to add another unit, so a piece's copy can be linked whole
/// into a target directory where the unit is fresh (see
/// `archive::assemble`).
pub fn is_unit_dir(path: &Path) -> bool {
    let (components, area) = unit_area(path);
    area.is_some_and(|area| components[area] != "deps" && components.len() == area + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn prefixes() -> Vec<String> {
        ["gantry-piece-", "gantry_piece-", "libgantry_piece-"]
            .map(str::to_string)
            .to_vec()
    }

    #[test]
    fn unit_files_are_told_from_the_root_and_the_rest() {
        for (path, expected) in [
            ("release/deps/libserde-1a.rlib", true),
            ("release/.fingerprint/serde-1a/lib-serde", true),
            ("release/build/serde-2b/out/private.rs", true),
            (
                "x86_64-unknown-linux-gnu/release/deps/libserde-1a.rlib",
                true,
            ),
            ("release/deps/libgantry_piece-3c.rlib", false),
            ("release/deps/gantry_piece-3c.d", false),
            (
                "release/.fingerprint/gantry-piece-3c/lib-gantry_piece",
                false,
            ),
            ("release/libgantry_piece.rlib", false),
            ("release/.cargo-lock", false),
            (".rustc_info.json", false),
            ("deps/x", false),
        ] {
            assert_eq!(
                is_unit_file(Path::new(path), &prefixes()),
                expected,
                "{path}"
            );
        }
    }

    #[test]
    fn unit_directories_are_those_of_fingerprints_and_build_scripts() {
        for (path, expected) in [
            ("release/.fingerprint/serde-1a", true),
            ("release/build/serde-2b", true),
            ("x86_64-unknown-linux-gnu/release/build/serde-2b", true),
            ("release/build/serde-2b/out", false),
            ("release/.fingerprint", false),
            ("release/build", false),
            ("release/deps", false),
            ("release/deps/libserde-1a.rlib", false),
            ("release", false),
            ("build/serde-2b", false),
        ] {
            assert_eq!(is_unit_dir(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn own_units_move_and_foreign_compilations_are_reported() {
        let root = std::env::temp_dir().join(format!("gantry-collect-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let target = root.join("target");
        for file in [
            "release/deps/libitoa-1.rlib",
            "release/deps/libserde-2.rlib",
            "release/deps/libgantry_piece-3.rlib",
        ] {
            fs::create_dir_all(target.join(file).parent().unwrap()).unwrap();
            fs::write(target.join(file), file).unwrap();
        }
        fs::create_dir_all(target.join("release/build/serde-4/out")).unwrap();
        let closure: Manifest = serde_json::from_value(serde_json::json!({
            "format": 1, "kind": "symlink", "incremental": false, "deleted": [],
            "entries": [
                {"path": "release", "type": "dir", "mode": 493},
                {"path": "release/deps", "type": "dir", "mode": 493},
                {"path": "release/deps/libitoa-1.rlib", "type": "file", "mode": 420, "size": 1,
                 "sha256": "0000000000000000000000000000000000000000000000000000000000000000"},
            ],
        }))
        .unwrap();
        let registry = crate::cargo_ids::CRATES_IO;
        let message = |name: &str, fresh: bool| {
            serde_json::json!({
                "reason": "compiler-artifact",
                "package_id": format!("{registry}#{name}@1.0.0"),
                "target": {"name": name, "kind": ["lib"]},
                "profile": {"test": false},
                "filenames": [], "executable": null, "fresh": fresh,
            })
            .to_string()
        };
        let log = root.join("log.json");
        fs::write(
            &log,
            [message("itoa", false), message("serde", false)].join("\n"),
        )
        .unwrap();

        let out = root.join("piece");
        let serde = CrateId {
            name: "serde".to_string(),
            version: "1.0.0".to_string(),
        };
        let summary = collect(&log, &target, Some(&closure), &[serde], &out).unwrap();
        assert_eq!(summary.foreign, ["itoa 1.0.0"]);
        assert!(summary
            .to_string()
            .contains("warning: cargo compiled itoa 1.0.0"));
        assert_eq!(summary.files, 1);
        assert!(out.join("release/deps/libserde-2.rlib").is_file());
        // An empty directory of its units is kept: cargo recreates it for a fresh unit.
        assert!(out.join("release/build/serde-4/out").is_dir());
        assert!(!out.join("release/deps/libitoa-1.rlib").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}
