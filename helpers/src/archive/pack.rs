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
use crate::error::{Error, Result};
use crate::paths;

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

/// The largest window zstd can use, as `--long=31` asks.
const WINDOW_LOG_LIMIT: u32 = 31;

/// How archives are compressed: gantry's fast level with long-distance
/// matching over a 16 MiB window, unless crane's
/// `zstdCompressionExtraArgs` asks otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    pub level: i32,
    /// Base-2 logarithm of the window long-distance matching spans.
    pub window_log: u32,
}

impl Default for Compression {
    fn default() -> Self {
        Compression {
            level: LEVEL,
            window_log: WINDOW_LOG,
        }
    }
}

impl Compression {
    /// Applies the zstd command-line options `args` (whitespace-separated,
    /// as crane passes `$zstdCompressionExtraArgs` to `zstd`): `-#` (a
    /// level, up to 19, or 22 after `--ultra`), `--fast[=#]`, `--ultra`,
    /// `--long[=#]`, and `-T#`/`--threads=#`, which is accepted and left to
    /// the helper (one thread per core; the archive does not depend on it).
    /// Anything else is an error naming the option, not an ignored one.
    pub fn with_zstd_args(mut self, args: &str) -> Result<Self> {
        let words: Vec<&str> = args.split_whitespace().collect();
        let ultra = words.contains(&"--ultra");
        let max_level = if ultra { 22 } else { 19 };
        let bad = |word: &str, why: &str| {
            Error::new(format!(
                "zstdCompressionExtraArgs: `{word}` {why}; gantry understands -LEVEL (1-19, \
                 20-22 with --ultra), --fast[=N], --ultra, --long[=WINDOWLOG] and -T/--threads"
            ))
        };
        for word in words {
            let number =
                |digits: &str| digits.parse::<u32>().map_err(|_| bad(word, "is no number"));
            if word == "--ultra" || word.starts_with("--threads=") {
                continue;
            } else if let Some(threads) = word.strip_prefix("-T") {
                number(threads)?;
            } else if word == "--fast" {
                self.level = -1;
            } else if let Some(speed) = word.strip_prefix("--fast=") {
                self.level =
                    -i32::try_from(number(speed)?).map_err(|_| bad(word, "is too fast"))?;
            } else if word == "--long" {
                self.window_log = 27;
            } else if let Some(log) = word.strip_prefix("--long=") {
                let log = number(log)?;
                if !(10..=WINDOW_LOG_LIMIT).contains(&log) {
                    return Err(bad(word, "is out of zstd's window range 10-31"));
                }
                self.window_log = log;
            } else if let Some(level) = word
                .strip_prefix('-')
                .filter(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_digit()))
            {
                let level = number(level)?;
                if level == 0 || level > max_level {
                    return Err(bad(word, "is not a level zstd accepts here"));
                }
                self.level = i32::try_from(level).map_err(|_| bad(word, "is too high"))?;
            } else {
                return Err(bad(word, "is not an option gantry can apply"));
            }
        }
        Ok(self)
    }
}

/// How much input each compression thread takes at a time. Long-distance
/// matching would otherwise pick jobs of four windows (64 MiB), leaving one
/// core idle on all but the largest target dirs.
const JOB_SIZE: u32 = 8 << 20;

/// Name GNU tar gives the extra entry that holds a long link target.
const GNU_LONG_LINK_NAME: &[u8] = b"././@LongLink";

/// The number of compression threads to use: one per available core.
pub(super) fn default_workers() -> u32 {
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
    compression: Compression,
    workers: u32,
) -> Result<()> {
    // A missing source can only give an empty archive: any path listed
    // then fails to be read, naming itself.
    if paths::metadata_if_exists(source)?.is_some_and(|metadata| !metadata.is_dir()) {
        return Err(Error::new("not a directory").with_path(source));
    }
    let scratch = Scratch::next_to(archive, "pack")?;
    write_archive(source, paths, scratch.path(), compression, workers.max(1))?;
    paths::rename(scratch.path(), archive)
}

/// Writes the archive of `paths` in `source` to the file `out`.
fn write_archive(
    source: &Path,
    paths: impl IntoIterator<Item = impl AsRef<Path>>,
    out: &Path,
    compression: Compression,
    workers: u32,
) -> Result<()> {
    let file = paths::create(out)?;
    let write_error = paths::error_at("cannot write", out);

    let mut encoder =
        zstd::Encoder::new(BufWriter::new(file), compression.level).map_err(&write_error)?;
    // The checksum lets unpacking detect corruption and truncation.
    encoder.include_checksum(true).map_err(&write_error)?;
    encoder.multithread(workers).map_err(&write_error)?;
    encoder.long_distance_matching(true).map_err(&write_error)?;
    encoder
        .window_log(compression.window_log)
        .map_err(&write_error)?;
    encoder
        .set_parameter(zstd::stream::raw::CParameter::JobSize(JOB_SIZE))
        .map_err(&write_error)?;

    let mut packer = Packer {
        builder: Builder::new(encoder),
        first_names: HashMap::new(),
    };
    for name in paths {
        let name = name.as_ref();
        packer.append(&source.join(name), name)?;
    }
    let encoder = packer.builder.into_inner().map_err(&write_error)?;
    let buffered = encoder.finish().map_err(&write_error)?;
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
        let metadata = paths::symlink_metadata(path)?;
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
        appended.map_err(paths::error_at("cannot pack", path))
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
