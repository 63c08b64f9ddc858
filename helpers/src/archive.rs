//! Packing a cargo target directory into an artifacts directory (a
//! layer) and unpacking it again.
//!
//! Build artifacts travel between derivations as layers. A layer holds a
//! manifest, `gantry-artifacts.json`, describing the whole target directory
//! (see [`manifest`] for the format), and stores its files one of two ways:
//!
//! - `zstd`: a deterministic `target.tar.zst`. Packed over a base layer it
//!   holds only what changed, and `prev` links to the base: the chain of
//!   layers is unpacked oldest first. Build after build, only new artifacts
//!   are stored again.
//! - `symlink`: a `target/` tree where files already stored as real files
//!   in a symlink layer of the base's chain are absolute symlinks to them.
//!   Complete on its own, uncompressed, and as cheap to pack over a base.
//!
//! Unpacking also takes a plain `.tar.zst`, or a directory holding one as
//! `target.tar.zst` (what crane writes); packing over such a base gives a
//! complete layer, as there is no manifest to compare against.
//!
//! Packing is deterministic so that equal target directories over equal
//! bases give equal layers; unpacking trusts nothing in an archive and
//! leaves the destination untouched unless the whole chain is sound.

mod assemble;
mod layer_pack;
mod layer_unpack;
mod layers;
pub mod manifest;
mod pack;
mod unpack;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::paths;
use manifest::Node;

pub use assemble::{assemble, AssembleSummary};
pub use layer_pack::{pack, PackOptions, PackSummary};
pub use layer_unpack::unpack;
pub use manifest::{LayerKind, Manifest, MANIFEST};
pub use pack::{pack_archive, Compression};
pub use unpack::unpack_archive;

/// Modification time, in seconds since the epoch, stored for every entry.
/// Nix gives store paths the same time; cargo only compares its own
/// fingerprints, so the real times carry no information worth the
/// non-determinism. A file that still has it after unpacking was not
/// rewritten since, which lets packing skip reading it.
pub const MTIME: u64 = 1;

/// File name of a zstd layer's archive, and of crane's.
pub const ARCHIVE: &str = "target.tar.zst";

/// Name of the symlink from an incremental layer to its base.
pub const PREV: &str = "prev";

/// Name of the directory mirroring the target directory in a symlink
/// layer.
pub const TREE: &str = "target";

/// [`MTIME`] as a time.
fn pack_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(MTIME)
}

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

/// Creates at `dest` the directory or symlink `node` describes, as every
/// tree a layer is written or restored into does; returns `false`, creating
/// nothing, for a file, which each caller stores its own way.
fn create_dir_or_symlink(node: &Node, dest: &Path) -> Result<bool> {
    match node {
        Node::Dir { .. } => paths::create_dir(dest)?,
        Node::Symlink { target } => paths::symlink(target, dest)?,
        Node::File { .. } => return Ok(false),
    }
    Ok(true)
}
