//! Removing references to store paths, in a fake store under a temporary
//! directory: what changes in files, what must not, and the errors.

mod common;

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::slice;
use std::time::{Duration, SystemTime};

use common::{set_mode, write, TempDir};
use gantry::references::{collect_references, remove_references};

const A: &str = "1b2k4pvh6lwwj0x1kyr3v9bdz5xk3gna";
const B: &str = "9qzxcv0hd8fbyw6l1gv5kq7rji2nsm3p";
const C: &str = "0c5ffsjr8mkxz79c1g6cqwiq7nhy4abd";
const V: &str = "vv2ha1jz4mbr6a8ks03yrfp5lqc0xwdn";
const REMOVED: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

/// A temporary directory holding a fake store, `<tmp>/nix/store`.
struct Store {
    tmp: TempDir,
    dir: PathBuf,
}

impl Store {
    fn new(label: &str) -> Self {
        let tmp = TempDir::new(label);
        let dir = tmp.join("nix/store");
        fs::create_dir_all(&dir).unwrap();
        Store { tmp, dir }
    }

    /// The store path with hash part `hash` and name `name`.
    fn path(&self, hash: &str, name: &str) -> PathBuf {
        self.dir.join(format!("{hash}-{name}"))
    }

    /// The text embedding store path `<hash>-<name>` and `rest` after it.
    fn text(&self, hash: &str, name: &str, rest: &str) -> String {
        format!("{}{rest}", self.path(hash, name).display())
    }

    /// References to the store paths `paths` lie in.
    fn references(&self, paths: &[PathBuf]) -> BTreeSet<PathBuf> {
        collect_references(&self.dir, paths, &[]).unwrap()
    }
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn set_old_mtime(path: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

#[test]
fn only_referenced_hashes_are_overwritten() {
    let store = Store::new("refs-only-referenced");
    let a = store.text(A, "serde-1.0.0", "/src/de.rs");
    let b = store.text(B, "rust-std", "/lib/rustlib");
    let c = store.text(C, "glibc-2.40", "/lib/libc.so.6");
    let mut contents = b"\x7fELF\0\x02\x01".to_vec();
    for text in [&a, &c, &b, &a] {
        contents.extend_from_slice(text.as_bytes());
        contents.extend_from_slice(b"\0\xff\x10");
    }
    let binary = store.tmp.join("out/bin/program");
    write(&binary, &contents);
    // Paths deeper in the store paths name the store paths themselves.
    let references = store.references(&[
        store.path(A, "serde-1.0.0").join("src"),
        store.path(B, "rust-std"),
    ]);

    let report = remove_references(&store.dir, &references, &[store.tmp.join("out")]).unwrap();

    let expected = String::from_utf8_lossy(&contents)
        .replace(A, REMOVED)
        .replace(B, REMOVED);
    let scrubbed = fs::read(&binary).unwrap();
    assert_eq!(scrubbed.len(), contents.len());
    assert_eq!(String::from_utf8_lossy(&scrubbed), expected);
    assert!(expected.contains(&c));
    assert_eq!(report.files, [binary]);
    let removed: Vec<(PathBuf, usize)> = report.removed.into_iter().collect();
    assert_eq!(
        removed,
        [
            (store.path(A, "serde-1.0.0"), 2),
            (store.path(B, "rust-std"), 1)
        ]
    );
}

#[test]
fn files_without_occurrences_are_not_written() {
    let store = Store::new("refs-untouched");
    let other = store.tmp.join("out/other");
    write(&other, store.text(C, "glibc", "/lib"));
    set_old_mtime(&other);
    let before = mtime(&other);
    let references = store.references(&[store.path(A, "a")]);

    let report = remove_references(&store.dir, &references, slice::from_ref(&other)).unwrap();

    assert!(report.files.is_empty());
    assert!(report.removed.is_empty());
    assert_eq!(mtime(&other), before);
}

#[test]
fn hard_links_stay_linked() {
    let store = Store::new("refs-hard-links");
    let out = store.tmp.join("out");
    write(
        out.join("deps/program-0123"),
        store.text(A, "a", "/src/main.rs"),
    );
    fs::hard_link(out.join("deps/program-0123"), out.join("program")).unwrap();
    let references = store.references(&[store.path(A, "a")]);

    let report = remove_references(&store.dir, &references, slice::from_ref(&out)).unwrap();

    let first = fs::metadata(out.join("deps/program-0123")).unwrap();
    let second = fs::metadata(out.join("program")).unwrap();
    assert_eq!(first.ino(), second.ino());
    assert_eq!(first.nlink(), 2);
    let expected = store.text(REMOVED, "a", "/src/main.rs");
    assert_eq!(fs::read_to_string(out.join("program")).unwrap(), expected);
    // One file, scanned and counted once.
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.removed[&store.path(A, "a")], 1);
}

#[test]
fn read_only_files_are_rewritten_and_keep_their_mode() {
    let store = Store::new("refs-read-only");
    let binary = store.tmp.join("out/bin/program");
    write(&binary, store.text(A, "a", ""));
    set_mode(&binary, 0o555);
    let references = store.references(&[store.path(A, "a")]);

    remove_references(&store.dir, &references, slice::from_ref(&binary)).unwrap();

    assert_eq!(
        fs::read_to_string(&binary).unwrap(),
        store.text(REMOVED, "a", "")
    );
    let mode = fs::metadata(&binary).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o555);
}

#[test]
fn occurrences_at_the_end_and_across_read_boundaries_are_found() {
    let store = Store::new("refs-boundaries");
    // Back to back, without names: whatever the size of the reads, each
    // boundary between two falls in or between occurrences, and the last
    // one ends the file with its hash.
    let occurrence = format!("{}/{A}", store.dir.display());
    let count = (3 << 20) / occurrence.len();
    let contents = occurrence.repeat(count);
    let file = store.tmp.join("big");
    write(&file, &contents);
    let references = store.references(&[store.path(A, "a")]);

    let report = remove_references(&store.dir, &references, slice::from_ref(&file)).unwrap();

    assert_eq!(report.removed[&store.path(A, "a")], count);
    let expected = contents.replace(A, REMOVED);
    assert_eq!(fs::read_to_string(&file).unwrap(), expected);
    assert!(expected.ends_with(REMOVED));
}

#[test]
fn symlinks_into_removed_store_paths_are_left_alone_and_reported() {
    let store = Store::new("refs-symlinks");
    let out = store.tmp.join("out");
    fs::create_dir_all(&out).unwrap();
    let target = store.path(A, "a").join("share/doc");
    symlink(&target, out.join("doc")).unwrap();
    symlink(store.path(C, "c"), out.join("other")).unwrap();
    let references = store.references(&[store.path(A, "a")]);

    let report = remove_references(&store.dir, &references, slice::from_ref(&out)).unwrap();

    assert_eq!(fs::read_link(out.join("doc")).unwrap(), target);
    assert_eq!(report.symlinks, [(out.join("doc"), store.path(A, "a"))]);
    assert!(report.files.is_empty());
}

#[test]
fn references_of_a_directory_are_it_and_its_link_targets() {
    let store = Store::new("refs-references-of");
    let vendor = store.path(V, "vendor-cargo-deps");
    write(vendor.join("config.toml"), "[source.crates-io]\n");
    fs::create_dir_all(vendor.join("crates-io")).unwrap();
    symlink(
        store.path(A, "serde-1.0.0"),
        vendor.join("crates-io/serde-1.0.0"),
    )
    .unwrap();
    let relative = format!("../../{B}-libc-0.2.0");
    symlink(relative, vendor.join("crates-io/libc-0.2.0")).unwrap();
    symlink("/usr/share/outside", vendor.join("crates-io/outside")).unwrap();

    let references = collect_references(&store.dir, &[], slice::from_ref(&vendor)).unwrap();

    let expected = BTreeSet::from([
        vendor,
        store.path(A, "serde-1.0.0"),
        store.path(B, "libc-0.2.0"),
    ]);
    assert_eq!(references, expected);
}

#[test]
fn references_of_a_directory_follow_linked_store_directories() {
    // vendor → per-source directory → per-crate store path, as vendorCargoDeps lays it out.
    let store = Store::new("refs-transitive");
    let vendor = store.path(V, "vendor-cargo-deps");
    let registry = store.path(A, "cargo-registry");
    let krate = store.path(B, "cargo-package-serde-1.0.0");
    write(krate.join("src/lib.rs"), "");
    fs::create_dir_all(&registry).unwrap();
    symlink(&krate, registry.join("serde-1.0.0")).unwrap();
    fs::create_dir_all(&vendor).unwrap();
    symlink(&registry, vendor.join("cargo-registry")).unwrap();

    let references = collect_references(&store.dir, &[], slice::from_ref(&vendor)).unwrap();

    assert_eq!(references, BTreeSet::from([vendor, registry, krate]));
}

#[test]
fn references_outside_the_store_are_errors() {
    let store = Store::new("refs-outside");
    let outside = store.tmp.join("elsewhere").join(format!("{A}-a"));
    let error = collect_references(&store.dir, slice::from_ref(&outside), &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: not inside the store dir {}",
            outside.display(),
            store.dir.display()
        )
    );
    // A directory outside the store (a vendor directory given as
    // /dev/null) has nothing to remove.
    let none = collect_references(&store.dir, &[], &[PathBuf::from("/dev/null")]).unwrap();
    assert!(none.is_empty());
}

#[test]
fn malformed_hash_parts_are_errors() {
    let store = Store::new("refs-bad-hash");
    // `e` is no Nix base32 digit.
    let bad = store.dir.join(format!("{REMOVED}-a/lib"));
    let error = collect_references(&store.dir, slice::from_ref(&bad), &[]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: ", bad.display())),
        "{message}"
    );
    assert!(message.contains("not a store path"), "{message}");
    let short = store.dir.join("abc-a");
    assert!(collect_references(&store.dir, &[short], &[]).is_err());
}

#[test]
fn missing_targets_are_errors() {
    let store = Store::new("refs-missing");
    let missing = store.tmp.join("no-such-file");
    let references = store.references(&[store.path(A, "a")]);
    let error = remove_references(&store.dir, &references, slice::from_ref(&missing)).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: cannot read: ", missing.display())),
        "{message}"
    );
    // Even with nothing to remove.
    assert!(remove_references(&store.dir, &BTreeSet::new(), &[missing]).is_err());
}

#[test]
fn no_references_change_nothing() {
    let store = Store::new("refs-none");
    let file = store.tmp.join("out/file");
    write(&file, store.text(A, "a", ""));
    let report = remove_references(&store.dir, &BTreeSet::new(), slice::from_ref(&file)).unwrap();
    assert!(report.files.is_empty());
    assert_eq!(fs::read_to_string(&file).unwrap(), store.text(A, "a", ""));
}

fn gantry(store: &Store, args: &[&Path], nix_store: Option<&Path>) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gantry"));
    command.arg("remove-references").args(args);
    match nix_store {
        Some(dir) => command.env("NIX_STORE", dir),
        None => command.env_remove("NIX_STORE"),
    };
    let output = command.current_dir(store.tmp.path()).output().unwrap();
    assert!(output.stdout.is_empty());
    (
        output.status.success(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn cli_takes_the_store_dir_from_the_option_or_nix_store() {
    let store = Store::new("refs-cli");
    let vendor = store.path(V, "vendor");
    fs::create_dir_all(&vendor).unwrap();
    symlink(store.path(B, "b"), vendor.join("b")).unwrap();
    let file = store.tmp.join("out/program");
    let original = format!("{} {}", store.text(A, "a", "/x"), store.text(B, "b", "/y"));
    let scrubbed = original.replace(A, REMOVED).replace(B, REMOVED);
    let reference = store.path(A, "a").join("x");
    let args = [
        Path::new("--reference"),
        &reference,
        Path::new("--references-of"),
        &vendor,
        &file,
    ];

    write(&file, &original);
    let mut with_option = vec![Path::new("--store-dir"), &store.dir];
    with_option.extend(args);
    let (success, stderr) = gantry(&store, &with_option, Some(Path::new("/elsewhere")));
    assert!(success, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "gantry: removed references to 2 store paths: 2 occurrences in 1 files\n\
             gantry:   {}\n\
             gantry:   {}\n",
            store.path(A, "a").display(),
            store.path(B, "b").display()
        )
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), scrubbed);

    write(&file, &original);
    let (success, stderr) = gantry(&store, &args, Some(&store.dir));
    assert!(success, "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), scrubbed);

    // Without either, the store is /nix/store, which the paths are not in.
    let (success, stderr) = gantry(&store, &args, None);
    assert!(!success);
    assert_eq!(
        stderr,
        format!(
            "gantry: error: {}: not inside the store dir /nix/store\n",
            reference.display()
        )
    );
}

#[test]
fn cli_reports_missing_targets_on_one_line() {
    let store = Store::new("refs-cli-missing");
    let missing = store.tmp.join("missing");
    let (success, stderr) = gantry(
        &store,
        &[Path::new("--store-dir"), &store.dir, &missing],
        None,
    );
    assert!(!success);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "gantry: error: {}: cannot read",
            missing.display()
        )),
        "{stderr}"
    );
}
