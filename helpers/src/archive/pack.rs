//! Deterministic packing of entries of a directory tree into a `.tar.zst`.
//!
//! The archive depends only on the names it is given, in their order, and
//! on their contents, permission bits, link targets and hard links: times,
//! owners and the compressor's thread count leave no trace.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tar::{Builder, EntryType, Header};

use super::{Scratch, MTIME};
use crate::error::{Context, Error, Result};

/// A fast zstd level. On its own it would compress worse than level 3
/// (crane's `zstd -T0`), but with long-distance matching over [`WINDOW_LOG`]
/// it is both faster and smaller: a crate's metadata is written up to three
/// times (the check `.rmeta`, the build `.rmeta` and inside the `.rlib`),
/// megabytes apart in the tar, where level 3's window does not reach.
/// Measured on ripgrep's dependency target dir (183 MB): level 3 47 MB in
/// 0.47 s, this 42 MB in 0.40 s, and it unpacks faster too.
const LEVEL: i32 = -1;

/// A 16 MiB window for long-distance matching: large enough to span a
/// crate's artifacts, small enough that unpacking needs no special decoder
/// setting (zstd accepts up to 128 MiB by default, `zstd -d` too) and its
/// memory stays bounded whatever the target dir's size.
const WINDOW_LOG: u32 = 24;

/// How much input each compression thread takes at a time. Long-distance
/// matching would otherwise pick jobs of four windows (64 MiB), leaving one
/// core idle on all but the largest target dirs.
const JOB_SIZE: u32 = 8 << 20;

/// Name GNU tar gives the extra entry that holds a long link target.
const GNU_LONG_LINK_NAME: &[u8] = b"././@LongLink";

/// The number of compression threads to use: one per available core.
pub fn default_workers() -> u32 {
    std::thread::available_parallelism()
        .map_or(1, |cores| u32::try_from(cores.get()).unwrap_or(u32::MAX))
}

/// Packs the entries `paths` of the directory `source` (relative to it, in
/// the given order) into a zstd-compressed tar at `archive`, compressing
/// with `workers` threads. A directory stands for itself alone: its
/// contents are packed only if listed too. Listing the whole tree with
/// names sorted gives a complete, deterministic archive.
///
/// A file with several links whose other name came earlier in `paths`
/// becomes a hard link to it; hard links never point at a name left out.
///
/// zstd's multithreaded mode gives the same bytes for any number of
/// workers, but not the same as its single-threaded mode, so at least one
/// worker is always used: archives do not depend on the machine.
///
/// The archive is written next to its destination and renamed into place,
/// so `archive` is never left half-written.
pub fn pack_archive(
    source: &Path,
    paths: impl IntoIterator<Item = impl AsRef<Path>>,
    archive: &Path,
    workers: u32,
) -> Result<()> {
    let metadata = fs::metadata(source)
        .map_err(|error| Error::io("cannot read", error))
        .with_path(source)?;
    if !metadata.is_dir() {
        return Err(Error::new("not a directory").with_path(source));
    }
    let scratch = Scratch::next_to(archive, "pack")?;
    write_archive(source, paths, scratch.path(), workers.max(1))?;
    fs::rename(scratch.path(), archive)
        .map_err(|error| Error::io(format!("cannot rename to {}", archive.display()), error))
        .with_path(scratch.path())
}

/// Writes the archive of `paths` in `source` to the file `out`.
fn write_archive(
    source: &Path,
    paths: impl IntoIterator<Item = impl AsRef<Path>>,
    out: &Path,
    workers: u32,
) -> Result<()> {
    let file = File::create(out)
        .map_err(|error| Error::io("cannot create", error))
        .with_path(out)?;
    let write_error = |error| Error::io("cannot write", error).with_path(out);

    let mut encoder = zstd::Encoder::new(BufWriter::new(file), LEVEL).map_err(write_error)?;
    // The checksum lets unpacking detect corruption and truncation.
    encoder.include_checksum(true).map_err(write_error)?;
    encoder.multithread(workers).map_err(write_error)?;
    encoder.long_distance_matching(true).map_err(write_error)?;
    encoder.window_log(WINDOW_LOG).map_err(write_error)?;
    encoder
        .set_parameter(zstd::stream::raw::CParameter::JobSize(JOB_SIZE))
        .map_err(write_error)?;

    let mut packer = Packer {
        builder: Builder::new(encoder),
        first_names: HashMap::new(),
    };
    for name in paths {
        let name = name.as_ref();
        packer.append(&source.join(name), name)?;
    }
    let encoder = packer.builder.into_inner().map_err(write_error)?;
    let buffered = encoder.finish().map_err(write_error)?;
    buffered
        .into_inner()
        .map_err(|error| write_error(error.into_error()))?;
    Ok(())
}

/// The archive being written.
struct Packer<W: Write> {
    builder: Builder<W>,
    /// Names in the archive of the files with several links seen so far, by
    /// device and inode. Later names of such a file become hard links to the
    /// first, as with GNU tar: cargo links every binary it builds into two
    /// places, and a second copy would double its share of the archive.
    first_names: HashMap<(u64, u64), PathBuf>,
}

impl<W: Write> Packer<W> {
    /// Appends the file, directory or symlink at `path` as `name`.
    fn append(&mut self, path: &Path, name: &Path) -> Result<()> {
        let metadata = fs::symlink_metadata(path)
            .map_err(|error| Error::io("cannot read", error))
            .with_path(path)?;
        let mode = metadata.permissions().mode() & 0o777;
        let file_type = metadata.file_type();
        let builder = &mut self.builder;

        let appended = if file_type.is_dir() {
            let mut header = header(EntryType::Directory, mode, 0);
            builder.append_data(&mut header, name, io::empty())
        } else if file_type.is_file() && metadata.nlink() > 1 {
            let inode = (metadata.dev(), metadata.ino());
            match self.first_names.get(&inode) {
                Some(first) => {
                    let mut header = header(EntryType::Link, mode, 0);
                    append_link(builder, &mut header, name, first.as_os_str().as_bytes())
                }
                None => {
                    self.first_names.insert(inode, name.to_path_buf());
                    append_file(builder, path, name, mode, metadata.len())
                }
            }
        } else if file_type.is_file() {
            append_file(builder, path, name, mode, metadata.len())
        } else if file_type.is_symlink() {
            let mut header = header(EntryType::Symlink, mode, 0);
            fs::read_link(path).and_then(|target| {
                append_link(builder, &mut header, name, target.as_os_str().as_bytes())
            })
        } else {
            return Err(special_file(path));
        };
        appended
            .map_err(|error| Error::io("cannot pack", error))
            .with_path(path)
    }
}

/// The error for the socket, fifo or device file at `path`.
pub(super) fn special_file(path: &Path) -> Error {
    Error::new("cannot pack a socket, fifo or device file; only files, directories and symlinks")
        .with_path(path)
}

/// Appends the contents of the regular file at `path` as `name`.
fn append_file<W: Write>(
    builder: &mut Builder<W>,
    path: &Path,
    name: &Path,
    mode: u32,
    size: u64,
) -> io::Result<()> {
    let mut header = header(EntryType::Regular, mode, size);
    let file = File::open(path)?;
    builder.append_data(&mut header, name, ExactSize::new(file, size))
}

/// A header with everything but the name: fixed time and owner, so that
/// only what matters to a build reaches the archive.
fn header(kind: EntryType, mode: u32, size: u64) -> Header {
    // User and group names stay empty, as `new_gnu` leaves them.
    let mut header = Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(MTIME);
    header.set_uid(0);
    header.set_gid(0);
    header
}

/// Appends a symlink or hard link `name` whose header names `target`,
/// keeping the target's bytes as they are (the tar crate's `append_link`
/// would tidy `a//b` into `a/b`).
fn append_link<W: Write>(
    builder: &mut Builder<W>,
    header: &mut Header,
    name: &Path,
    target: &[u8],
) -> io::Result<()> {
    if header.set_link_name_literal(target).is_err() {
        // Too long for the header: like GNU tar, put it in an entry of its
        // own just before, NUL-terminated.
        let long_link = header_for_long_link(target.len() as u64 + 1);
        builder.append(&long_link, target.chain(&[0][..]))?;
    }
    builder.append_data(header, name, io::empty())
}

/// The header of a GNU long-link entry holding `size` bytes.
fn header_for_long_link(size: u64) -> Header {
    let mut header = header(EntryType::GNULongLink, 0, size);
    header.as_old_mut().name[..GNU_LONG_LINK_NAME.len()].copy_from_slice(GNU_LONG_LINK_NAME);
    header.set_cksum();
    header
}

/// Reads exactly `size` bytes. The tar header announcing the size is written
/// before the contents, so a file that shrinks while being packed must fail
/// the packing instead of producing a corrupt archive; growth is cut off.
struct ExactSize<R> {
    inner: io::Take<R>,
}

impl<R: Read> ExactSize<R> {
    fn new(inner: R, size: u64) -> Self {
        ExactSize {
            inner: inner.take(size),
        }
    }
}

impl<R: Read> Read for ExactSize<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        if read == 0 && !buf.is_empty() && self.inner.limit() > 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while being packed",
            ));
        }
        Ok(read)
    }
}
