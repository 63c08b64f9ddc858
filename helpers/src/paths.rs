//! File-system operations that name the path they failed on.
//!
//! Every failure gantry reports is one line of a build log, so an I/O error
//! has to say which file and what was attempted. These wrappers of
//! `std::fs` attach both once, in one place, instead of at every call
//! (cargo's `cargo_util::paths` does the same). Callers that treat some
//! failures as expected (a missing file, say) match on `std::fs`'s
//! `io::Error` themselves, and, like the callers of operations no wrapper
//! performs (an open file's contents, a program run on a path), turn the
//! others into the same error with [`error_at`].

use std::fs::{self, DirEntry, File, FileType, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{symlink as unix_symlink, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// `result`, failing with `action` (e.g. "cannot read") on `path`.
fn at<T>(result: io::Result<T>, action: &str, path: &Path) -> Result<T> {
    result.map_err(error_at(action, path))
}

/// Turns the failure of an operation on `path` that no wrapper here
/// performs (reading or writing a file already open, running a program, a
/// call whose expected failures the caller matches itself) into the error
/// the wrappers give: `action` (e.g. "cannot write") on `path`.
pub fn error_at<'a>(action: &'a str, path: &'a Path) -> impl Fn(io::Error) -> Error + 'a {
    move |error| Error::io(action, error).with_path(path)
}

/// The file's text, which must be UTF-8.
pub fn read_text(path: impl AsRef<Path>) -> Result<String> {
    let path = path.as_ref();
    at(fs::read_to_string(path), "cannot read", path)
}

/// The file's bytes.
pub fn read(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let path = path.as_ref();
    at(fs::read(path), "cannot read", path)
}

/// Creates or truncates the file and writes `contents` to it.
pub fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Result<()> {
    let path = path.as_ref();
    at(fs::write(path, contents), "cannot write", path)
}

/// Opens the file for reading.
pub fn open(path: impl AsRef<Path>) -> Result<File> {
    let path = path.as_ref();
    at(File::open(path), "cannot open", path)
}

/// Creates or truncates the file and opens it for writing.
pub fn create(path: impl AsRef<Path>) -> Result<File> {
    let path = path.as_ref();
    at(File::create(path), "cannot create", path)
}

/// Creates the file, which must not exist yet, with the permission bits
/// `mode`, and opens it for writing.
pub fn create_new(path: impl AsRef<Path>, mode: u32) -> Result<File> {
    let path = path.as_ref();
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path);
    at(created, "cannot create", path)
}

/// Sets the permission bits of the file (of a symlink's target) to `mode`.
pub fn set_mode(path: impl AsRef<Path>, mode: u32) -> Result<()> {
    let path = path.as_ref();
    at(
        fs::set_permissions(path, Permissions::from_mode(mode)),
        "cannot set permissions",
        path,
    )
}

/// Creates the directory; its parent must exist, the directory must not.
pub fn create_dir(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    at(fs::create_dir(path), "cannot create directory", path)
}

/// Creates the directory and its missing parents.
pub fn create_dir_all(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    at(fs::create_dir_all(path), "cannot create directory", path)
}

/// The directory's entries, in the order the file system lists them.
pub fn read_dir(path: impl AsRef<Path>) -> Result<Vec<DirEntry>> {
    let path = path.as_ref();
    at(entries(path), "cannot read directory", path)
}

/// Like [`read_dir`], but `None` when nothing is at `path`.
pub fn read_dir_if_exists(path: impl AsRef<Path>) -> Result<Option<Vec<DirEntry>>> {
    let path = path.as_ref();
    at(unless_missing(entries(path)), "cannot read directory", path)
}

fn entries(path: &Path) -> io::Result<Vec<DirEntry>> {
    fs::read_dir(path)?.collect()
}

/// The type of a listed entry (not following a symlink).
pub fn entry_type(entry: &DirEntry) -> Result<FileType> {
    at(entry.file_type(), "cannot read", &entry.path())
}

/// The metadata of the file, following symlinks.
pub fn metadata(path: impl AsRef<Path>) -> Result<Metadata> {
    let path = path.as_ref();
    at(fs::metadata(path), "cannot read", path)
}

/// The metadata of the file itself, not following a symlink.
pub fn symlink_metadata(path: impl AsRef<Path>) -> Result<Metadata> {
    let path = path.as_ref();
    at(fs::symlink_metadata(path), "cannot read", path)
}

/// Like [`metadata`], but `None` when nothing is at `path`.
pub fn metadata_if_exists(path: impl AsRef<Path>) -> Result<Option<Metadata>> {
    let path = path.as_ref();
    at(unless_missing(fs::metadata(path)), "cannot read", path)
}

/// Like [`symlink_metadata`], but `None` when nothing is at `path`.
pub fn symlink_metadata_if_exists(path: impl AsRef<Path>) -> Result<Option<Metadata>> {
    let path = path.as_ref();
    at(
        unless_missing(fs::symlink_metadata(path)),
        "cannot read",
        path,
    )
}

/// `result`, with a missing file as `None`.
fn unless_missing<T>(result: io::Result<T>) -> io::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// The absolute path with every symlink resolved.
pub fn canonicalize(path: impl AsRef<Path>) -> Result<PathBuf> {
    let path = path.as_ref();
    at(fs::canonicalize(path), "cannot resolve", path)
}

/// What the symlink points to.
pub fn read_link(path: impl AsRef<Path>) -> Result<PathBuf> {
    let path = path.as_ref();
    at(fs::read_link(path), "cannot read symlink", path)
}

/// Creates the symlink `link` pointing to `target`; the error names `link`.
pub fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> Result<()> {
    let link = link.as_ref();
    at(unix_symlink(target, link), "cannot create symlink", link)
}

/// Copies the file `from` to `to`, returning the number of bytes copied;
/// the error names both.
pub fn copy(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<u64> {
    let (from, to) = (from.as_ref(), to.as_ref());
    at(
        fs::copy(from, to),
        &format!("cannot copy to {}", to.display()),
        from,
    )
}

/// Moves `from` to `to` (a rename, so within one file system); the error
/// names both.
pub fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
    let (from, to) = (from.as_ref(), to.as_ref());
    at(
        fs::rename(from, to),
        &format!("cannot move to {}", to.display()),
        from,
    )
}

/// Removes the file (or symlink).
pub fn remove_file(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    at(fs::remove_file(path), "cannot remove", path)
}

/// A failure of a `walkdir` walk from `root`, naming the path it failed
/// on (the root when walkdir does not know).
pub fn walk_error(root: &Path, error: walkdir::Error) -> Error {
    let path = error.path().unwrap_or(root).to_path_buf();
    let source = error
        .into_io_error()
        .unwrap_or_else(|| io::Error::other("symbolic link loop"));
    Error::io("cannot read", source).with_path(path)
}

/// The metadata of a walked entry, as `walkdir` read it (not following a
/// symlink unless the walk does).
pub fn entry_metadata(entry: &walkdir::DirEntry) -> Result<Metadata> {
    entry
        .metadata()
        .map_err(|error| walk_error(entry.path(), error))
}

/// Removes the directory and everything in it.
pub fn remove_dir_all(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    at(fs::remove_dir_all(path), "cannot remove", path)
}
