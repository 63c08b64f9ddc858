//! Extraction of an archive, trusting nothing in it.
//!
//! Everything is first written to a fresh staging directory next to the
//! destination, where entries can only create paths inside it and never
//! write through a symlink. The archive is read to its very end, which
//! verifies the zstd checksum, before anything is moved to the destination:
//! a corrupt or truncated archive leaves the destination as it was.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, FileTimes, OpenOptions, Permissions};
use std::io::{self, Read, Seek, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvError, SyncSender};
use std::thread;
use std::time::{Duration, SystemTime};

use tar::{Archive, Entry};

use super::Scratch;
use crate::error::{Context, Error, Result};
use crate::paths;

/// The first bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Permission bits every restored file gets on top of the archived ones:
/// the user must be able to overwrite what a later build produces.
pub(super) const FILE_OWNER_BITS: u32 = 0o200;

/// Permission bits every restored directory gets on top of the archived
/// ones: the user must be able to add to it and clean it up.
const DIR_OWNER_BITS: u32 = 0o700;

/// The largest zstd window accepted, zstd's own limit: an archive needing
/// more cannot have been written by zstd.
const WINDOW_LOG_MAX: u32 = 31;

/// Size of the buffer file contents are copied through.
const COPY_BUFFER_SIZE: usize = 256 * 1024;

/// Size of the pieces of decompressed data handed from the decompressing
/// thread to the writing one, and how many may wait: a few MiB of memory
/// at most, whatever the archive's size.
const CHUNK_SIZE: usize = 1024 * 1024;
const CHUNKS_AHEAD: usize = 4;

/// Unpacks the archive at `archive` into the directory `dest`, creating it
/// if missing and otherwise merging into it: files from the archive replace
/// files already there, other files stay.
///
/// Files and directories get the archived permission bits plus owner write
/// (and search) access, and the archived modification time. Symlinks keep
/// the time of unpacking: the standard library cannot set a symlink's own
/// times, and cargo only looks at the times of what they point to.
///
/// A bad archive leaves `dest` untouched. Only a failure while moving the
/// unpacked entries into an existing `dest` (a full disk, say) can leave it
/// partly updated.
pub fn unpack_archive(archive: &Path, dest: &Path) -> Result<()> {
    let destination = Destination::prepare(dest)?;
    let directories = extract_file(archive, destination.staging(), Names::AsStored)?;
    destination.finish(&directories)
}

/// How the names stored in an archive map to paths below the unpacking
/// root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Names {
    /// As they are: gantry stores paths relative to the target directory.
    AsStored,
    /// Without their first component, as `tar --strip-components=1` does:
    /// crane archives the target directory under its own name (`target/…`)
    /// and unpacks it so. An entry naming nothing more is skipped.
    StripFirst,
}

/// Extracts the archive at `archive` into the empty directory `root`.
/// Returns the directory entries, whose metadata is restored only once
/// they are in place.
pub(super) fn extract_file(archive: &Path, root: &Path, names: Names) -> Result<Vec<Directory>> {
    let mut file = paths::open(archive)?;
    expect_zstd(&mut file).with_path(archive)?;
    extract(file, root, names).with_path(archive)
}

/// The directory being unpacked into, and the staging directory next to it
/// where everything is put together first.
pub(super) struct Destination {
    /// Resolved if it exists, so that `.` and the like can be merged into.
    path: PathBuf,
    exists: bool,
    staging: Scratch,
}

impl Destination {
    /// Checks `dest`, creates its missing parents and the empty staging
    /// directory.
    pub(super) fn prepare(dest: &Path) -> Result<Self> {
        let (path, exists) = match paths::metadata_if_exists(dest)? {
            Some(metadata) if metadata.is_dir() => {
                let resolved = paths::canonicalize(dest)?;
                (resolved, true)
            }
            Some(_) => return Err(Error::new("not a directory").with_path(dest)),
            None => {
                // A nested target directory (`some/nested/dir`): its parents
                // are made, as `mkdir -p` does for crane.
                if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
                    paths::create_dir_all(parent)?;
                }
                (dest.to_path_buf(), false)
            }
        };
        let staging = Scratch::next_to(&path, "unpack")?;
        paths::create_dir(staging.path())?;
        Ok(Destination {
            path,
            exists,
            staging,
        })
    }

    /// The destination itself.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// The staging directory, to fill with the complete result.
    pub(super) fn staging(&self) -> &Path {
        self.staging.path()
    }

    /// Moves the staging directory's contents into the destination, then
    /// gives `directories` (relative paths) their mode and time.
    pub(super) fn finish(self, directories: &[Directory]) -> Result<()> {
        let dest = &self.path;
        if self.exists {
            make_owner_writable(dest)?;
            merge(self.staging(), dest)?;
        } else {
            paths::rename(self.staging(), dest)?;
        }
        restore_directories(dest, directories)
    }
}

/// Checks that `file` starts like a zstd stream, for a clear message when
/// handed something else; leaves it positioned at its start.
pub(super) fn expect_zstd(file: &mut File) -> Result<()> {
    let mut magic = [0; ZSTD_MAGIC.len()];
    let is_zstd = match file.read_exact(&mut magic) {
        Ok(()) => magic == ZSTD_MAGIC,
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => false,
        Err(error) => return Err(Error::io("cannot read", error)),
    };
    if !is_zstd {
        return Err(Error::new("not a zstd-compressed archive"));
    }
    file.rewind()
        .map_err(|error| Error::io("cannot read", error))
}

/// A failure to read the archive itself.
fn corrupt(error: io::Error) -> Error {
    Error::io("corrupt or truncated archive", error)
}

/// Extracts the zstd-compressed tar `file` into the empty directory
/// `root`. Returns the directory entries, whose metadata is restored only
/// once they are in place.
///
/// Decompression runs on a thread of its own, a few chunks ahead of the
/// writing of files: the two take about as long as each other, so this is
/// what `zstd -d | tar -x` gets from being two processes.
fn extract(file: File, root: &Path, names: Names) -> Result<Vec<Directory>> {
    let mut decoder = zstd::Decoder::new(file).map_err(corrupt)?;
    // Archives packed with a long window (zstdCompressionExtraArgs =
    // "--long=31", as `zstd -d --long=31` would need).
    decoder.window_log_max(WINDOW_LOG_MAX).map_err(corrupt)?;
    thread::scope(|scope| {
        let (sender, chunks) = mpsc::sync_channel(CHUNKS_AHEAD);
        scope.spawn(move || decompress(decoder, &sender));
        let mut archive = Archive::new(Prefetched::new(chunks));
        let mut staging = Staging {
            root,
            names,
            made_dirs: HashSet::new(),
            directories: Vec::new(),
            buffer: vec![0; COPY_BUFFER_SIZE],
        };
        for entry in archive.entries().map_err(corrupt)? {
            let mut entry = entry.map_err(corrupt)?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            staging
                .add(&mut entry)
                .map_err(|error| error.with_entry(name))?;
        }
        // The tar data ends before the zstd stream does. Reading the rest
        // makes zstd verify its checksum and notice a truncation.
        io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(corrupt)?;
        Ok(staging.directories)
    })
}

/// Reads `decoder` to its end in chunks sent to `chunks`, or up to its
/// first error, which is sent too. Stops early when the receiving end is
/// gone (the extraction failed).
fn decompress(mut decoder: impl Read, chunks: &SyncSender<io::Result<Vec<u8>>>) {
    loop {
        let mut chunk = vec![0; CHUNK_SIZE];
        let read = match decoder.read(&mut chunk) {
            Ok(0) => return,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                let _ = chunks.send(Err(error));
                return;
            }
        };
        chunk.truncate(read);
        if chunks.send(Ok(chunk)).is_err() {
            return;
        }
    }
}

/// The decompressed stream, read from the chunks [`decompress`] sends.
struct Prefetched {
    chunks: Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    position: usize,
}

impl Prefetched {
    fn new(chunks: Receiver<io::Result<Vec<u8>>>) -> Self {
        Prefetched {
            chunks,
            current: Vec::new(),
            position: 0,
        }
    }
}

impl Read for Prefetched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.current.len() {
            match self.chunks.recv() {
                Ok(chunk) => {
                    self.current = chunk?;
                    self.position = 0;
                }
                // The decompressing side is done: the end of the stream.
                Err(RecvError) => return Ok(0),
            }
        }
        let rest = &self.current[self.position..];
        let read = rest.len().min(buf.len());
        buf[..read].copy_from_slice(&rest[..read]);
        self.position += read;
        Ok(read)
    }
}

/// Mode and time of a directory entry, relative to the unpacking root.
pub(super) struct Directory {
    pub(super) path: PathBuf,
    pub(super) mode: u32,
    pub(super) mtime: SystemTime,
}

/// The staging directory being filled from the archive.
struct Staging<'a> {
    root: &'a Path,
    names: Names,
    /// Directories created by this extraction, relative to `root`. Entries
    /// are only ever written below these: anything else found at a parent
    /// path is a file or symlink from an earlier entry, and writing through
    /// a symlink could reach outside `root`.
    made_dirs: HashSet<PathBuf>,
    directories: Vec<Directory>,
    buffer: Vec<u8>,
}

impl Staging<'_> {
    /// Writes one archive entry below `root`.
    fn add(&mut self, entry: &mut Entry<'_, impl Read>) -> Result<()> {
        let header = entry.header();
        let kind = header.entry_type();
        if kind.is_pax_global_extensions() {
            // Metadata for tar programs, not a file.
            return Ok(());
        }
        let invalid_header = |error| Error::io("invalid header", error);
        let mode = header.mode().map_err(invalid_header)? & 0o777;
        let mtime = header.mtime().map_err(invalid_header)?;
        let mtime = SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_secs(mtime))
            .ok_or_else(|| Error::new("modification time out of range"))?;
        let link_name = entry.link_name_bytes().map(|name| name.into_owned());

        let Some(path) = self.path_of(&entry.path_bytes()).map_err(Error::new)? else {
            return Ok(());
        };
        if path.as_os_str().is_empty() {
            // `./`: the unpacking root itself, which already exists.
            if kind.is_dir() {
                return Ok(());
            }
            return Err(Error::new("names the archive root but is not a directory"));
        }
        self.make_parents(&path)?;

        if kind.is_dir() {
            if !self.made_dirs.contains(&path) {
                self.make_dir(&path)?;
            }
            self.directories.push(Directory { path, mode, mtime });
            Ok(())
        } else if kind.is_file() {
            self.write_file(entry, &path, mode | FILE_OWNER_BITS, mtime)
        } else if kind.is_symlink() {
            let target = link_name
                .filter(|target| !target.is_empty())
                .ok_or_else(|| Error::new("symlink without a target"))?;
            std::os::unix::fs::symlink(OsStr::from_bytes(&target), self.root.join(&path))
                .map_err(create_error)
        } else if kind.is_hard_link() {
            let raw_target = link_name.unwrap_or_default();
            let target = self
                .path_of(&raw_target)
                .map_err(|problem| hard_link_error(&raw_target, problem))?
                .ok_or_else(|| hard_link_error(&raw_target, "names no file"))?;
            if !self.is_extracted_file(&target) {
                return Err(hard_link_error(
                    &raw_target,
                    "not a file unpacked before the link",
                ));
            }
            fs::hard_link(self.root.join(&target), self.root.join(&path)).map_err(create_error)
        } else {
            Err(Error::new(format!(
                "unsupported entry type {kind:?}; only files, directories and links can be unpacked"
            )))
        }
    }

    /// The path below `root` the stored name `raw` stands for; `None` when
    /// stripping its first component leaves nothing.
    fn path_of(&self, raw: &[u8]) -> std::result::Result<Option<PathBuf>, &'static str> {
        let path = relative_path(raw)?;
        Ok(match self.names {
            Names::AsStored => Some(path),
            Names::StripFirst => {
                let rest: PathBuf = path.components().skip(1).collect();
                (!rest.as_os_str().is_empty()).then_some(rest)
            }
        })
    }

    /// Creates the missing directories above `path`.
    fn make_parents(&mut self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let missing: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|dir| !dir.as_os_str().is_empty() && !self.made_dirs.contains(*dir))
            .map(Path::to_path_buf)
            .collect();
        for dir in missing.into_iter().rev() {
            self.make_dir(&dir)?;
        }
        Ok(())
    }

    /// Creates the directory `path`, whose parent this extraction made.
    fn make_dir(&mut self, path: &Path) -> Result<()> {
        let full = self.root.join(path);
        match fs::create_dir(&full) {
            Ok(()) => {
                self.made_dirs.insert(path.to_path_buf());
                Ok(())
            }
            // Not in `made_dirs`, so an earlier entry put something else there.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                let is_symlink = fs::symlink_metadata(&full)
                    .is_ok_and(|metadata| metadata.file_type().is_symlink());
                let problem = if is_symlink {
                    "is a symlink, and writing through it could leave the destination"
                } else {
                    "is not a directory"
                };
                Err(Error::new(format!("`{}` {problem}", path.display())))
            }
            Err(error) => Err(Error::io(
                format!("cannot create directory `{}`", path.display()),
                error,
            )),
        }
    }

    /// Writes the contents of `entry` to the new file `path`.
    fn write_file(
        &mut self,
        entry: &mut Entry<'_, impl Read>,
        path: &Path,
        mode: u32,
        mtime: SystemTime,
    ) -> Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(self.root.join(path))
            .map_err(create_error)?;
        let write_error = |error| Error::io("cannot write", error);
        let mut written = 0;
        loop {
            let read = entry.read(&mut self.buffer).map_err(corrupt)?;
            if read == 0 {
                break;
            }
            file.write_all(&self.buffer[..read]).map_err(write_error)?;
            written += read as u64;
        }
        if written != entry.size() {
            return Err(Error::new("truncated archive: the contents end early"));
        }
        file.set_permissions(Permissions::from_mode(mode))
            .map_err(write_error)?;
        file.set_times(FileTimes::new().set_modified(mtime))
            .map_err(write_error)
    }

    /// Whether `path` is a regular file reached through directories this
    /// extraction made, so linking to it cannot reach outside `root`.
    fn is_extracted_file(&self, path: &Path) -> bool {
        let parent_made = path
            .parent()
            .is_some_and(|parent| parent.as_os_str().is_empty() || self.made_dirs.contains(parent));
        parent_made
            && fs::symlink_metadata(self.root.join(path)).is_ok_and(|metadata| metadata.is_file())
    }
}

/// The relative path an entry names, with `.` components dropped (GNU tar
/// writes `./x`); an error message if it could leave the unpacking root.
fn relative_path(raw: &[u8]) -> std::result::Result<PathBuf, &'static str> {
    let mut path = PathBuf::new();
    for component in Path::new(OsStr::from_bytes(raw)).components() {
        match component {
            Component::Normal(name) => path.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                return Err("path contains `..` and could leave the destination")
            }
            Component::RootDir | Component::Prefix(_) => return Err("absolute path"),
        }
    }
    Ok(path)
}

/// A problem with the target of a hard link.
fn hard_link_error(target: &[u8], problem: &str) -> Error {
    Error::new(format!(
        "hard link target `{}`: {problem}",
        String::from_utf8_lossy(target)
    ))
}

/// A failure to create a path in the staging directory.
fn create_error(error: io::Error) -> Error {
    match error.kind() {
        io::ErrorKind::AlreadyExists => Error::new("path already used by an earlier entry"),
        _ => Error::io("cannot create", error),
    }
}

/// Moves everything in the directory `from` into the directory `into`:
/// directories present in both are merged, anything else already in `into`
/// is replaced. Nothing in `into` is followed: a symlink there is replaced,
/// never written through.
pub(super) fn merge(from: &Path, into: &Path) -> Result<()> {
    // Listed up front: the directory changes as entries move out of it.
    let mut moves: Vec<(OsString, bool)> = Vec::new();
    for entry in paths::read_dir(from)? {
        moves.push((entry.file_name(), paths::entry_type(&entry)?.is_dir()));
    }
    for (name, is_dir) in moves {
        let source = from.join(&name);
        let target = into.join(&name);
        let existing =
            paths::symlink_metadata_if_exists(&target)?.map(|metadata| metadata.file_type());
        match existing {
            Some(existing) if existing.is_dir() && is_dir => {
                make_owner_writable(&target)?;
                merge(&source, &target)?;
                continue;
            }
            Some(existing) if existing.is_dir() => paths::remove_dir_all(&target)?,
            // `rename` replaces a file or symlink with a file or symlink in
            // one step, but cannot put a directory in their place.
            Some(_) if is_dir => paths::remove_file(&target)?,
            Some(_) | None => {}
        }
        paths::rename(&source, &target)?;
    }
    Ok(())
}

/// Gives the owner full access to the existing directory `dir`, which is
/// about to receive entries.
fn make_owner_writable(dir: &Path) -> Result<()> {
    let mode = paths::symlink_metadata(dir)?.permissions().mode();
    if mode & DIR_OWNER_BITS == DIR_OWNER_BITS {
        return Ok(());
    }
    paths::set_mode(dir, mode | DIR_OWNER_BITS)
}

/// Gives the directories of the archive their mode and time, now that
/// nothing is written into them any more.
fn restore_directories(root: &Path, directories: &[Directory]) -> Result<()> {
    for directory in directories {
        let path = root.join(&directory.path);
        let restore_error = paths::error_at("cannot set mode and time", &path);
        let handle = paths::open(&path)?;
        handle
            .set_permissions(Permissions::from_mode(directory.mode | DIR_OWNER_BITS))
            .map_err(&restore_error)?;
        handle
            .set_times(FileTimes::new().set_modified(directory.mtime))
            .map_err(&restore_error)?;
    }
    Ok(())
}
