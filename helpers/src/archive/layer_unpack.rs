//! Unpacking artifacts: a chain of layers, or a single archive.
//!
//! The chain is put together in a staging directory next to the
//! destination, oldest layer first, each newer one extracted on its own
//! and merged over it (so nothing is ever written through a symlink, or
//! into a file shared with an older layer). What the newest manifest lacks
//! is then removed, which is how deletions take effect, and what it lists
//! is checked to be there. Only then does the result move into the
//! destination: a broken chain leaves the destination as it was.

use std::collections::HashMap;
use std::fmt;
use std::fs::{FileTimes, Permissions};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::layers::{Artifacts, Chain, Layer};
use super::manifest::{LayerKind, Manifest, Node, MANIFEST};
use super::unpack::{extract_file, merge, Destination, Directory, Names, FILE_OWNER_BITS};
use super::{create_dir_or_symlink, pack_time, Scratch};
use crate::error::{Context, Error, Result};
use crate::paths;

/// Unpacks the artifacts at `artifacts` into the directory `dest`,
/// creating it if missing and otherwise merging into it: paths the
/// artifacts hold replace those already there, other paths stay.
///
/// `artifacts` is a layer (with the layers below it), a directory holding
/// crane's `target.tar.zst`, or such an archive (with the archives its
/// `.prev` links lead to). Files become ordinary files, never
/// symlinks into a layer, with the recorded permission bits plus owner
/// write access and the time [`MTIME`](super::MTIME); directories get
/// owner write and search access too.
pub fn unpack(artifacts: &Path, dest: &Path) -> Result<()> {
    match Artifacts::open(artifacts)? {
        Artifacts::Crane(archives) => unpack_crane(&archives, dest),
        Artifacts::Layers(chain) => unpack_chain(&chain, dest),
    }
}

/// Unpacks crane's archives, oldest first, each over the ones before.
fn unpack_crane(archives: &[PathBuf], dest: &Path) -> Result<()> {
    let destination = Destination::prepare(dest)?;
    let root = destination.staging();
    let mut directories = Vec::new();
    for (index, archive) in archives.iter().enumerate() {
        if index == 0 {
            directories = extract_file(archive, root, Names::StripFirst)?;
            continue;
        }
        let changes = Scratch::next_to(destination.path(), "layer")?;
        paths::create_dir(changes.path())?;
        let newer = extract_file(archive, changes.path(), Names::StripFirst)?;
        merge(changes.path(), root)?;
        // A directory's mode and time are the newest archive's that has it.
        directories.retain(|known| !newer.iter().any(|new| new.path == known.path));
        directories.extend(newer);
    }
    destination.finish(&directories)
}

fn unpack_chain(chain: &Chain, dest: &Path) -> Result<()> {
    let destination = Destination::prepare(dest)?;
    let root = destination.staging();
    for (index, layer) in chain.oldest_first().enumerate() {
        match layer.manifest.kind {
            // Never incremental, so only ever the oldest.
            LayerKind::Symlink => restore_tree(layer, root)?,
            LayerKind::Zstd if index == 0 => {
                extract_file(&layer.archive(), root, Names::AsStored)?;
            }
            LayerKind::Zstd => {
                let changes = Scratch::next_to(destination.path(), "layer")?;
                paths::create_dir(changes.path())?;
                extract_file(&layer.archive(), changes.path(), Names::AsStored)?;
                merge(changes.path(), root)?;
            }
        }
    }
    let newest = &chain.newest.manifest;
    prune(root, Path::new(""), &newest.nodes())?;
    verify(root, newest).with_path(chain.newest.dir.join(MANIFEST))?;
    let directories: Vec<Directory> = newest
        .entries
        .iter()
        .filter_map(|entry| match entry.node {
            Node::Dir { mode } => Some(Directory {
                path: entry.path.clone(),
                mode,
                mtime: pack_time(),
            }),
            _ => None,
        })
        .collect();
    destination.finish(&directories)
}

/// Recreates the tree of the symlink layer `layer` in the empty directory
/// `root`, copying what pointers lead to. The manifest lists every parent
/// before its contents, as a directory, so everything is created inside
/// directories made here.
fn restore_tree(layer: &Layer, root: &Path) -> Result<()> {
    for entry in &layer.manifest.entries {
        let path = root.join(&entry.path);
        if let Node::File { mode, size, .. } = &entry.node {
            copy_stored(&layer.stored_file(&entry.path), &path, *mode, *size)?;
        } else {
            create_dir_or_symlink(&entry.node, &path)?;
        }
    }
    Ok(())
}

/// Copies the stored file `from` (following a pointer) to the new file
/// `to`, checking it has `size` bytes.
fn copy_stored(from: &Path, to: &Path, mode: u32, size: u64) -> Result<()> {
    let mut source = paths::open(from)?;
    let mut file = paths::create_new(to, 0o600)?;
    let action = format!("cannot copy to {}", to.display());
    let copied = io::copy(&mut source, &mut file).map_err(paths::error_at(&action, from))?;
    if copied != size {
        return Err(Error::new(format!(
            "holds {copied} bytes where the layer's manifest lists {size}"
        ))
        .with_path(from));
    }
    let write_error = paths::error_at("cannot set mode and time", to);
    file.set_permissions(Permissions::from_mode(mode | FILE_OWNER_BITS))
        .map_err(&write_error)?;
    file.set_times(FileTimes::new().set_modified(pack_time()))
        .map_err(&write_error)
}

/// Removes from the directory `dir` (relative to `root`) and below it
/// whatever `keep` does not list.
fn prune(root: &Path, dir: &Path, keep: &HashMap<&Path, &Node>) -> Result<()> {
    let full = root.join(dir);
    for entry in paths::read_dir(&full)? {
        let path = dir.join(entry.file_name());
        let is_dir = paths::entry_type(&entry)?.is_dir();
        match keep.get(path.as_path()) {
            None if is_dir => paths::remove_dir_all(entry.path())?,
            None => paths::remove_file(entry.path())?,
            Some(Node::Dir { .. }) if is_dir => prune(root, &path, keep)?,
            // A wrong type is for `verify` to report.
            Some(_) => {}
        }
    }
    Ok(())
}

/// Checks that every entry of `manifest` is in `root` as listed.
fn verify(root: &Path, manifest: &Manifest) -> Result<()> {
    for entry in &manifest.entries {
        let path = root.join(&entry.path);
        let found = match paths::symlink_metadata_if_exists(&path)? {
            Some(metadata) if metadata.is_dir() => Found::Dir,
            Some(metadata) if metadata.is_file() => Found::File(metadata.len()),
            Some(_) => Found::Symlink(paths::read_link(&path)?),
            None => Found::Nothing,
        };
        let listed = match &entry.node {
            Node::Dir { .. } => Found::Dir,
            Node::File { size, .. } => Found::File(*size),
            Node::Symlink { target } => Found::Symlink(target.clone()),
        };
        if found != listed {
            return Err(Error::new(format!(
                "unpacking the layers gave {found} where the manifest lists {listed}"
            ))
            .with_entry(entry.path.display().to_string()));
        }
    }
    Ok(())
}

/// What is at a path, as far as `verify` checks.
#[derive(PartialEq)]
enum Found {
    Nothing,
    Dir,
    File(u64),
    Symlink(PathBuf),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Nothing => f.write_str("nothing"),
            Found::Dir => f.write_str("a directory"),
            Found::File(size) => write!(f, "a file of {size} bytes"),
            Found::Symlink(target) => write!(f, "a symlink to `{}`", target.display()),
        }
    }
}
