//! Packing a target directory into a layer.
//!
//! Every file needs its sha256 for the manifest, but reading a whole target
//! directory for it would cost as much as packing it. A file unpacked from
//! the base and not rewritten since still has the time [`MTIME`] that
//! unpacking gives, so when its type, mode and size match the base's entry
//! too, the base's digest is taken as is. Other files are read, on as many
//! threads as compression gets.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use walkdir::WalkDir;

use super::layers::{Artifacts, Layer};
use super::manifest::{Entry, LayerKind, Manifest, Node, FORMAT};
use super::pack::{default_workers, pack_archive, special_file, Compression};
use super::{create_dir_or_symlink, Scratch, ARCHIVE, MANIFEST, MTIME, PREV, TREE};
use crate::digest;
use crate::error::{Error, Result};
use crate::paths;

/// Size of the buffer files are hashed through.
const HASH_BUFFER_SIZE: usize = 256 * 1024;

/// How to pack a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOptions {
    pub kind: LayerKind,
    /// The artifacts the target directory was restored from, if any: a
    /// layer, a directory holding `target.tar.zst`, or such an archive.
    pub base: Option<PathBuf>,
    /// Pack a complete layer that does not depend on `base`, which is then
    /// not even read: to start a new chain.
    pub full: bool,
    /// How a zstd layer's archive is compressed.
    pub compression: Compression,
    /// Threads hashing and compressing.
    pub workers: u32,
}

impl PackOptions {
    /// Packing a `kind` layer as a command line asks: over the artifacts
    /// `base` unless `full`, compressed as the zstd options `zstd_args` say
    /// (see [`Compression::with_zstd_args`]), with one thread per core.
    pub fn from_args(
        kind: LayerKind,
        base: Option<PathBuf>,
        full: bool,
        zstd_args: &str,
    ) -> Result<Self> {
        Ok(PackOptions {
            base,
            full,
            compression: Compression::default().with_zstd_args(zstd_args)?,
            ..PackOptions::new(kind)
        })
    }

    /// Packing a complete `kind` layer with the default compression, one
    /// thread per core.
    pub fn new(kind: LayerKind) -> Self {
        PackOptions {
            kind,
            base: None,
            full: false,
            compression: Compression::default(),
            workers: default_workers(),
        }
    }
}

/// What packing did, for its one line of report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSummary {
    pub kind: LayerKind,
    /// The layer packed over: the manifest compared against.
    pub base: Option<PathBuf>,
    /// Regular files in the target directory, and their total size.
    pub files: u64,
    pub bytes: u64,
    /// Files stored in the layer (the others are unchanged in a zstd layer,
    /// or pointers in a symlink layer), and their total size.
    pub stored_files: u64,
    pub stored_bytes: u64,
    /// Entries of the base gone from the target directory.
    pub deleted: usize,
}

impl fmt::Display for PackSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "packed {} files ({}), stored {} ({}) in ",
            self.files,
            mebibytes(self.bytes),
            self.stored_files,
            mebibytes(self.stored_bytes)
        )?;
        match &self.base {
            Some(base) => write!(
                f,
                "{} layer over {}; {} deleted",
                self.kind,
                base.display(),
                self.deleted
            ),
            None if self.kind == LayerKind::Zstd => f.write_str("full zstd layer"),
            None => write!(f, "{} layer", self.kind),
        }
    }
}

fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Packs the target directory `target` into a new layer in the directory
/// `out`, created if missing. `out` may already hold other things (a
/// package's `bin/`, say) but none of a layer's own names.
///
/// The layer is put together in a scratch directory inside `out` and its
/// pieces are then renamed into place, the manifest last: `out` holds a
/// layer only once it holds all of it. Packing the same tree over the same
/// base gives the same bytes.
pub fn pack(target: &Path, out: &Path, options: &PackOptions) -> Result<PackSummary> {
    check_free(out)?;
    let chain = match &options.base {
        Some(base) if !options.full => match Artifacts::open(base)? {
            Artifacts::Layers(chain) => Some(chain),
            Artifacts::Crane(_) => None,
        },
        _ => None,
    };
    let base = chain.as_ref().map(|chain| &chain.newest);
    let base_nodes = base.map_or_else(HashMap::new, |base| base.manifest.nodes());

    let found = scan(target)?;
    let entries = describe(target, &found, &base_nodes, options.workers)?;
    let present: HashSet<&Path> = entries.iter().map(|entry| entry.path.as_path()).collect();
    let deleted: Vec<PathBuf> = base
        .map(|base| &base.manifest.entries[..])
        .unwrap_or_default()
        .iter()
        .filter(|entry| !present.contains(entry.path.as_path()))
        .map(|entry| entry.path.clone())
        .collect();

    let out = create_out(out)?;
    let layer = Scratch {
        path: out.join(format!(".gantry-pack-{}", std::process::id())),
    };
    paths::create_dir(layer.path())?;
    let incremental = options.kind == LayerKind::Zstd && base.is_some();
    let stored = match options.kind {
        LayerKind::Zstd => {
            // The changes, in the order of the tree: only what the base
            // lacks or holds differently.
            let changed: Vec<&Entry> = entries
                .iter()
                .filter(|entry| base_nodes.get(entry.path.as_path()) != Some(&&entry.node))
                .collect();
            if let Some(base) = base {
                let prev = layer.path().join(PREV);
                paths::symlink(&base.dir, &prev)?;
            }
            let archive = layer.path().join(ARCHIVE);
            let paths = changed.iter().map(|entry| &entry.path);
            pack_archive(
                target,
                paths,
                &archive,
                options.compression,
                options.workers,
            )?;
            Stored::of(changed)
        }
        LayerKind::Symlink => {
            let pool = chain.as_ref().and_then(|chain| chain.symlink_layer());
            write_tree(target, &entries, pool, &out, layer.path())?
        }
    };

    let all = Stored::of(&entries);
    let manifest = Manifest {
        format: FORMAT,
        kind: options.kind,
        base: base.map(|base| base.dir.clone()),
        incremental,
        entries,
        deleted,
    };
    manifest.write(layer.path())?;
    for name in [PREV, ARCHIVE, TREE, MANIFEST] {
        let piece = layer.path().join(name);
        if fs::symlink_metadata(&piece).is_ok() {
            paths::rename(&piece, out.join(name))?;
        }
    }
    Ok(PackSummary {
        kind: options.kind,
        base: manifest.base,
        files: all.files,
        bytes: all.bytes,
        stored_files: stored.files,
        stored_bytes: stored.bytes,
        deleted: manifest.deleted.len(),
    })
}

/// Checks that `out` is a directory holding none of a layer's names, or
/// missing; it is created only once the target directory has been read, so
/// a failure up to then leaves nothing behind.
pub(super) fn check_free(out: &Path) -> Result<()> {
    match paths::metadata_if_exists(out)? {
        Some(metadata) if !metadata.is_dir() => {
            return Err(Error::new("exists and is not a directory").with_path(out))
        }
        Some(_) => {}
        None => return Ok(()),
    }
    for name in [MANIFEST, ARCHIVE, TREE, PREV] {
        if fs::symlink_metadata(out.join(name)).is_ok() {
            return Err(Error::new(format!(
                "already holds {name}; artifacts can be installed only once per directory"
            ))
            .with_path(out));
        }
    }
    Ok(())
}

/// Creates `out` if missing and returns its canonical path, which symlink
/// layers point into.
pub(super) fn create_out(out: &Path) -> Result<PathBuf> {
    paths::create_dir_all(out)?;
    paths::canonicalize(out)
}

/// A count of files and of their bytes.
#[derive(Default)]
struct Stored {
    files: u64,
    bytes: u64,
}

impl Stored {
    /// The regular files among `entries`.
    fn of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Self {
        let mut stored = Stored::default();
        for entry in entries {
            if let Node::File { size, .. } = entry.node {
                stored.add(size);
            }
        }
        stored
    }

    fn add(&mut self, size: u64) {
        self.files += 1;
        self.bytes += size;
    }
}

/// An entry of the target directory as found on disk.
struct Found {
    /// Relative to the target directory.
    path: PathBuf,
    kind: FoundKind,
}

enum FoundKind {
    Dir {
        mode: u32,
    },
    File {
        mode: u32,
        size: u64,
        /// Whether the file has the time unpacking gives.
        unpacked_time: bool,
        /// Device and inode: names of one file are read once.
        inode: (u64, u64),
    },
    Symlink {
        target: PathBuf,
    },
}

/// The entries below `target`, in sorted order. A missing target directory
/// has none: a build that never ran cargo (a formatting check, say)
/// installs an empty layer, as crane installs an empty archive.
fn scan(target: &Path) -> Result<Vec<Found>> {
    let Some(metadata) = paths::metadata_if_exists(target)? else {
        return Ok(Vec::new());
    };
    if !metadata.is_dir() {
        return Err(Error::new("not a directory").with_path(target));
    }
    let not_utf8 = |path: &Path| {
        Error::new("not UTF-8, which the manifest cannot record; rename it").with_path(path)
    };
    let mut found = Vec::new();
    let walk = WalkDir::new(target)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|error| paths::walk_error(target, error))?;
        let full = entry.path();
        // WalkDir builds every path by joining names onto `target`.
        let path = full.strip_prefix(target).unwrap_or(full).to_path_buf();
        if path.to_str().is_none() {
            return Err(not_utf8(full));
        }
        let metadata = paths::entry_metadata(&entry)?;
        let mode = metadata.permissions().mode() & 0o777;
        let kind = if metadata.is_dir() {
            FoundKind::Dir { mode }
        } else if metadata.is_file() {
            FoundKind::File {
                mode,
                size: metadata.len(),
                unpacked_time: u64::try_from(metadata.mtime()) == Ok(MTIME)
                    && metadata.mtime_nsec() == 0,
                inode: (metadata.dev(), metadata.ino()),
            }
        } else if metadata.is_symlink() {
            let target = paths::read_link(full)?;
            if target.to_str().is_none() {
                return Err(not_utf8(full));
            }
            FoundKind::Symlink { target }
        } else {
            return Err(special_file(full));
        };
        found.push(Found { path, kind });
    }
    Ok(found)
}

/// A manifest entry, possibly still waiting for its file's digest.
enum Described {
    Done(Node),
    /// A file to read: `job` indexes the files to hash.
    Unread {
        mode: u32,
        size: u64,
        job: usize,
    },
}

/// The manifest entries of the `found` entries of `target`, reading the
/// files whose digest `base` cannot give.
fn describe(
    target: &Path,
    found: &[Found],
    base: &HashMap<&Path, &Node>,
    workers: u32,
) -> Result<Vec<Entry>> {
    let mut jobs: Vec<(&Path, u64)> = Vec::new();
    let mut job_of_inode: HashMap<(u64, u64), usize> = HashMap::new();
    let mut described = Vec::with_capacity(found.len());
    for entry in found {
        let node = match &entry.kind {
            FoundKind::Dir { mode } => Described::Done(Node::Dir { mode: *mode }),
            FoundKind::Symlink { target } => Described::Done(Node::Symlink {
                target: target.clone(),
            }),
            &FoundKind::File {
                mode,
                size,
                unpacked_time,
                inode,
            } => match base.get(entry.path.as_path()) {
                Some(Node::File {
                    mode: base_mode,
                    size: base_size,
                    sha256,
                }) if unpacked_time && *base_mode == mode && *base_size == size => {
                    Described::Done(Node::File {
                        mode,
                        size,
                        sha256: sha256.clone(),
                    })
                }
                _ => Described::Unread {
                    mode,
                    size,
                    job: *job_of_inode.entry(inode).or_insert_with(|| {
                        jobs.push((&entry.path, size));
                        jobs.len() - 1
                    }),
                },
            },
        };
        described.push(node);
    }
    let digests = hash_files(target, &jobs, workers)?;
    let entries = found
        .iter()
        .zip(described)
        .map(|(entry, node)| Entry {
            path: entry.path.clone(),
            node: match node {
                Described::Done(node) => node,
                Described::Unread { mode, size, job } => Node::File {
                    mode,
                    size,
                    sha256: digests[job].clone(),
                },
            },
        })
        .collect();
    Ok(entries)
}

/// The sha256 of each `(path, size)` of `jobs`, relative to `root`, read on
/// up to `workers` threads.
fn hash_files(root: &Path, jobs: &[(&Path, u64)], workers: u32) -> Result<Vec<String>> {
    let next = AtomicUsize::new(0);
    let threads = usize::try_from(workers)
        .unwrap_or(usize::MAX)
        .clamp(1, jobs.len().max(1));
    let hash_some = || -> Result<Vec<(usize, String)>> {
        let mut buffer = vec![0; HASH_BUFFER_SIZE];
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(path, size)) = jobs.get(index) else {
                return Ok(done);
            };
            match sha256_of(&root.join(path), size, &mut buffer) {
                Ok(digest) => done.push((index, digest)),
                Err(error) => {
                    // The others stop at their next file.
                    next.store(jobs.len(), Ordering::Relaxed);
                    return Err(error);
                }
            }
        }
    };
    let outcomes: Vec<Result<Vec<(usize, String)>>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(hash_some)).collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut digests = vec![String::new(); jobs.len()];
    for outcome in outcomes {
        for (index, digest) in outcome? {
            digests[index] = digest;
        }
    }
    Ok(digests)
}

/// The sha256 of the file at `path`, in hex, checking that it still has
/// `size` bytes.
fn sha256_of(path: &Path, size: u64, buffer: &mut [u8]) -> Result<String> {
    let (digest, read) = digest::sha256_of_file(path, buffer)?;
    if read != size {
        return Err(Error::new("the file changed while being packed").with_path(path));
    }
    Ok(digest)
}

/// Writes the `target/` tree of a symlink layer being put together in
/// `layer`, to be renamed to `out`. A file whose contents `pool` (the
/// symlink layer of the base's chain) or an earlier file of this layer
/// already holds becomes an absolute symlink to that real file; the others
/// are copied. Returns the count of copies.
fn write_tree(
    target: &Path,
    entries: &[Entry],
    pool: Option<&Layer>,
    out: &Path,
    layer: &Path,
) -> Result<Stored> {
    // The first file with given contents, in the pool and in this layer.
    let mut in_pool: HashMap<&str, (&Layer, &Path)> = HashMap::new();
    if let Some(pool) = pool {
        for entry in &pool.manifest.entries {
            if let Node::File { sha256, .. } = &entry.node {
                in_pool.entry(sha256).or_insert((pool, &entry.path));
            }
        }
    }
    let mut copies: HashMap<&str, PathBuf> = HashMap::new();
    let mut stored = Stored::default();

    let tree = layer.join(TREE);
    paths::create_dir(&tree)?;
    for entry in entries {
        let dest = tree.join(&entry.path);
        let Node::File { size, sha256, .. } = &entry.node else {
            create_dir_or_symlink(&entry.node, &dest)?;
            continue;
        };
        let earlier = match copies.get(sha256.as_str()) {
            Some(copy) => Some(copy.clone()),
            None => in_pool
                .get(sha256.as_str())
                .map(|&(pool, path)| real_file(pool, path, *size))
                .transpose()?,
        };
        match earlier {
            Some(real) => paths::symlink(real, &dest)?,
            None => {
                copy_file(&target.join(&entry.path), &dest, *size)?;
                copies.insert(sha256, out.join(TREE).join(&entry.path));
                stored.add(*size);
            }
        }
    }
    Ok(stored)
}

/// The real file holding the contents of the file `path` of the symlink
/// layer `pool`: its copy, or where its pointer leads.
pub(super) fn real_file(pool: &Layer, path: &Path, size: u64) -> Result<PathBuf> {
    let stored = pool.stored_file(path);
    let mut metadata = paths::symlink_metadata(&stored)?;
    let mut real = stored.clone();
    if metadata.is_symlink() {
        real = paths::read_link(&stored)?;
        if real.is_relative() {
            // stdenv's fixup makes symlinks within an output relative.
            let joined = stored.parent().unwrap_or(Path::new("/")).join(&real);
            let action = format!("cannot resolve {}", joined.display());
            real = fs::canonicalize(&joined).map_err(paths::error_at(&action, &stored))?;
        }
        let action = format!("cannot read {}", real.display());
        metadata = fs::symlink_metadata(&real).map_err(paths::error_at(&action, &stored))?;
    }
    if !real.is_absolute() || !metadata.is_file() || metadata.len() != size {
        return Err(Error::new(format!(
            "the base layer's copy of this file is broken: the manifest lists a file of {size} \
             bytes, stored as a real file or an absolute symlink to one"
        ))
        .with_path(stored));
    }
    Ok(real)
}

/// Copies the file `from` of the target directory to `to`.
fn copy_file(from: &Path, to: &Path, size: u64) -> Result<()> {
    let copied = paths::copy(from, to)?;
    if copied != size {
        return Err(Error::new("the file changed while being packed").with_path(from));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_chooses_base_and_compression() {
        let options = PackOptions::from_args(
            LayerKind::Zstd,
            Some(PathBuf::from("base")),
            true,
            "-19 --long=27",
        )
        .unwrap();
        assert_eq!(
            options,
            PackOptions {
                kind: LayerKind::Zstd,
                base: Some(PathBuf::from("base")),
                full: true,
                compression: Compression::default()
                    .with_zstd_args("-19 --long=27")
                    .unwrap(),
                workers: default_workers(),
            }
        );
        assert_eq!(
            PackOptions::from_args(LayerKind::Symlink, None, false, "").unwrap(),
            PackOptions::new(LayerKind::Symlink)
        );
        let error =
            PackOptions::from_args(LayerKind::Zstd, None, false, "--rsyncable").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("zstdCompressionExtraArgs: `--rsyncable`"),
            "{error}"
        );
    }
}
