//! Installing what a build produced, as its log names it: crane's
//! `installFromCargoBuildLog`.
//!
//! The log, not the target directory, says which files are the workspace's
//! programs and libraries: the target directory also holds dependencies,
//! test harnesses and intermediate files under hashed names. Only
//! workspace members count: a path dependency outside the workspace looks
//! like a member in the log (its id is a `path+file://` one too), so the
//! members' ids come from `cargo metadata`, as crane asks it.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use super::{read_artifacts, Artifact};
use crate::error::{Context, Error, Result};
use crate::paths;

/// Target kinds whose files are installed to `lib/`.
const LIBRARY_KINDS: &[&str] = &["cdylib", "dylib", "staticlib"];

/// Extensions of the library files left out: Rust's own formats, which
/// only cargo can use. Everything else a library target produced is
/// installed, whatever the platform names it (`.so`, `.a`, `.dylib`,
/// `.wasm`, `.dll`, `.dll.a`, `.lib`).
const RUST_ONLY_EXTENSIONS: &[&str] = &["rlib", "rmeta"];

/// Where cargo puts artifact dependencies (`-Z bindeps`): built for
/// another crate, not as what the build was asked for. When the same
/// binary was also built in its own right, the log names it again.
const ARTIFACT_DEPENDENCY_DIR: &str = "/deps/artifact/";

/// Copies into `out` the executables (to `bin/`) and the shared and static
/// libraries (to `lib/`) that the build log at `log` names for the
/// packages whose ids are in `members`, leaving out test builds. Files are
/// copied, not linked, with their permissions, so a later build step
/// overwriting the target directory cannot change what was installed.
/// Returns the installed paths; when several artifacts have the same file
/// name, the last one the log names is installed.
pub fn install_from_log(log: &Path, out: &Path, members: &HashSet<String>) -> Result<Installed> {
    let artifacts = read_artifacts(log)?;
    let mut copies: Vec<(PathBuf, &Path)> = Vec::new();
    for artifact in &artifacts {
        if artifact.profile.test || !members.contains(&artifact.package_id) {
            continue;
        }
        for (dir, source) in installable(artifact) {
            let name = source.file_name().ok_or_else(|| {
                Error::new("the build log names a file without a name").with_path(source)
            })?;
            let destination = out.join(dir).join(name);
            match copies.iter_mut().find(|(known, _)| *known == destination) {
                Some(copy) => copy.1 = source,
                None => copies.push((destination, source)),
            }
        }
    }
    for (destination, source) in &copies {
        install(source, destination)?;
    }
    Ok(Installed(
        copies
            .into_iter()
            .map(|(destination, _)| destination)
            .collect(),
    ))
}

/// The paths [`install_from_log`] installed. Displayed as the report on
/// stdout, a line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed(pub Vec<PathBuf>);

impl Installed {
    /// The warning for stderr when nothing was installed: not an error
    /// (crane installs nothing then too), but most likely not what the
    /// build was meant to do.
    pub fn warning(&self) -> Option<&'static str> {
        self.0.is_empty().then_some(
            "gantry: warning: the build log names no binaries or libraries of workspace \
             members; nothing installed",
        )
    }
}

impl fmt::Display for Installed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|path| writeln!(f, "gantry: installed {}", path.display()))
    }
}

/// The files of `artifact` to install, each with the directory (`bin` or
/// `lib`) it goes to.
fn installable(artifact: &Artifact) -> Vec<(&'static str, &Path)> {
    let wanted = |path: &&PathBuf| !path.to_string_lossy().contains(ARTIFACT_DEPENDENCY_DIR);
    let mut files: Vec<(&'static str, &Path)> = Vec::new();
    let is_library = artifact
        .target
        .kind
        .iter()
        .any(|kind| LIBRARY_KINDS.contains(&kind.as_str()));
    if is_library {
        for file in artifact.filenames.iter().filter(wanted) {
            let extension = file.extension().and_then(|extension| extension.to_str());
            if !extension.is_some_and(|extension| RUST_ONLY_EXTENSIONS.contains(&extension)) {
                files.push(("lib", file));
            }
        }
    }
    if let Some(executable) = artifact.executable.as_ref().filter(wanted) {
        files.push(("bin", executable));
    }
    files
}

/// The part of `cargo metadata`'s output read here.
#[derive(Deserialize)]
struct Metadata {
    workspace_members: Vec<String>,
}

/// The package ids of the workspace's members, from `cargo metadata` run
/// in `dir` (cargo finds the workspace from there, as it does for the
/// build). `--no-deps`: the members need no resolution, so no network and
/// no vendored sources.
fn workspace_members(dir: &Path) -> Result<HashSet<String>> {
    let output = Command::new("cargo")
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(dir)
        .output()
        .map_err(paths::error_at("cannot run `cargo metadata`", dir))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::new(format!(
            "`cargo metadata` failed, so the workspace members are unknown: {}",
            stderr.trim()
        ))
        .with_path(dir));
    }
    let metadata: Metadata = serde_json::from_slice(&output.stdout)
        .map_err(|error| Error::new(format!("unreadable `cargo metadata` output: {error}")))
        .with_path(dir)?;
    Ok(metadata.workspace_members.into_iter().collect())
}

/// The members whose files are installed: the package ids `given`, or
/// when none are, the workspace's members as [`workspace_members`] finds
/// them from `dir` (crane asks `cargo metadata` the same).
pub fn members_or_workspace(given: Vec<String>, dir: &Path) -> Result<HashSet<String>> {
    if given.is_empty() {
        workspace_members(dir)
    } else {
        Ok(given.into_iter().collect())
    }
}

/// Copies `source` to `destination`, replacing whatever is there.
fn install(source: &Path, destination: &Path) -> Result<()> {
    if let Some(dir) = destination.parent() {
        paths::create_dir_all(dir)?;
    }
    // An earlier copy may be read-only; replace it rather than write to it.
    if destination.symlink_metadata().is_ok() {
        paths::remove_file(destination)?;
    }
    paths::copy(source, destination)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build_log::parse_artifacts;

    #[test]
    fn given_members_are_used_as_they_are() {
        // No `cargo metadata` run: the directory does not even exist.
        let members = members_or_workspace(
            vec!["a".to_string(), "b".to_string()],
            Path::new("/nonexistent"),
        )
        .unwrap();
        assert_eq!(members, HashSet::from(["a".to_string(), "b".to_string()]));
        assert!(members_or_workspace(Vec::new(), Path::new("/nonexistent")).is_err());
    }

    #[test]
    fn the_report_lists_each_path_and_warns_when_there_is_none() {
        let installed = Installed(vec![PathBuf::from("o/bin/a"), PathBuf::from("o/lib/b.so")]);
        assert_eq!(
            installed.to_string(),
            "gantry: installed o/bin/a\ngantry: installed o/lib/b.so\n"
        );
        assert_eq!(installed.warning(), None);
        let nothing = Installed(Vec::new());
        assert_eq!(nothing.to_string(), "");
        assert!(nothing.warning().unwrap().starts_with("gantry: warning: "));
    }

    /// A `compiler-artifact` line of a member library target of `kinds`
    /// producing `filenames`.
    fn library(kinds: &str, filenames: &str) -> String {
        format!(
            "{{\"reason\":\"compiler-artifact\",\"package_id\":\"path+file:///w#a@0.1.0\",\
             \"target\":{{\"name\":\"a\",\"kind\":[{kinds}]}},\"profile\":{{\"test\":false}},\
             \"filenames\":[{filenames}],\"executable\":null,\"fresh\":false}}\n"
        )
    }

    fn installed(line: &str) -> Vec<(&'static str, String)> {
        let artifacts = parse_artifacts(line.as_bytes()).unwrap();
        installable(&artifacts[0])
            .into_iter()
            .map(|(dir, path)| (dir, path.display().to_string()))
            .collect()
    }

    #[test]
    fn cdylibs_of_every_platform_are_installed() {
        // wasm32: the cdylib is a .wasm file.
        assert_eq!(
            installed(&library(
                "\"cdylib\"",
                "\"/t/wasm32-unknown-unknown/release/a.wasm\""
            )),
            [(
                "lib",
                "/t/wasm32-unknown-unknown/release/a.wasm".to_string()
            )]
        );
        // Windows: the DLL and its import library.
        assert_eq!(
            installed(&library(
                "\"lib\",\"cdylib\"",
                "\"/t/x86_64-pc-windows-gnu/release/liba.rlib\",\
                 \"/t/x86_64-pc-windows-gnu/release/a.dll\",\
                 \"/t/x86_64-pc-windows-gnu/release/liba.dll.a\""
            )),
            [
                ("lib", "/t/x86_64-pc-windows-gnu/release/a.dll".to_string()),
                (
                    "lib",
                    "/t/x86_64-pc-windows-gnu/release/liba.dll.a".to_string()
                )
            ]
        );
        // Rust's own formats never are, nor a plain library's files.
        assert!(installed(&library("\"lib\",\"cdylib\"", "\"/t/liba.rmeta\"")).is_empty());
        assert!(installed(&library("\"lib\"", "\"/t/liba.rlib\"")).is_empty());
    }

    #[test]
    fn a_wasm_binary_is_installed_to_bin() {
        // wasm32: cargo names the binary's .wasm module as its executable (trunk's input).
        let line = "{\"reason\":\"compiler-artifact\",\"package_id\":\"path+file:///w#a@0.1.0\",\
             \"target\":{\"name\":\"a\",\"kind\":[\"bin\"]},\"profile\":{\"test\":false},\
             \"filenames\":[\"/t/wasm32-unknown-unknown/release/a.wasm\"],\
             \"executable\":\"/t/wasm32-unknown-unknown/release/a.wasm\",\"fresh\":false}\n";
        assert_eq!(
            installed(line),
            [(
                "bin",
                "/t/wasm32-unknown-unknown/release/a.wasm".to_string()
            )]
        );
    }

    #[test]
    fn artifact_dependencies_are_not_installed() {
        let line = "{\"reason\":\"compiler-artifact\",\"package_id\":\"path+file:///w#b@0.1.0\",\
             \"target\":{\"name\":\"b\",\"kind\":[\"bin\"]},\"profile\":{\"test\":false},\
             \"filenames\":[\"/t/release/deps/artifact/b-1/bin/b\"],\
             \"executable\":\"/t/release/deps/artifact/b-1/bin/b\",\"fresh\":false}\n";
        assert!(installed(line).is_empty());
    }
}
