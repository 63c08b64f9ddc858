//! The dummy source of a workspace: crane's `mkDummySrc`, done at build
//! time.
//!
//! The dependencies of a workspace are built once, from a copy of the
//! project that keeps everything deciding how they compile (manifests, lock
//! files, cargo configuration) and replaces every crate root of the
//! project's own code by a stub. The real build inherits those artifacts.
//! Edits to the project's code, to manifest keys that cannot change how
//! dependencies compile, and to the members' own versions leave the copy,
//! and so the cached dependency build, unchanged.

mod lock;
mod targets;
mod versions;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use toml::{Table, Value};
use walkdir::{DirEntry, WalkDir};

use crate::error::{Context, Error, Result};
use crate::paths;
use crate::toml_clean::{clean, parse_manifest, Filter};
use crate::write_toml::render;

use versions::Versions;

/// What every crate root of the project becomes. It compiles as a library,
/// a binary, a test or a benchmark, also for `no_std` targets
/// (`target_os` "none" or "uefi", crane's rule), where it brings the panic
/// handler and opts out of `main` that those require; on UEFI its `main` is
/// exported as `efi_main`, the entry point the linker looks for there.
pub const STUB: &str = r#"#![allow(clippy::all)]
#![allow(dead_code)]
#![cfg_attr(any(target_os = "none", target_os = "uefi"), no_std)]
#![cfg_attr(any(target_os = "none", target_os = "uefi"), no_main)]

#[allow(unused_extern_crates)]
extern crate core;

#[cfg_attr(any(target_os = "none", target_os = "uefi"), panic_handler)]
#[allow(unused)]
fn panic(_info: &::core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

#[cfg_attr(target_os = "uefi", export_name = "efi_main")]
pub fn main() {}
"#;

/// What a proc-macro library becomes: such a crate may export nothing but
/// procedural macros, so [`STUB`]'s `pub fn main` would not compile.
pub const PROC_MACRO_STUB: &str = "#![allow(dead_code)]\n";

/// The build script every package gets.
pub const BUILD_STUB: &str = "fn main() {}\n";

/// File name of the dummy build script, written in each package's
/// directory. Every package gets one, so build-dependencies are built with
/// the other dependencies; and since the real build script lives elsewhere
/// (or does not exist), cargo never takes a unit of the dummy build for a
/// fresh unit of the real one, whatever the files' modification times.
pub const BUILD_SCRIPT: &str = "gantry-dummy-build.rs";

/// Directories never searched for manifests: build output and version
/// control data hold no part of the project's skeleton.
const SKIPPED_DIRS: &[&str] = &["target", ".git"];

/// How to make a dummy source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DummyOptions {
    /// How much of each manifest to keep.
    pub filter: Filter,
    /// Text written at every crate root but proc-macro libraries'
    /// (crane's `dummyrs`).
    pub stub: String,
    /// Text of every package's build script (crane's `dummyBuildrs`).
    pub build_stub: String,
}

impl DummyOptions {
    /// The options a command line asks for: the manifest filter (see
    /// [`Filter::from_args`]), and the texts of the files `dummy_rs` and
    /// `dummy_build_rs` in place of the default stubs.
    pub fn from_args(
        aggressive: bool,
        drop_keys: Option<&Path>,
        dummy_rs: Option<&Path>,
        dummy_build_rs: Option<&Path>,
    ) -> Result<Self> {
        let defaults = DummyOptions::default();
        Ok(DummyOptions {
            filter: Filter::from_args(aggressive, drop_keys)?,
            stub: dummy_rs.map_or(Ok(defaults.stub), paths::read_text)?,
            build_stub: dummy_build_rs.map_or(Ok(defaults.build_stub), paths::read_text)?,
        })
    }
}

impl Default for DummyOptions {
    fn default() -> Self {
        DummyOptions {
            filter: Filter::Conservative,
            stub: STUB.to_string(),
            build_stub: BUILD_STUB.to_string(),
        }
    }
}

/// Writes the dummy source of the project in `src` to `out`, which must not
/// exist yet. Nothing is left at `out` when this fails.
pub fn make_dummy_src(src: &Path, out: &Path, options: &DummyOptions) -> Result<()> {
    if out.symlink_metadata().is_ok() {
        return Err(Error::new("already exists; the output directory must be new").with_path(out));
    }
    let files = dummy_files(src, options)?;
    paths::create_dir(out)?;
    let written = write_files(out, &files);
    if written.is_err() {
        // Best effort: the write error is what gets reported.
        let _ = fs::remove_dir_all(out);
    }
    written
}

/// The contents of the dummy source of the project in `src`, by path
/// relative to its root.
fn dummy_files(src: &Path, options: &DummyOptions) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let skeleton = Skeleton::scan(src)?;
    // The workspace may sit in a subdirectory (crane's workspace-not-at-root,
    // built after a `postUnpack` entering it), but there must be one.
    if skeleton.manifests.is_empty() {
        return Err(Error::new(format!(
            "no Cargo.toml in {} or below it: point src at the project's directory",
            src.display()
        )));
    }
    for (dir, manifest) in &skeleton.manifests {
        check_members(src, dir, manifest, &skeleton.manifests)?;
    }
    let versions = Versions::plan(&skeleton.manifests);

    let mut files = BTreeMap::new();
    for (dir, manifest) in &skeleton.manifests {
        let manifest_path = src.join(dir).join("Cargo.toml");
        let mut cleaned = clean(manifest.clone(), &options.filter);
        if let Some(Value::Table(package)) = cleaned.get_mut("package") {
            package.insert("build".into(), BUILD_SCRIPT.into());
            files.insert(
                dir.join(BUILD_SCRIPT),
                options.build_stub.clone().into_bytes(),
            );
            for target in targets::crate_roots(src, dir, manifest).with_path(&manifest_path)? {
                let stub = if target.proc_macro {
                    PROC_MACRO_STUB
                } else {
                    &options.stub
                };
                files.insert(target.path, stub.as_bytes().to_vec());
            }
        }
        versions.apply_to_manifest(dir, &mut cleaned);
        let text = render(&cleaned).with_path(&manifest_path)?;
        files.insert(dir.join("Cargo.toml"), text.into_bytes());
    }
    let renamed = versions.renamed();
    for (path, text) in &skeleton.locks {
        let text = lock::normalise(text, &renamed);
        files.insert(path.clone(), text.into_bytes());
    }
    for (path, contents) in skeleton.copies {
        files.insert(path, contents);
    }
    Ok(files)
}

/// Writes `files` below `out`, in path order.
fn write_files(out: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    for (path, contents) in files {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            paths::create_dir_all(parent)?;
        }
        paths::write(&path, contents)?;
    }
    Ok(())
}

/// The files of a project that the dummy source keeps, read.
struct Skeleton {
    /// Every manifest, parsed, by the directory holding it (relative to the
    /// root; the root itself is the empty path).
    manifests: BTreeMap<PathBuf, Table>,
    /// Every `Cargo.lock`, by path.
    locks: BTreeMap<PathBuf, String>,
    /// Files copied as they are: cargo configurations anywhere, toolchain
    /// files at the root.
    copies: BTreeMap<PathBuf, Vec<u8>>,
}

impl Skeleton {
    /// Reads the skeleton of the project in `src`, walking it in name order
    /// without following symbolic links to directories (such as Nix's
    /// `result` links), which point outside the project.
    fn scan(src: &Path) -> Result<Self> {
        let mut skeleton = Skeleton {
            manifests: BTreeMap::new(),
            locks: BTreeMap::new(),
            copies: BTreeMap::new(),
        };
        let walk = WalkDir::new(src)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| !is_skipped_dir(entry));
        for entry in walk {
            let entry = entry.map_err(|error| paths::walk_error(src, error))?;
            // Symbolic links to files count as the files.
            if entry.file_type().is_dir() || !entry.path().is_file() {
                continue;
            }
            let path = entry.path();
            let relative = path
                .strip_prefix(src)
                .map_err(|_| Error::new("found outside the source tree").with_path(path))?;
            let name = entry.file_name();
            let in_cargo_dir = relative
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|parent| parent == ".cargo");
            if name == "Cargo.toml" {
                let text = paths::read_text(path)?;
                let manifest = parse_manifest(&text).with_path(path)?;
                let dir = relative.parent().unwrap_or(Path::new("")).to_path_buf();
                skeleton.manifests.insert(dir, manifest);
            } else if name == "Cargo.lock" {
                skeleton
                    .locks
                    .insert(relative.to_path_buf(), paths::read_text(path)?);
            } else if (in_cargo_dir && (name == "config" || name == "config.toml"))
                || (entry.depth() == 1
                    && (name == "rust-toolchain" || name == "rust-toolchain.toml"))
            {
                let contents = paths::read(path)?;
                skeleton.copies.insert(relative.to_path_buf(), contents);
            }
        }
        Ok(skeleton)
    }
}

fn is_skipped_dir(entry: &DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_dir()
        && SKIPPED_DIRS
            .iter()
            .any(|skipped| entry.file_name() == *skipped)
}

/// Checks, as cargo would, that every member the workspace manifest in
/// `dir` lists (literally or by a `dir/*` glob; other globs are left to
/// cargo) has a manifest. The dummy holds only directories with manifests,
/// so such a member would otherwise vanish from it, and the dependency
/// build succeed where the real one fails.
fn check_members(
    src: &Path,
    dir: &Path,
    manifest: &Table,
    manifests: &BTreeMap<PathBuf, Table>,
) -> Result<()> {
    let Some(Value::Table(workspace)) = manifest.get("workspace") else {
        return Ok(());
    };
    let excluded: Vec<PathBuf> = strings(workspace.get("exclude"))
        .filter_map(|path| inside(dir, Path::new(path)))
        .collect();
    for member in strings(workspace.get("members")) {
        let listed: Vec<PathBuf> = match member.strip_suffix('*') {
            Some(parent) if parent.is_empty() || parent.ends_with('/') => {
                if is_glob(parent) {
                    continue;
                }
                subdirectories(&src.join(dir).join(parent))?
                    .into_iter()
                    .map(|name| Path::new(parent).join(name))
                    .collect()
            }
            _ if is_glob(member) => continue,
            _ => vec![PathBuf::from(member)],
        };
        for path in listed {
            let Some(member_dir) = inside(dir, &path) else {
                // Outside the source tree: not the dummy's business.
                continue;
            };
            let is_excluded = member.contains('*')
                && excluded
                    .iter()
                    .any(|excluded| member_dir.starts_with(excluded));
            if !is_excluded && !manifests.contains_key(&member_dir) {
                return Err(Error::new(format!(
                    "workspace member {} listed in {} has no Cargo.toml",
                    path.display(),
                    src.join(dir).join("Cargo.toml").display()
                )));
            }
        }
    }
    Ok(())
}

/// The names of the directories in `dir` that the walk enters, sorted; none
/// if `dir` does not exist.
fn subdirectories(dir: &Path) -> Result<Vec<OsString>> {
    let Some(entries) = paths::read_dir_if_exists(dir)? else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry.file_name();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir && !SKIPPED_DIRS.iter().any(|skipped| name == *skipped) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// The strings of a TOML array; anything else holds none.
fn strings(value: Option<&Value>) -> impl Iterator<Item = &str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// `path` taken relative to `base`, both relative to the source root, with
/// `.` and `..` resolved; `None` when it is absolute or climbs out of the
/// root, so that it names nothing the dummy holds.
fn inside(base: &Path, path: &Path) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_chooses_filter_and_stubs() {
        let dir = std::env::temp_dir().join(format!("gantry-dummy-options-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            DummyOptions::from_args(false, None, None, None).unwrap(),
            DummyOptions::default()
        );
        let (stub, build_stub) = (dir.join("dummy.rs"), dir.join("build.rs"));
        fs::write(&stub, "// stub\n").unwrap();
        fs::write(&build_stub, "// build\n").unwrap();
        let options = DummyOptions::from_args(true, None, Some(&stub), Some(&build_stub)).unwrap();
        assert_eq!(
            options,
            DummyOptions {
                filter: Filter::Aggressive,
                stub: "// stub\n".to_string(),
                build_stub: "// build\n".to_string(),
            }
        );
        let missing = DummyOptions::from_args(false, None, Some(&dir.join("gone.rs")), None);
        assert!(missing
            .unwrap_err()
            .to_string()
            .contains("gone.rs: cannot read"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn inside_resolves_dots_and_rejects_escapes() {
        let base = Path::new("crates/a");
        assert_eq!(
            inside(base, Path::new("../b/./src")),
            Some(PathBuf::from("crates/b/src"))
        );
        assert_eq!(inside(base, Path::new(".")), Some(PathBuf::from(base)));
        assert_eq!(inside(base, Path::new("../../..")), None);
        assert_eq!(inside(base, Path::new("/etc")), None);
        assert_eq!(inside(Path::new(""), Path::new("")), Some(PathBuf::new()));
    }

    #[test]
    fn globs_are_recognised() {
        assert!(is_glob("crates/*"));
        assert!(is_glob("crate?"));
        assert!(!is_glob("crates/a"));
    }
}
