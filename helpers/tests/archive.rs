//! Packing and unpacking: round trips, determinism, merging, and archives
//! built to attack the unpacker.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use common::{names, set_mode, snapshot, write, Node, TempDir};
use gantry::archive::{pack, unpack, MTIME};
use tar::{EntryType, Header};

/// A tree with every kind of entry `pack` handles.
fn sample_tree(root: &Path) {
    write(root.join("bin/tool"), "#!/bin/sh\necho tool\n");
    set_mode(root.join("bin/tool"), 0o755);
    write(root.join("lib/data.txt"), "data\n");
    write(root.join("readonly.txt"), "do not touch\n");
    set_mode(root.join("readonly.txt"), 0o444);
    write(root.join("a/b/c/deep.rlib"), vec![7u8; 300_000]);
    fs::create_dir_all(root.join("empty")).unwrap();
    fs::create_dir_all(root.join("private")).unwrap();
    set_mode(root.join("private"), 0o750);
    let long_name = format!("{}/{}.d", "x".repeat(90), "y".repeat(90));
    write(root.join(&long_name), "long name\n");
    symlink("../bin/tool", root.join("lib/tool-link")).unwrap();
    // Cargo hard-links each binary it builds into a second place.
    fs::hard_link(root.join("bin/tool"), root.join("tool")).unwrap();
    symlink("a//b/./c", root.join("odd-link")).unwrap();
    symlink(
        format!("{}/target", "t".repeat(150)),
        root.join("long-link"),
    )
    .unwrap();
    symlink("/nonexistent/absolute", root.join("absolute-link")).unwrap();
}

/// What unpacking `original` must give: owner-writable modes and the
/// archive's time on files and directories.
fn expected_after_unpack(original: &BTreeMap<PathBuf, Node>) -> BTreeMap<PathBuf, Node> {
    let mtime = MTIME as i64;
    original
        .iter()
        .map(|(path, node)| {
            let node = match node {
                Node::Dir { mode, .. } => Node::Dir {
                    mode: mode | 0o700,
                    mtime,
                },
                Node::File { mode, contents, .. } => Node::File {
                    mode: mode | 0o200,
                    mtime,
                    contents: contents.clone(),
                },
                symlink => symlink.clone(),
            };
            (path.clone(), node)
        })
        .collect()
}

#[test]
fn round_trip_keeps_contents_modes_links_and_sets_times() {
    let tmp = TempDir::new("round-trip");
    let source = tmp.join("source");
    sample_tree(&source);
    let archive = tmp.join("target.tar.zst");

    pack(&source, &archive, 2).unwrap();
    unpack(&archive, &tmp.join("dest")).unwrap();

    let restored = snapshot(&tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&source)));
    assert_eq!(
        restored[Path::new("bin/tool")],
        Node::File {
            mode: 0o755,
            mtime: 1,
            contents: b"#!/bin/sh\necho tool\n".to_vec()
        }
    );
    assert_eq!(
        restored[Path::new("readonly.txt")],
        Node::File {
            mode: 0o644,
            mtime: 1,
            contents: b"do not touch\n".to_vec()
        }
    );
    // Hard links stay hard links rather than becoming copies.
    let inode = |path: &str| fs::metadata(tmp.join("dest").join(path)).unwrap().ino();
    assert_eq!(inode("bin/tool"), inode("tool"));
    assert_eq!(
        restored[Path::new("odd-link")],
        Node::Symlink {
            target: "a//b/./c".into()
        }
    );
    assert_eq!(names(tmp.path()), ["dest", "source", "target.tar.zst"]);
}

#[test]
fn packing_is_deterministic() {
    let tmp = TempDir::new("deterministic");
    let source = tmp.join("source");
    sample_tree(&source);

    pack(&source, &tmp.join("first.tar.zst"), 1).unwrap();
    // Different times and thread count must not change a byte.
    write(source.join("lib/data.txt"), "data\n");
    pack(&source, &tmp.join("second.tar.zst"), 3).unwrap();

    let first = fs::read(tmp.join("first.tar.zst")).unwrap();
    assert_eq!(first, fs::read(tmp.join("second.tar.zst")).unwrap());
}

#[test]
fn thread_count_does_not_change_the_archive() {
    let tmp = TempDir::new("threads");
    // Over zstd's job size at level 3, so that several threads get work
    // (and single-threaded mode would give different bytes).
    let mut state = 1u32;
    let contents: Vec<u8> = (0..10_000_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            b'a' + (state >> 27) as u8 % 16
        })
        .collect();
    write(tmp.join("source/big"), contents);

    pack(&tmp.join("source"), &tmp.join("one.tar.zst"), 1).unwrap();
    pack(&tmp.join("source"), &tmp.join("four.tar.zst"), 4).unwrap();

    let one = fs::read(tmp.join("one.tar.zst")).unwrap();
    assert_eq!(one, fs::read(tmp.join("four.tar.zst")).unwrap());
}

#[test]
fn archive_entries_are_sorted_with_fixed_metadata() {
    let tmp = TempDir::new("sorted");
    let source = tmp.join("source");
    for name in ["b/z", "b.txt", "a-1", "a/x", "B"] {
        write(source.join(name), name);
    }
    let archive = tmp.join("out.tar.zst");
    pack(&source, &archive, 1).unwrap();

    let tar = zstd::decode_all(fs::File::open(&archive).unwrap()).unwrap();
    let mut reader = tar::Archive::new(&tar[..]);
    let mut paths = Vec::new();
    for entry in reader.entries().unwrap() {
        let entry = entry.unwrap();
        let header = entry.header();
        assert_eq!(header.mtime().unwrap(), 1);
        assert_eq!(header.uid().unwrap(), 0);
        assert_eq!(header.gid().unwrap(), 0);
        assert_eq!(header.username_bytes(), Some(&b""[..]));
        assert_eq!(header.groupname_bytes(), Some(&b""[..]));
        paths.push(entry.path().unwrap().display().to_string());
    }
    // Sorted by component, in byte order: `a` and its contents before `a-1`.
    assert_eq!(paths, ["B", "a", "a/x", "a-1", "b", "b/z", "b.txt"]);
}

#[test]
fn pack_rejects_special_files() {
    let tmp = TempDir::new("special");
    let source = tmp.join("source");
    fs::create_dir_all(&source).unwrap();
    let socket = std::os::unix::net::UnixListener::bind(source.join("socket")).unwrap();

    let error = pack(&source, &tmp.join("out.tar.zst"), 1).unwrap_err();
    drop(socket);
    assert!(error.to_string().contains("socket"), "{error}");
    // No archive, and no half-written scratch file next to it.
    assert_eq!(names(tmp.path()), ["source"]);
}

#[test]
fn pack_requires_a_directory() {
    let tmp = TempDir::new("pack-missing");
    let error = pack(&tmp.join("missing"), &tmp.join("out.tar.zst"), 1).unwrap_err();
    assert!(error.to_string().contains("missing"), "{error}");
    assert!(names(tmp.path()).is_empty());
}

#[test]
fn unpack_merges_into_an_existing_directory() {
    let tmp = TempDir::new("merge");
    let source = tmp.join("source");
    write(source.join("lib/data.txt"), "new\n");
    write(source.join("replaced-by-dir/inner"), "inner\n");
    write(source.join("was-link/file"), "file\n");
    let archive = tmp.join("out.tar.zst");
    pack(&source, &archive, 1).unwrap();

    let outside = tmp.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let dest = tmp.join("dest");
    write(dest.join("lib/data.txt"), "old\n");
    set_mode(dest.join("lib/data.txt"), 0o444);
    write(dest.join("lib/other.txt"), "kept\n");
    write(dest.join("replaced-by-dir"), "a file\n");
    symlink(&outside, dest.join("was-link")).unwrap();
    set_mode(&dest, 0o555);

    unpack(&archive, &dest).unwrap();

    // The user can keep working in the destination.
    let dest_mode = fs::metadata(&dest).unwrap().permissions().mode();
    assert_eq!(dest_mode & 0o777, 0o755);

    let restored = snapshot(&dest);
    let contents = |path: &str| match &restored[Path::new(path)] {
        Node::File { contents, .. } => String::from_utf8(contents.clone()).unwrap(),
        other => panic!("{path} is {other:?}"),
    };
    assert_eq!(contents("lib/data.txt"), "new\n");
    assert_eq!(contents("lib/other.txt"), "kept\n");
    assert_eq!(contents("replaced-by-dir/inner"), "inner\n");
    assert_eq!(contents("was-link/file"), "file\n");
    // The symlink was replaced, not written through.
    assert!(names(&outside).is_empty());
    assert_eq!(
        names(tmp.path()),
        ["dest", "out.tar.zst", "outside", "source"]
    );
}

#[test]
fn later_archives_overwrite_earlier_ones() {
    let tmp = TempDir::new("chain");
    write(tmp.join("one/shared.txt"), "one\n");
    write(tmp.join("one/only-one.txt"), "one\n");
    write(tmp.join("two/shared.txt"), "two\n");
    pack(&tmp.join("one"), &tmp.join("one.tar.zst"), 1).unwrap();
    pack(&tmp.join("two"), &tmp.join("two.tar.zst"), 1).unwrap();

    let dest = tmp.join("dest");
    unpack(&tmp.join("one.tar.zst"), &dest).unwrap();
    unpack(&tmp.join("two.tar.zst"), &dest).unwrap();

    assert_eq!(
        fs::read_to_string(dest.join("shared.txt")).unwrap(),
        "two\n"
    );
    assert_eq!(
        fs::read_to_string(dest.join("only-one.txt")).unwrap(),
        "one\n"
    );
}

/// One entry of a hand-made archive.
enum Item<'a> {
    File(&'a [u8]),
    Dir(&'a [u8]),
    Symlink(&'a [u8], &'a [u8]),
    HardLink(&'a [u8], &'a [u8]),
    Fifo(&'a [u8]),
}

/// A zstd-compressed tar of `items`.
fn crafted_archive(items: &[Item<'_>]) -> Vec<u8> {
    zstd::encode_all(&crafted_tar(items)[..], 3).unwrap()
}

/// A tar of `items`, with names written into the headers as given: the tar
/// crate's own checks would refuse most of them.
fn crafted_tar(items: &[Item<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for item in items {
        let (name, kind, link, data): (&[u8], _, Option<&[u8]>, &[u8]) = match *item {
            Item::File(name) => (name, EntryType::Regular, None, b"payload"),
            Item::Dir(name) => (name, EntryType::Directory, None, b""),
            Item::Symlink(name, target) => (name, EntryType::Symlink, Some(target), b""),
            Item::HardLink(name, target) => (name, EntryType::Link, Some(target), b""),
            Item::Fifo(name) => (name, EntryType::Fifo, None, b""),
        };
        let mut header = Header::new_gnu();
        assert!(name.len() < 100, "name too long for a plain header");
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_entry_type(kind);
        if let Some(link) = link {
            header.set_link_name_literal(link).unwrap();
        }
        header.set_mode(0o644);
        header.set_size(data.len() as u64);
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.into_inner().unwrap()
}

/// Unpacks `archive` into a destination holding one file, next to a
/// directory the archive tries to reach. Checks that it fails, that
/// neither directory changed, that no scratch directory is left, and
/// returns the error message.
fn unpack_hostile(label: &str, archive: &[u8]) -> String {
    let tmp = TempDir::new(label);
    let outside = tmp.join("outside");
    write(outside.join("secret"), "secret\n");
    let dest = tmp.join("work/dest");
    write(dest.join("existing.txt"), "existing\n");
    let archive_path = tmp.join("hostile.tar.zst");
    fs::write(&archive_path, archive).unwrap();

    let before = (snapshot(&dest), snapshot(&outside));
    let error = unpack(&archive_path, &dest).unwrap_err().to_string();
    assert_eq!((snapshot(&dest), snapshot(&outside)), before, "{error}");
    assert_eq!(names(&tmp.join("work")), ["dest"], "{error}");

    // Unpacking into a missing destination must not create it either.
    let fresh = tmp.join("work/fresh");
    assert!(unpack(&archive_path, &fresh).is_err());
    assert_eq!(names(&tmp.join("work")), ["dest"]);
    assert_eq!(snapshot(&outside), before.1);
    error
}

fn assert_rejected(label: &str, items: &[Item<'_>], expected: &str) {
    let error = unpack_hostile(label, &crafted_archive(items));
    assert!(
        error.contains(expected),
        "expected {expected:?} in: {error}"
    );
    assert!(error.contains("hostile.tar.zst"), "{error}");
}

#[test]
fn rejects_parent_components() {
    assert_rejected(
        "dotdot",
        &[Item::File(b"../x")],
        "entry `../x`: path contains `..`",
    );
    assert_rejected(
        "dotdot-inner",
        &[Item::Dir(b"a"), Item::File(b"a/../../outside/x")],
        "entry `a/../../outside/x`: path contains `..`",
    );
}

#[test]
fn rejects_absolute_paths() {
    let tmp = TempDir::new("absolute-target");
    let target = tmp.join("x");
    let name = target.to_str().unwrap().as_bytes();
    assert_rejected("absolute", &[Item::File(name)], "absolute path");
    assert!(!target.exists());
}

#[test]
fn rejects_writing_through_symlinks() {
    assert_rejected(
        "symlink-parent",
        &[Item::Symlink(b"a", b".."), Item::File(b"a/x")],
        "entry `a/x`: `a` is a symlink",
    );
    let tmp = TempDir::new("symlink-outside-target");
    let outside = tmp.path().to_str().unwrap().as_bytes();
    assert_rejected(
        "symlink-outside",
        &[
            Item::Symlink(b"a", outside),
            Item::Dir(b"a/d"),
            Item::File(b"a/d/x"),
        ],
        "entry `a/d`: `a` is a symlink",
    );
    assert!(names(tmp.path()).is_empty());
    // A file replacing a symlink would be written through it.
    assert_rejected(
        "symlink-same-name",
        &[Item::Symlink(b"a", b"../outside/secret"), Item::File(b"a")],
        "entry `a`: path already used",
    );
}

#[test]
fn rejects_hard_links_leaving_the_archive() {
    assert_rejected(
        "hardlink-dotdot",
        &[Item::HardLink(b"h", b"../outside/secret")],
        "entry `h`: hard link target `../outside/secret`",
    );
    assert_rejected(
        "hardlink-absolute",
        &[Item::HardLink(b"h", b"/etc/passwd")],
        "entry `h`: hard link target `/etc/passwd`: absolute path",
    );
    assert_rejected(
        "hardlink-through-symlink",
        &[
            Item::Symlink(b"s", b"../outside"),
            Item::HardLink(b"h", b"s/secret"),
        ],
        "entry `h`: hard link target `s/secret`: not a file unpacked before",
    );
}

#[test]
fn rejects_special_files() {
    assert_rejected(
        "fifo",
        &[Item::Fifo(b"pipe")],
        "entry `pipe`: unsupported entry type",
    );
}

#[test]
fn accepts_hard_links_within_the_archive() {
    let tmp = TempDir::new("hardlink-ok");
    let archive = tmp.join("ok.tar.zst");
    fs::write(
        &archive,
        crafted_archive(&[
            Item::Dir(b"d"),
            Item::File(b"d/f"),
            Item::HardLink(b"h", b"d/f"),
        ]),
    )
    .unwrap();
    unpack(&archive, &tmp.join("dest")).unwrap();
    assert_eq!(fs::read(tmp.join("dest/h")).unwrap(), b"payload");
}

/// A real archive, large enough that damage to it lands in compressed data.
fn real_archive() -> Vec<u8> {
    let tmp = TempDir::new("real-archive");
    let source = tmp.join("source");
    for index in 0..50 {
        let contents: Vec<u8> = (0..20_000u32).map(|i| (i * 7 + index) as u8).collect();
        write(
            source.join(format!("dir{}/file{index}", index % 5)),
            contents,
        );
    }
    pack(&source, &tmp.join("real.tar.zst"), 1).unwrap();
    fs::read(tmp.join("real.tar.zst")).unwrap()
}

#[test]
fn rejects_truncated_archives() {
    let archive = real_archive();
    // Cut in the middle of the data, and just before the end, which loses
    // part of the checksum after all tar data is complete.
    for cut in [archive.len() / 2, archive.len() - 1] {
        let error = unpack_hostile("truncated", &archive[..cut]);
        assert!(error.contains("truncated"), "{error}");
    }
}

#[test]
fn rejects_tar_data_cut_short() {
    // Sound zstd around a tar whose last file ends before its stated size.
    let tar = crafted_tar(&[Item::File(b"ok"), Item::File(b"short")]);
    let cut = &tar[..512 * 3 + 3];
    let error = unpack_hostile("tar-cut", &zstd::encode_all(cut, 3).unwrap());
    assert!(
        error.contains("entry `short`: truncated archive"),
        "{error}"
    );
}

#[test]
fn rejects_corrupted_archives() {
    let mut archive = real_archive();
    let middle = archive.len() / 2;
    archive[middle] ^= 0x55;
    let error = unpack_hostile("corrupted", &archive);
    assert!(error.contains("corrupt"), "{error}");
}

#[test]
fn rejects_files_that_are_not_zstd() {
    // The gzip header of an empty file, then garbage.
    let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage";
    let error = unpack_hostile("gzip", gzip);
    assert!(error.contains("not a zstd-compressed archive"), "{error}");
    let error = unpack_hostile("empty", b"");
    assert!(error.contains("not a zstd-compressed archive"), "{error}");
}
