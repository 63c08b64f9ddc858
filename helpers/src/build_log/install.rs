//! Installing what a build produced, as its log names it: crane's
//! `installFromCargoBuildLog`.
//!
//! The log, not the target directory, says which files are the workspace's
//! programs and libraries: the target directory also holds dependencies,
//! test harnesses and intermediate files under hashed names.

use std::fs;
use std::path::{Path, PathBuf};

use super::read_artifacts;
use crate::error::{Context, Error, Result};

/// Target kinds whose files are installed to `lib/`.
const LIBRARY_KINDS: &[&str] = &["cdylib", "dylib", "staticlib"];

/// Extensions of the library files installed (not `.rlib`, `.rmeta`,
/// which only cargo can use, nor `.d`).
const LIBRARY_EXTENSIONS: &[&str] = &["so", "a", "dylib"];

/// Copies into `out` the executables (to `bin/`) and the shared and static
/// libraries (to `lib/`) that the build log at `log` names for local
/// packages, leaving out test builds. Files are copied, not linked, with
/// their permissions, so a later build step overwriting the target
/// directory cannot change what was installed. Returns the installed
/// paths; when several artifacts have the same file name, the last one
/// the log names is installed.
pub fn install_from_log(log: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let artifacts = read_artifacts(log)?;
    let mut copies: Vec<(PathBuf, &Path)> = Vec::new();
    for artifact in &artifacts {
        if artifact.profile.test || !artifact.package().local() {
            continue;
        }
        let mut sources: Vec<(&str, &Path)> = Vec::new();
        if let Some(executable) = &artifact.executable {
            sources.push(("bin", executable));
        }
        let is_library = artifact
            .target
            .kind
            .iter()
            .any(|kind| LIBRARY_KINDS.contains(&kind.as_str()));
        if is_library {
            for file in &artifact.filenames {
                let extension = file.extension().and_then(|extension| extension.to_str());
                if extension.is_some_and(|extension| LIBRARY_EXTENSIONS.contains(&extension)) {
                    sources.push(("lib", file));
                }
            }
        }
        for (dir, source) in sources {
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
    Ok(copies
        .into_iter()
        .map(|(destination, _)| destination)
        .collect())
}

/// Copies `source` to `destination`, replacing whatever is there.
fn install(source: &Path, destination: &Path) -> Result<()> {
    if let Some(dir) = destination.parent() {
        fs::create_dir_all(dir)
            .map_err(|error| Error::io("cannot create directory", error))
            .with_path(dir)?;
    }
    // An earlier copy may be read-only; replace it rather than write to it.
    if destination.symlink_metadata().is_ok() {
        fs::remove_file(destination)
            .map_err(|error| Error::io("cannot replace", error))
            .with_path(destination)?;
    }
    fs::copy(source, destination)
        .map_err(|error| Error::io(format!("cannot copy to {}", destination.display()), error))
        .with_path(source)?;
    Ok(())
}
