//! Removing references to store paths from build outputs: nixpkgs'
//! `remove-references-to`.
//!
//! Nix finds a package's runtime dependencies by scanning its output for
//! the hash parts of store paths. Rust binaries embed the paths of the
//! vendored crate sources (in panic locations) and of the toolchain, which
//! would keep hundreds of megabytes alive for nothing. Overwriting the hash
//! part of such a path with `e`s, which is not a base32 digit, breaks the
//! reference while keeping every offset in the file, so binaries stay valid.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::paths;

/// Length of the hash part of a store path's name.
const HASH_LEN: usize = 32;

/// The digits of Nix's base32, which leaves out `e`, `o`, `t` and `u`.
const NIX_BASE32: &[u8] = b"0123456789abcdfghijklmnpqrsvwxyz";

/// What a removed hash part becomes; `e` is no base32 digit, so the result
/// never names a store path.
const REMOVED: [u8; HASH_LEN] = [b'e'; HASH_LEN];

/// How much of a file is read at a time: large enough that reading, not
/// the bookkeeping between reads, is what takes the time.
const CHUNK: usize = 1 << 20;

/// What `remove_references` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The store paths whose references were removed from files, each with
    /// the number of occurrences removed.
    pub removed: BTreeMap<PathBuf, usize>,
    /// The files rewritten, in the order they were found.
    pub files: Vec<PathBuf>,
    /// Symbolic links left alone although their target lies in a store
    /// path whose references were removed, each with that store path: a
    /// link's target cannot be scrubbed without breaking the link, so the
    /// reference stays.
    pub symlinks: Vec<(PathBuf, PathBuf)>,
}

/// Renders the lines a build log shows: a warning per symbolic link left
/// alone, the totals, and the store paths that were found.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (link, store_path) in &self.symlinks {
            writeln!(
                f,
                "gantry: warning: left symlink {} alone; its target lies in {}",
                link.display(),
                store_path.display()
            )?;
        }
        writeln!(
            f,
            "gantry: removed references to {} store paths: {} occurrences in {} files",
            self.removed.len(),
            self.removed.values().sum::<usize>(),
            self.files.len()
        )?;
        for store_path in self.removed.keys() {
            writeln!(f, "gantry:   {}", store_path.display())?;
        }
        Ok(())
    }
}

/// The Nix store directory: `store_dir` when given, else `$NIX_STORE`
/// when set and not empty, else `/nix/store`.
pub fn store_dir_or_default(store_dir: Option<PathBuf>) -> PathBuf {
    store_dir
        .or_else(|| {
            let dir = std::env::var_os("NIX_STORE")?;
            (!dir.is_empty()).then(|| PathBuf::from(dir))
        })
        .unwrap_or_else(|| PathBuf::from("/nix/store"))
}

/// The store paths to remove references to: the store path each of
/// `paths` lies in, and for each of `dirs` the store path it lies in plus
/// the store path of every symbolic link target below it and, in turn,
/// below the linked store directories (a vendor directory links one
/// directory per source, each linking one store path per crate). Paths may
/// point deeper into a store path; `paths` outside `store_dir` are an
/// error, `dirs` and link targets outside it are skipped.
pub fn collect_references(
    store_dir: &Path,
    paths: &[PathBuf],
    dirs: &[PathBuf],
) -> Result<BTreeSet<PathBuf>> {
    let store = checked_store_dir(store_dir)?;
    let mut references = BTreeSet::new();
    for path in paths {
        references.insert(store_path(&store, path)?);
    }
    // Linked store paths are walked in turn: a vendor directory links one directory per
    // source, which links one store path per crate.
    // A directory outside the store (a vendor directory given as
    // `/dev/null`, or as a path of the build) can be referred to by nothing.
    let mut pending: Vec<PathBuf> = dirs
        .iter()
        .filter(|dir| normalize(dir).starts_with(&store))
        .cloned()
        .collect();
    while let Some(dir) = pending.pop() {
        let dir = &dir;
        references.insert(store_path(&store, dir)?);
        let walk = WalkDir::new(dir)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name();
        for entry in walk {
            let entry = entry.map_err(|error| paths::walk_error(dir, error))?;
            if !entry.path_is_symlink() {
                continue;
            }
            let link = entry.path();
            let target = paths::read_link(link)?;
            // `join` keeps an absolute target as it is.
            let target = normalize(&link.parent().unwrap_or(Path::new("")).join(target));
            if target.starts_with(&store) {
                let reference = store_path(&store, &target).map_err(|error| {
                    Error::new(format!("symlink target is no store path: {error}")).with_path(link)
                })?;
                if target.is_dir() && !references.contains(&reference) {
                    pending.push(reference.clone());
                }
                references.insert(reference);
            }
        }
    }
    Ok(references)
}

/// Overwrites, in every regular file of `targets` (files, or directories
/// walked without following symbolic links), the hash part of each
/// occurrence of one of `references`. Files are changed in place, and only
/// where a hash occurs: other files are not written, hard links stay
/// linked, permissions stay as they were.
pub fn remove_references(
    store_dir: &Path,
    references: &BTreeSet<PathBuf>,
    targets: &[PathBuf],
) -> Result<Report> {
    let store = checked_store_dir(store_dir)?;
    let mut prefix = store.as_os_str().as_bytes().to_vec();
    prefix.push(b'/');
    let mut hashes = HashMap::new();
    for reference in references {
        let store_path = store_path(&store, reference)?;
        // `store_path` checked that its name has a hash part.
        let hash = store_path
            .file_name()
            .and_then(|name| hash_part(name.as_bytes()));
        if let Some(hash) = hash {
            hashes.insert(hash, store_path);
        }
    }
    let matcher = Matcher { prefix, hashes };
    let mut report = Report::default();
    // Cargo hard-links each binary into a second place; one scan is enough.
    let mut scanned = HashSet::new();
    for target in targets {
        paths::symlink_metadata(target)?;
        if matcher.hashes.is_empty() {
            continue;
        }
        let walk = WalkDir::new(target)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name();
        for entry in walk {
            let entry = entry.map_err(|error| paths::walk_error(target, error))?;
            let path = entry.path();
            if entry.path_is_symlink() {
                let link = paths::read_link(path)?;
                let mut found = Vec::new();
                matcher.find(link.as_os_str().as_bytes(), 0, &mut found);
                if let Some((_, store_path)) = found.first() {
                    report
                        .symlinks
                        .push((path.to_path_buf(), store_path.to_path_buf()));
                }
            } else if entry.file_type().is_file() {
                let metadata = paths::entry_metadata(&entry)?;
                if scanned.insert((metadata.dev(), metadata.ino())) {
                    matcher.scrub(path, metadata.mode() & 0o7777, &mut report)?;
                }
            }
        }
    }
    Ok(report)
}

/// Finds `<store>/<hash>` for the hashes of the references.
struct Matcher {
    /// The store directory and a slash, which every reference starts with.
    prefix: Vec<u8>,
    /// The hash part of each reference, with its store path.
    hashes: HashMap<[u8; HASH_LEN], PathBuf>,
}

impl Matcher {
    /// Removes the references from the file at `path`, whose permission
    /// bits are `mode`, recording what it did in `report`.
    fn scrub(&self, path: &Path, mode: u32, report: &mut Report) -> Result<()> {
        let found = self
            .scan(paths::open(path)?)
            .map_err(paths::error_at("cannot read", path))?;
        if found.is_empty() {
            return Ok(());
        }
        overwrite(
            path,
            mode,
            found.iter().map(|(offset, _)| *offset),
            &REMOVED,
        )?;
        for (_, store_path) in found {
            *report.removed.entry(store_path.to_path_buf()).or_default() += 1;
        }
        report.files.push(path.to_path_buf());
        Ok(())
    }

    /// The offset of every referenced hash in what `reader` gives, with
    /// the store path it belongs to. Reads a chunk at a time, carrying over
    /// the end of each chunk in case an occurrence straddles two.
    fn scan(&self, mut reader: impl Read) -> io::Result<Vec<(u64, &Path)>> {
        // The longest prefix of an occurrence that can end a chunk.
        let carry = self.prefix.len() + HASH_LEN - 1;
        let mut buffer = vec![0; CHUNK + carry];
        let mut len = 0;
        let mut start = 0;
        let mut found = Vec::new();
        loop {
            let read = match reader.read(&mut buffer[len..]) {
                Ok(0) => return Ok(found),
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            len += read;
            // An occurrence found here starts before the carried bytes, so
            // none is found twice.
            self.find(&buffer[..len], start, &mut found);
            let kept = len.min(carry);
            buffer.copy_within(len - kept..len, 0);
            start += (len - kept) as u64;
            len = kept;
        }
    }

    /// Adds to `found` the offset of every referenced hash lying wholly in
    /// `bytes`, which start at offset `start`, with its store path.
    fn find<'a>(&'a self, bytes: &[u8], start: u64, found: &mut Vec<(u64, &'a Path)>) {
        let first = self.prefix[0];
        let mut at = 0;
        while let Some(skipped) = bytes[at..].iter().position(|&byte| byte == first) {
            let candidate = at + skipped;
            let hash_start = candidate + self.prefix.len();
            let Some(hash) = bytes.get(hash_start..hash_start + HASH_LEN) else {
                break;
            };
            if bytes[candidate..hash_start] == self.prefix[..] {
                if let Some(store_path) = self.hashes.get(hash) {
                    found.push((start + hash_start as u64, store_path));
                }
            }
            at = candidate + 1;
        }
    }
}

/// Writes `bytes` at each of `offsets` of the file at `path`, in place.
/// Writing needs the owner's write permission, and clears set-user-ID and
/// set-group-ID bits, so the file's mode, `mode`, is put back afterwards.
fn overwrite(
    path: &Path,
    mode: u32,
    offsets: impl IntoIterator<Item = u64>,
    bytes: &[u8],
) -> Result<()> {
    if mode & 0o200 == 0 {
        paths::set_mode(path, mode | 0o200)?;
    }
    let written = OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| {
            offsets
                .into_iter()
                .try_for_each(|offset| file.write_all_at(bytes, offset))
        })
        .map_err(paths::error_at("cannot write", path));
    let restored = paths::set_mode(path, mode);
    written.and(restored)
}

/// Replaces, in every regular file below `targets` (walked without
/// following symbolic links), each occurrence of `from` with `to`, which
/// must have the same length so that every offset in the file stays: how
/// crane's remapPathPrefixHook puts back the hash of the source's store
/// path it hid from rustc's flags during the build. Returns the number of
/// files changed.
pub fn replace_in_files(targets: &[PathBuf], from: &[u8], to: &[u8]) -> Result<usize> {
    if from.len() != to.len() || from.is_empty() {
        return Err(Error::new(format!(
            "cannot replace `{}` with `{}`: they must be equally long, and not empty",
            String::from_utf8_lossy(from),
            String::from_utf8_lossy(to)
        )));
    }
    let mut changed = 0;
    for target in targets {
        for entry in WalkDir::new(target).follow_links(false) {
            let entry = entry.map_err(|error| paths::walk_error(target, error))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let contents = paths::read(path)?;
            let offsets: Vec<u64> = contents
                .windows(from.len())
                .enumerate()
                .filter(|(_, window)| *window == from)
                .map(|(offset, _)| offset as u64)
                .collect();
            if offsets.is_empty() {
                continue;
            }
            let mode = paths::entry_metadata(&entry)?.mode();
            overwrite(path, mode & 0o7777, offsets, to)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// `store_dir` without `.`, `..` or trailing slashes, refusing relative
/// ones: a relative store directory would match in too many places.
fn checked_store_dir(store_dir: &Path) -> Result<PathBuf> {
    if !store_dir.is_absolute() {
        return Err(Error::new("the store dir is not an absolute path").with_path(store_dir));
    }
    Ok(normalize(store_dir))
}

/// The store path `path` lies in: `<store>/<hash>-<name>`, where `store`
/// is normalized.
fn store_path(store: &Path, path: &Path) -> Result<PathBuf> {
    let normal = normalize(path);
    let Ok(inside) = normal.strip_prefix(store) else {
        let message = format!("not inside the store dir {}", store.display());
        return Err(Error::new(message).with_path(path));
    };
    let Some(Component::Normal(name)) = inside.components().next() else {
        return Err(Error::new("is the store dir itself, not a store path").with_path(path));
    };
    if hash_part(name.as_bytes()).is_none() {
        let message = format!(
            "not a store path: `{}` does not start with a 32-character Nix base32 hash \
             followed by `-` and a name",
            name.to_string_lossy()
        );
        return Err(Error::new(message).with_path(path));
    }
    Ok(store.join(name))
}

/// The hash part of `name`, if it is a store path's name: a hash part,
/// `-` and a name.
fn hash_part(name: &[u8]) -> Option<[u8; HASH_LEN]> {
    let (hash, rest) = name.split_at_checked(HASH_LEN)?;
    let valid =
        hash.iter().all(|digit| NIX_BASE32.contains(digit)) && rest.len() > 1 && rest[0] == b'-';
    if !valid {
        return None;
    }
    hash.try_into().ok()
}

/// `path` with `.` and `..` resolved by the text alone, as for the targets
/// of symbolic links into the store, which holds no links to directories
/// that would make `..` mean anything else.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::fs::Permissions;
    use std::os::unix::fs::PermissionsExt;

    const STORE: &str = "/nix/store";
    const A: &str = "0123456789abcdfghijklmnpqrsvwxyz";
    const B: &str = "zyxwvsrqpnmlkjihgfdcba9876543210";

    fn matcher() -> Matcher {
        let hashes = [(A, "a"), (B, "b")]
            .into_iter()
            .map(|(hash, name)| {
                let key = hash.as_bytes().try_into().unwrap();
                (key, PathBuf::from(format!("{STORE}/{hash}-{name}")))
            })
            .collect();
        Matcher {
            prefix: format!("{STORE}/").into_bytes(),
            hashes,
        }
    }

    /// Gives one byte per read, the worst case for carrying over.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let Some((&byte, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buffer[0] = byte;
            self.0 = rest;
            Ok(1)
        }
    }

    fn offsets(found: &[(u64, &Path)]) -> Vec<u64> {
        found.iter().map(|(offset, _)| *offset).collect()
    }

    #[test]
    fn replace_in_files_keeps_lengths_and_modes() {
        let dir = std::env::temp_dir().join(format!("gantry-replace-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        let file = dir.join("sub/bin");
        fs::write(
            &file,
            b"\0/nix/store/####x####-src/a.rs\0/nix/store/####x####-src\0",
        )
        .unwrap();
        fs::set_permissions(&file, Permissions::from_mode(0o555)).unwrap();
        fs::write(dir.join("other"), b"nothing").unwrap();
        let changed =
            replace_in_files(std::slice::from_ref(&dir), b"####x####", b"abcdefghi").unwrap();
        assert_eq!(changed, 1);
        assert_eq!(
            fs::read(&file).unwrap(),
            b"\0/nix/store/abcdefghi-src/a.rs\0/nix/store/abcdefghi-src\0"
        );
        assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o555);
        let error = replace_in_files(std::slice::from_ref(&dir), b"ab", b"abc").unwrap_err();
        assert!(error.to_string().contains("equally long"), "{error}");
        fs::set_permissions(&file, Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn store_path_names_need_a_base32_hash_and_a_name() {
        let hash = hash_part(format!("{A}-serde-1.0").as_bytes());
        assert_eq!(hash, Some(A.as_bytes().try_into().unwrap()));
        assert_eq!(hash_part(format!("{A}-").as_bytes()), None);
        assert_eq!(hash_part(A.as_bytes()), None);
        assert_eq!(hash_part(format!("{}-x", "e".repeat(32)).as_bytes()), None);
        assert_eq!(hash_part(b"short-x"), None);
    }

    #[test]
    fn store_path_is_the_root_of_a_deeper_path() {
        let store = Path::new(STORE);
        let deep = format!("{STORE}/{A}-a/src/../lib.rs");
        assert_eq!(
            store_path(store, Path::new(&deep)).unwrap(),
            Path::new(&format!("{STORE}/{A}-a"))
        );
        let error = store_path(store, Path::new(STORE)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nix/store: is the store dir itself, not a store path"
        );
    }

    #[test]
    fn normalize_resolves_dots_by_text() {
        assert_eq!(
            normalize(Path::new("/nix/store/x/./y/../../z/")),
            Path::new("/nix/store/z")
        );
        assert_eq!(normalize(Path::new("/../a")), Path::new("/a"));
    }

    #[test]
    fn find_matches_only_referenced_hashes_wholly_inside() {
        let matcher = matcher();
        let other = "11111111111111111111111111111111";
        let text = format!("x{STORE}/{A}-a {STORE}/{other}-c /nix/stor/{B} {STORE}/{B}");
        let mut found = Vec::new();
        matcher.find(text.as_bytes(), 100, &mut found);
        let expected = [
            100 + text.find(A).unwrap() as u64,
            100 + text.rfind(B).unwrap() as u64,
        ];
        assert_eq!(offsets(&found), expected);
        assert_eq!(found[1].1, Path::new(&format!("{STORE}/{B}-b")));
        let mut found = Vec::new();
        matcher.find(&text.as_bytes()[..text.len() - 1], 0, &mut found);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn scan_finds_occurrences_straddling_chunks() {
        let matcher = matcher();
        let occurrence = format!("{STORE}/{A}");
        // A slice fills the buffer: the first read ends there.
        let boundary = CHUNK + occurrence.len() - 1;
        for before in boundary - occurrence.len() - 1..=boundary + 1 {
            let mut bytes = vec![0; before];
            bytes.extend_from_slice(occurrence.as_bytes());
            bytes.resize(bytes.len() + CHUNK, 0);
            bytes.extend_from_slice(occurrence.as_bytes());
            let found = matcher.scan(bytes.as_slice()).unwrap();
            let first = (before + STORE.len() + 1) as u64;
            let last = (bytes.len() - HASH_LEN) as u64;
            assert_eq!(offsets(&found), [first, last], "{before}");
        }
    }

    #[test]
    fn scan_finds_each_occurrence_once_in_tiny_reads() {
        let matcher = matcher();
        let text = format!("{STORE}/{A}{STORE}/{B}/{STORE}/{A}");
        let found = matcher.scan(Trickle(text.as_bytes())).unwrap();
        let expected: Vec<u64> = text
            .match_indices(STORE)
            .map(|(at, _)| (at + STORE.len() + 1) as u64)
            .collect();
        assert_eq!(offsets(&found), expected);
    }

    #[test]
    fn report_lists_warnings_totals_and_store_paths() {
        let report = Report {
            removed: BTreeMap::from([
                (PathBuf::from("/nix/store/a-x"), 3),
                (PathBuf::from("/nix/store/b-y"), 1),
            ]),
            files: vec![PathBuf::from("bin/p"), PathBuf::from("lib/q.so")],
            symlinks: vec![(PathBuf::from("share/l"), PathBuf::from("/nix/store/a-x"))],
        };
        assert_eq!(
            report.to_string(),
            "gantry: warning: left symlink share/l alone; its target lies in /nix/store/a-x\n\
             gantry: removed references to 2 store paths: 4 occurrences in 2 files\n\
             gantry:   /nix/store/a-x\n\
             gantry:   /nix/store/b-y\n"
        );
    }
}
