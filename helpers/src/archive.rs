//! Packing a cargo target directory into a `.tar.zst` archive and unpacking
//! it again.
//!
//! Build artifacts travel between derivations as such archives. Packing is
//! deterministic so that equal target directories give equal archives;
//! unpacking trusts nothing in the archive and leaves the destination
//! untouched unless the whole archive is sound.

mod pack;
mod unpack;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use pack::{default_workers, pack};
pub use unpack::unpack;

/// Modification time, in seconds since the epoch, stored for every entry.
/// Nix gives store paths the same time; cargo only compares its own
/// fingerprints, so the real times carry no information worth the
/// non-determinism.
pub const MTIME: u64 = 1;

/// A scratch file or directory next to an output, removed (with its
/// contents) when dropped unless it has been renamed into place by then:
/// every way out of an operation, error or success, cleans up.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Reserves the path `.<name>.gantry-<job>-<pid>` next to `output`.
    /// Being in the same directory keeps the final rename on one file
    /// system, hence atomic; the pid keeps concurrent runs apart.
    fn next_to(output: &Path, job: &str) -> Result<Self> {
        let name = output
            .file_name()
            .ok_or_else(|| Error::new("the path must end in a file name").with_path(output))?;
        let parent = match output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut scratch_name = OsString::from(".");
        scratch_name.push(name);
        scratch_name.push(format!(".gantry-{job}-{}", std::process::id()));
        Ok(Scratch {
            path: parent.join(scratch_name),
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: the operation's own result is what gets reported,
        // and after a successful rename there is nothing left to remove.
        let _ = match fs::symlink_metadata(&self.path) {
            Ok(metadata) if metadata.is_dir() => fs::remove_dir_all(&self.path),
            Ok(_) => fs::remove_file(&self.path),
            Err(_) => Ok(()),
        };
    }
}
