//! Packing and unpacking: layers and chains of them, round trips,
//! determinism, merging, bad bases, and archives built to attack the
//! unpacker.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{names, set_mode, snapshot, write, Node, TempDir};
use gantry::archive::{
    pack, pack_archive, unpack, unpack_archive, Compression, LayerKind, Manifest, PackOptions,
    PackSummary, MANIFEST, MTIME,
};
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

/// A small cargo target directory.
fn target_tree(root: &Path) {
    write(
        root.join("CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    write(root.join("release/deps/libfoo-1.rlib"), "foo v1");
    write(root.join("release/deps/libbar-1.rlib"), vec![3u8; 100_000]);
    write(root.join("release/deps/gone-1.d"), "to be deleted");
    write(
        root.join("release/build/x-1/out/gen.rs"),
        "pub const X: u8 = 1;\n",
    );
    write(root.join("release/.fingerprint/foo-1/lib-foo"), "0123abcd");
    write(root.join("release/app"), "#!app v1");
    set_mode(root.join("release/app"), 0o755);
    fs::hard_link(root.join("release/app"), root.join("release/deps/app-1")).unwrap();
    symlink("deps/libfoo-1.rlib", root.join("release/libfoo.rlib")).unwrap();
}

/// The next build: one file changed (same size), one added, one deleted,
/// one rewritten with the same contents.
fn change_tree(root: &Path) {
    write(root.join("release/deps/libfoo-1.rlib"), "foo v2");
    write(root.join("release/deps/libnew-1.rlib"), "new");
    fs::remove_file(root.join("release/deps/gone-1.d")).unwrap();
    write(root.join("release/deps/libbar-1.rlib"), vec![3u8; 100_000]);
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

fn options(kind: LayerKind, base: Option<&Path>) -> PackOptions {
    PackOptions {
        kind,
        base: base.map(Path::to_path_buf),
        full: false,
        compression: Compression::default(),
        workers: 2,
    }
}

fn pack_layer(target: &Path, out: &Path, kind: LayerKind, base: Option<&Path>) -> PackSummary {
    pack(target, out, &options(kind, base)).unwrap()
}

/// Makes the layer `path` read-only as the Nix store does, and returns its
/// snapshot: nothing may write into a base layer, even when the tests run
/// as root, which ignores permissions.
fn seal(path: &Path) -> BTreeMap<PathBuf, Node> {
    make_read_only(path);
    snapshot(path)
}

fn make_read_only(path: &Path) {
    let metadata = fs::symlink_metadata(path).unwrap();
    if metadata.is_symlink() {
        return;
    }
    if metadata.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            make_read_only(&entry.unwrap().path());
        }
    }
    let executable = metadata.is_dir() || metadata.permissions().mode() & 0o100 != 0;
    set_mode(path, if executable { 0o555 } else { 0o444 });
}

/// Unpacks `artifacts` into the fresh directory `dest` and snapshots it,
/// checking that every file is an ordinary, owner-writable file with the
/// pack time.
fn unpacked(artifacts: &Path, dest: &Path) -> BTreeMap<PathBuf, Node> {
    unpack(artifacts, dest).unwrap();
    let tree = snapshot(dest);
    for (path, node) in &tree {
        match node {
            Node::File { mode, mtime, .. } => {
                assert_eq!(mode & 0o200, 0o200, "{}", path.display());
                assert_eq!(*mtime, MTIME as i64, "{}", path.display());
            }
            Node::Dir { mode, .. } => assert_eq!(mode & 0o700, 0o700, "{}", path.display()),
            Node::Symlink { .. } => {}
        }
    }
    tree
}

/// The names and types of the entries of a layer's archive.
fn archive_entries(layer: &Path) -> Vec<(String, EntryType)> {
    let tar = zstd::decode_all(fs::File::open(layer.join("target.tar.zst")).unwrap()).unwrap();
    let mut reader = tar::Archive::new(&tar[..]);
    reader
        .entries()
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let kind = entry.header().entry_type();
            (entry.path().unwrap().display().to_string(), kind)
        })
        .collect()
}

fn archive_names(layer: &Path) -> Vec<String> {
    archive_entries(layer)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn manifest(layer: &Path) -> Manifest {
    Manifest::read(layer).unwrap()
}

/// Where the symlink `path` of a symlink layer's tree leads, or `None` for
/// a real file.
fn pointer(layer: &Path, path: &str) -> Option<PathBuf> {
    fs::read_link(layer.join("target").join(path)).ok()
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap()
}

#[test]
fn round_trip_keeps_contents_modes_links_and_sets_times() {
    for kind in [LayerKind::Zstd, LayerKind::Symlink] {
        let tmp = TempDir::new("round-trip");
        let source = tmp.join("source");
        sample_tree(&source);
        let layer = tmp.join("layer");

        let summary = pack_layer(&source, &layer, kind, None);
        assert_eq!(summary.files, 6, "{kind}");
        assert_eq!(summary.deleted, 0, "{kind}");
        seal(&layer);
        let restored = unpacked(&layer, &tmp.join("dest"));

        assert_eq!(
            restored,
            expected_after_unpack(&snapshot(&source)),
            "{kind}"
        );
        assert_eq!(
            restored[Path::new("readonly.txt")],
            Node::File {
                mode: 0o644,
                mtime: 1,
                contents: b"do not touch\n".to_vec()
            }
        );
        assert_eq!(
            restored[Path::new("odd-link")],
            Node::Symlink {
                target: "a//b/./c".into()
            }
        );
        assert_eq!(names(tmp.path()), ["dest", "layer", "source"]);
    }
}

#[test]
fn full_zstd_layer_keeps_hard_links() {
    let tmp = TempDir::new("full-zstd");
    let source = tmp.join("source");
    sample_tree(&source);
    let layer = tmp.join("layer");
    let summary = pack_layer(&source, &layer, LayerKind::Zstd, None);

    assert_eq!(names(&layer), [MANIFEST, "target.tar.zst"]);
    let written = manifest(&layer);
    assert_eq!(written.kind, LayerKind::Zstd);
    assert!(!written.incremental);
    assert_eq!(written.base, None);
    assert_eq!(summary.stored_files, summary.files);
    assert!(
        summary.to_string().ends_with("in full zstd layer"),
        "{summary}"
    );
    assert!(archive_entries(&layer).contains(&("tool".into(), EntryType::Link)));

    unpack(&layer, &tmp.join("dest")).unwrap();
    let inode = |path: &str| fs::metadata(tmp.join("dest").join(path)).unwrap().ino();
    assert_eq!(inode("bin/tool"), inode("tool"));
}

#[test]
fn manifest_describes_the_whole_tree() {
    let tmp = TempDir::new("manifest");
    let source = tmp.join("source");
    write(source.join("d/f"), "abc");
    set_mode(source.join("d/f"), 0o644);
    set_mode(source.join("d"), 0o750);
    symlink("f", source.join("d/l")).unwrap();
    let layer = tmp.join("layer");
    pack_layer(&source, &layer, LayerKind::Zstd, None);

    let text = fs::read_to_string(layer.join(MANIFEST)).unwrap();
    let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert_eq!(
        text,
        format!(
            concat!(
                r#"{{"format":1,"kind":"zstd","incremental":false,"entries":["#,
                r#"{{"path":"d","type":"dir","mode":488}},"#,
                r#"{{"path":"d/f","type":"file","mode":420,"size":3,"sha256":"{}"}},"#,
                r#"{{"path":"d/l","type":"symlink","target":"f"}}],"deleted":[]}}"#,
                "\n"
            ),
            sha
        )
    );
}

#[test]
fn zstd_over_zstd_stores_only_the_changes() {
    let tmp = TempDir::new("zstd-over-zstd");
    let first = tmp.join("first");
    target_tree(&first);
    let base = tmp.join("base");
    pack_layer(&first, &base, LayerKind::Zstd, None);
    let sealed_base = seal(&base);

    let work = tmp.join("work");
    unpack(&base, &work).unwrap();
    change_tree(&work);
    let layer = tmp.join("layer");
    let summary = pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));

    // Only the changed and the added file; the identical rewrite is not.
    assert_eq!(
        archive_names(&layer),
        ["release/deps/libfoo-1.rlib", "release/deps/libnew-1.rlib"]
    );
    assert_eq!(fs::read_link(layer.join("prev")).unwrap(), canonical(&base));
    assert_eq!(names(&layer), [MANIFEST, "prev", "target.tar.zst"]);
    let written = manifest(&layer);
    assert!(written.incremental);
    assert_eq!(written.base, Some(canonical(&base)));
    assert_eq!(written.deleted, [PathBuf::from("release/deps/gone-1.d")]);
    assert_eq!(summary.files, 8);
    assert_eq!((summary.stored_files, summary.stored_bytes), (2, 9));
    assert_eq!(summary.deleted, 1);
    assert_eq!(
        summary.to_string(),
        format!(
            "packed 8 files (0.1 MiB), stored 2 (0.0 MiB) in zstd layer over {}; 1 deleted",
            canonical(&base).display()
        )
    );
    // The base's manifest and the new one agree on the rewritten file.
    let sha = |manifest: &Manifest, path: &str| {
        manifest
            .entries
            .iter()
            .find(|entry| entry.path == Path::new(path))
            .map(|entry| entry.node.clone())
    };
    let bar = "release/deps/libbar-1.rlib";
    assert_eq!(sha(&written, bar), sha(&manifest(&base), bar));

    seal(&layer);
    let restored = unpacked(&layer, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));
    assert!(!restored.contains_key(Path::new("release/deps/gone-1.d")));
    assert_eq!(snapshot(&base), sealed_base, "base was written to");
}

#[test]
fn unchanged_files_are_not_stored_again() {
    let tmp = TempDir::new("unchanged");
    let first = tmp.join("first");
    target_tree(&first);
    let base = tmp.join("base");
    pack_layer(&first, &base, LayerKind::Zstd, None);
    seal(&base);

    let work = tmp.join("work");
    unpack(&base, &work).unwrap();
    // Rewritten with the same bytes: read and hashed, found equal.
    write(work.join("release/deps/libfoo-1.rlib"), "foo v1");
    let layer = tmp.join("layer");
    let summary = pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));

    assert!(archive_names(&layer).is_empty());
    assert_eq!(summary.stored_files, 0);
    assert_eq!(manifest(&layer).entries, manifest(&base).entries);
    let restored = unpacked(&layer, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&first)));
}

#[test]
fn files_with_the_unpack_time_are_trusted_unread() {
    let tmp = TempDir::new("trusted");
    let first = tmp.join("first");
    target_tree(&first);
    let base = tmp.join("base");
    pack_layer(&first, &base, LayerKind::Zstd, None);

    let work = tmp.join("work");
    unpack(&base, &work).unwrap();
    // Same mode and size, and still the unpack time: taken as unchanged
    // without being read, so this edit goes unseen.
    let foo = work.join("release/deps/libfoo-1.rlib");
    fs::write(&foo, "foo v9").unwrap();
    let unpack_time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(MTIME);
    fs::File::options()
        .write(true)
        .open(&foo)
        .unwrap()
        .set_times(fs::FileTimes::new().set_modified(unpack_time))
        .unwrap();
    let layer = tmp.join("layer");
    pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));
    assert!(archive_names(&layer).is_empty());
}

#[test]
fn three_layer_chain() {
    let tmp = TempDir::new("three-layers");
    let work = tmp.join("work");
    target_tree(&work);
    let one = tmp.join("one");
    pack_layer(&work, &one, LayerKind::Zstd, None);
    let sealed_one = seal(&one);

    restore(&one, &work);
    change_tree(&work);
    let two = tmp.join("two");
    pack_layer(&work, &two, LayerKind::Zstd, Some(&one));
    let sealed_two = seal(&two);

    restore(&two, &work);
    // Deleted in two, back in three; changed in two, unchanged in three;
    // a directory replaced by a file.
    write(work.join("release/deps/gone-1.d"), "back again");
    write(work.join("release/deps/libnew-1.rlib"), "newer");
    fs::remove_dir_all(work.join("release/build")).unwrap();
    write(work.join("release/build"), "now a file");
    let three = tmp.join("three");
    let summary = pack_layer(&work, &three, LayerKind::Zstd, Some(&two));
    seal(&three);

    assert_eq!(
        archive_names(&three),
        [
            "release/build",
            "release/deps/gone-1.d",
            "release/deps/libnew-1.rlib"
        ]
    );
    // `release/build` itself is still there, as a file.
    assert_eq!(summary.deleted, 3);
    assert_eq!(
        manifest(&three).deleted,
        [
            PathBuf::from("release/build/x-1"),
            "release/build/x-1/out".into(),
            "release/build/x-1/out/gen.rs".into(),
        ]
    );
    assert_eq!(fs::read_link(three.join("prev")).unwrap(), canonical(&two));
    let restored = unpacked(&three, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));
    assert_eq!(snapshot(&one), sealed_one, "one was written to");
    assert_eq!(snapshot(&two), sealed_two, "two was written to");
}

#[test]
fn symlink_over_symlink_points_at_the_base_files() {
    let tmp = TempDir::new("symlink-over-symlink");
    let first = tmp.join("first");
    target_tree(&first);
    let one = tmp.join("one");
    let summary = pack_layer(&first, &one, LayerKind::Symlink, None);
    // The hard-linked binary is stored once.
    assert_eq!(summary.stored_files, summary.files - 1);
    assert_eq!(
        pointer(&one, "release/deps/app-1"),
        Some(canonical(&one).join("target/release/app"))
    );
    assert_eq!(
        pointer(&one, "release/libfoo.rlib"),
        Some("deps/libfoo-1.rlib".into())
    );
    let sealed_one = seal(&one);

    let work = tmp.join("work");
    unpack(&one, &work).unwrap();
    change_tree(&work);
    let two = tmp.join("two");
    let summary = pack_layer(&work, &two, LayerKind::Symlink, Some(&one));
    assert_eq!((summary.stored_files, summary.deleted), (2, 1));
    assert!(
        summary.to_string().contains("in symlink layer over"),
        "{summary}"
    );
    let sealed_two = seal(&two);

    let one_tree = canonical(&one).join("target");
    assert_eq!(names(&two), [MANIFEST, "target"]);
    // The base given as its tree, as crane's dedupAndInstallCargoArtifactsDir
    // names it, is the same base.
    let via_tree = tmp.join("via-tree");
    pack_layer(
        &work,
        &via_tree,
        LayerKind::Symlink,
        Some(&one.join("target")),
    );
    assert_eq!(
        fs::read(via_tree.join(MANIFEST)).unwrap(),
        fs::read(two.join(MANIFEST)).unwrap()
    );
    assert_eq!(
        pointer(&two, "release/deps/libbar-1.rlib"),
        Some(one_tree.join("release/deps/libbar-1.rlib"))
    );
    // Resolved to the real file, not to the base's own pointer.
    assert_eq!(
        pointer(&two, "release/deps/app-1"),
        Some(one_tree.join("release/app"))
    );
    assert_eq!(pointer(&two, "release/deps/libfoo-1.rlib"), None);
    assert_eq!(pointer(&two, "release/deps/libnew-1.rlib"), None);
    let written = manifest(&two);
    assert_eq!(written.base, Some(canonical(&one)));
    assert!(!written.incremental);

    let restored = unpacked(&two, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));

    // A third layer still points at the first layer's real files.
    restore(&two, &work);
    let three = tmp.join("three");
    let summary = pack_layer(&work, &three, LayerKind::Symlink, Some(&two));
    assert_eq!(summary.stored_files, 0);
    assert_eq!(
        pointer(&three, "release/deps/libbar-1.rlib"),
        Some(one_tree.join("release/deps/libbar-1.rlib"))
    );
    assert_eq!(
        pointer(&three, "release/deps/libnew-1.rlib"),
        Some(canonical(&two).join("target/release/deps/libnew-1.rlib"))
    );
    assert_eq!(snapshot(&one), sealed_one, "one was written to");
    assert_eq!(snapshot(&two), sealed_two, "two was written to");
}

#[test]
fn symlink_zstd_symlink_chain() {
    let tmp = TempDir::new("symlink-zstd-symlink");
    let work = tmp.join("work");
    target_tree(&work);
    let one = tmp.join("one");
    pack_layer(&work, &one, LayerKind::Symlink, None);
    let sealed_one = seal(&one);

    restore(&one, &work);
    change_tree(&work);
    let two = tmp.join("two");
    pack_layer(&work, &two, LayerKind::Zstd, Some(&one));
    let sealed_two = seal(&two);
    assert_eq!(fs::read_link(two.join("prev")).unwrap(), canonical(&one));
    let after_two = snapshot(&work);

    fs::remove_dir_all(&work).unwrap();
    assert_eq!(unpacked(&two, &work), expected_after_unpack(&after_two));
    write(work.join("release/app"), "#!app v3");
    let three = tmp.join("three");
    let summary = pack_layer(&work, &three, LayerKind::Symlink, Some(&two));
    seal(&three);

    // Through the zstd layer's `prev`, down to the first layer's files;
    // what only the zstd layer holds is copied.
    let one_tree = canonical(&one).join("target");
    assert_eq!(
        pointer(&three, "release/deps/libbar-1.rlib"),
        Some(one_tree.join("release/deps/libbar-1.rlib"))
    );
    assert_eq!(pointer(&three, "release/deps/libnew-1.rlib"), None);
    assert_eq!(pointer(&three, "release/app"), None);
    // The old binary's contents are still in the first layer.
    assert_eq!(
        pointer(&three, "release/deps/app-1"),
        Some(one_tree.join("release/app"))
    );
    assert_eq!(summary.stored_files, 3);
    let restored = unpacked(&three, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));
    assert_eq!(snapshot(&one), sealed_one, "one was written to");
    assert_eq!(snapshot(&two), sealed_two, "two was written to");
}

#[test]
fn zstd_symlink_zstd_chain() {
    let tmp = TempDir::new("zstd-symlink-zstd");
    let work = tmp.join("work");
    target_tree(&work);
    let one = tmp.join("one");
    pack_layer(&work, &one, LayerKind::Zstd, None);
    let sealed_one = seal(&one);

    restore(&one, &work);
    change_tree(&work);
    let two = tmp.join("two");
    let summary = pack_layer(&work, &two, LayerKind::Symlink, Some(&one));
    // No symlink layer below: everything is copied, hard links once.
    assert_eq!(summary.stored_files, summary.files - 1);
    let sealed_two = seal(&two);
    let after_two = snapshot(&work);

    fs::remove_dir_all(&work).unwrap();
    assert_eq!(unpacked(&two, &work), expected_after_unpack(&after_two));
    fs::remove_file(work.join("release/deps/libnew-1.rlib")).unwrap();
    write(work.join("release/deps/libbar-1.rlib"), "bar v3");
    let three = tmp.join("three");
    pack_layer(&work, &three, LayerKind::Zstd, Some(&two));
    seal(&three);

    assert_eq!(archive_names(&three), ["release/deps/libbar-1.rlib"]);
    assert_eq!(fs::read_link(three.join("prev")).unwrap(), canonical(&two));
    let restored = unpacked(&three, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));
    assert_eq!(snapshot(&one), sealed_one, "one was written to");
    assert_eq!(snapshot(&two), sealed_two, "two was written to");
}

#[test]
fn hard_links_across_the_unchanged_boundary() {
    let tmp = TempDir::new("hard-links");
    let work = tmp.join("work");
    write(work.join("deps/app-1"), "binary v1");
    write(work.join("deps/lib-1"), "lib v1");
    let base = tmp.join("base");
    pack_layer(&work, &base, LayerKind::Zstd, None);
    let sealed_base = seal(&base);

    restore(&base, &work);
    // A new name for an unchanged file: its first name is not stored, so
    // the new one must be a file of its own.
    fs::create_dir(work.join("release")).unwrap();
    fs::hard_link(work.join("deps/app-1"), work.join("release/app")).unwrap();
    // A changed file with two new names after it: one file, one link.
    fs::remove_file(work.join("deps/lib-1")).unwrap();
    write(work.join("deps/lib-1"), "lib v2");
    fs::hard_link(work.join("deps/lib-1"), work.join("lib")).unwrap();
    fs::hard_link(work.join("deps/lib-1"), work.join("lib-copy")).unwrap();
    let layer = tmp.join("layer");
    pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));
    seal(&layer);

    assert_eq!(
        archive_entries(&layer),
        [
            ("deps/lib-1".into(), EntryType::Regular),
            ("lib".into(), EntryType::Link),
            ("lib-copy".into(), EntryType::Link),
            ("release".into(), EntryType::Directory),
            ("release/app".into(), EntryType::Regular),
        ]
    );
    let restored = unpacked(&layer, &tmp.join("dest"));
    assert_eq!(restored, expected_after_unpack(&snapshot(&work)));
    let inode = |path: &str| fs::metadata(tmp.join("dest").join(path)).unwrap().ino();
    assert_eq!(inode("lib"), inode("deps/lib-1"));
    assert_eq!(snapshot(&base), sealed_base, "base was written to");
}

/// Archives `dir/target` (or, with `changed_only`, what in it is newer
/// than `dir/epoch`) into `out/target.tar.zst` with the commands and flags
/// crane's installCargoArtifactsHook runs, from `dir`, linking `prev` as
/// `target.tar.zst.prev` when given.
fn crane_archive(dir: &Path, out: &Path, changed_only: bool, prev: Option<&Path>) {
    fs::create_dir_all(out).unwrap();
    let archive = out.join("target.tar.zst");
    let tar_flags = "--sort=name --mtime=@1 --owner=0 --group=0 --mode=u+w --numeric-owner \
         --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -c";
    let script = if changed_only {
        format!(
            "find target -newer epoch -print0 | tar --null --no-recursion -T - {tar_flags} \
             | zstd -q -o {}",
            archive.display()
        )
    } else {
        format!("tar {tar_flags} target | zstd -q -o {}", archive.display())
    };
    let status = Command::new("sh")
        .args(["-ec", &script])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "{script}");
    if let Some(prev) = prev {
        symlink(prev, out.join("target.tar.zst.prev")).unwrap();
    }
}

#[test]
fn crane_archive_chains_are_unpacked_whole() {
    let tmp = TempDir::new("crane-chain");
    let build = tmp.join("build");
    let work = build.join("target");
    target_tree(&work);
    // crane's deps archive, then its next build's: only what is newer than
    // the unpacked files (which carry crane's time @1), `.prev` linking
    // the first. Deletions are not recorded.
    let deps = tmp.join("deps");
    crane_archive(&build, &deps, false, None);
    let mut deleted_too = snapshot(&work);
    let touched = Command::new("sh")
        .args([
            "-ec",
            "find target -exec touch -h -d @1 {} +; touch epoch; sleep 0.01",
        ])
        .current_dir(&build)
        .status()
        .unwrap();
    assert!(touched.success());
    change_tree(&work);
    let step = tmp.join("step");
    crane_archive(&build, &step, true, Some(&deps.join("target.tar.zst")));
    seal(&deps);
    seal(&step);
    assert!(
        fs::metadata(step.join("target.tar.zst")).unwrap().len()
            < fs::metadata(deps.join("target.tar.zst")).unwrap().len()
    );

    deleted_too.extend(snapshot(&work));
    let expected = expected_after_unpack(&deleted_too);
    for (label, artifacts) in [("dir", step.clone()), ("file", step.join("target.tar.zst"))] {
        let from_crane = unpacked(&artifacts, &tmp.join(format!("{label}-crane")));
        assert_eq!(from_crane, expected, "{label}");
        // Packing over crane's artifacts, which have no manifest to
        // compare against, gives a complete layer, as without a base.
        let layer = tmp.join(label);
        let summary = pack_layer(&work, &layer, LayerKind::Zstd, Some(&artifacts));
        assert_eq!(names(&layer), [MANIFEST, "target.tar.zst"], "{label}");
        assert_eq!(summary.stored_files, summary.files, "{label}");
        assert_eq!(summary.base, None, "{label}");
        let written = manifest(&layer);
        assert!(!written.incremental && written.base.is_none(), "{label}");
    }

    // A `.prev` leading back to the archive itself is refused.
    let looping = tmp.join("looping");
    crane_archive(
        &build,
        &looping,
        false,
        Some(&looping.join("target.tar.zst")),
    );
    let error = unpack(&looping, &tmp.join("x")).unwrap_err().to_string();
    assert!(error.contains("loops back"), "{error}");
}

#[test]
fn full_ignores_the_base() {
    let tmp = TempDir::new("full");
    let work = tmp.join("work");
    target_tree(&work);
    let base = tmp.join("base");
    pack_layer(&work, &base, LayerKind::Zstd, None);
    let layer = tmp.join("layer");
    let options = PackOptions {
        full: true,
        ..options(LayerKind::Zstd, Some(&base))
    };
    let summary = pack(&work, &layer, &options).unwrap();
    assert_eq!(summary.stored_files, summary.files);
    assert_eq!(names(&layer), [MANIFEST, "target.tar.zst"]);
    assert_eq!(
        fs::read(layer.join(MANIFEST)).unwrap(),
        fs::read(base.join(MANIFEST)).unwrap()
    );
}

#[test]
fn packing_is_deterministic() {
    for kind in [LayerKind::Zstd, LayerKind::Symlink] {
        let tmp = TempDir::new("deterministic");
        let work = tmp.join("work");
        target_tree(&work);
        let base = tmp.join("base");
        pack_layer(&work, &base, kind, None);
        seal(&base);
        restore(&base, &work);
        change_tree(&work);

        pack(
            &work,
            &tmp.join("first"),
            &PackOptions {
                workers: 1,
                ..options(kind, Some(&base))
            },
        )
        .unwrap();
        // Different times and thread count must not change a byte.
        write(work.join("release/deps/libnew-1.rlib"), "new");
        pack(
            &work,
            &tmp.join("second"),
            &PackOptions {
                workers: 3,
                ..options(kind, Some(&base))
            },
        )
        .unwrap();

        let read = |layer: &str, file: &str| fs::read(tmp.join(layer).join(file)).unwrap();
        assert_eq!(read("first", MANIFEST), read("second", MANIFEST), "{kind}");
        if kind == LayerKind::Zstd {
            let archive = "target.tar.zst";
            assert_eq!(read("first", archive), read("second", archive));
        } else {
            assert_eq!(
                pointer(&tmp.join("first"), "release/deps/libbar-1.rlib"),
                pointer(&tmp.join("second"), "release/deps/libbar-1.rlib")
            );
        }
    }
}

#[test]
fn thread_count_does_not_change_the_archive() {
    let tmp = TempDir::new("threads");
    // Over the compressor's job size (8 MiB), so that several threads get
    // work (and single-threaded mode would give different bytes).
    let mut state = 1u32;
    let contents: Vec<u8> = (0..10_000_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            b'a' + (state >> 27) as u8 % 16
        })
        .collect();
    write(tmp.join("source/big"), contents);

    let with = |workers| PackOptions {
        workers,
        ..options(LayerKind::Zstd, None)
    };
    pack(&tmp.join("source"), &tmp.join("one"), &with(1)).unwrap();
    pack(&tmp.join("source"), &tmp.join("four"), &with(4)).unwrap();

    let one = fs::read(tmp.join("one/target.tar.zst")).unwrap();
    assert_eq!(one, fs::read(tmp.join("four/target.tar.zst")).unwrap());
    // Long-distance matching's window stays within what any zstd decoder
    // accepts without being told (crane's `zstd -d | tar -x`).
    let tar = zstd::decode_all(&one[..]).unwrap();
    assert!(tar.len() > 10_000_000);
}

#[test]
fn zstd_args_set_level_and_window() {
    let tmp = TempDir::new("zstd-args");
    target_tree(&tmp.join("source"));
    let with = |args: &str| PackOptions {
        compression: Compression::default().with_zstd_args(args).unwrap(),
        ..options(LayerKind::Zstd, None)
    };
    let size = |layer: &str| {
        fs::metadata(tmp.join(layer).join("target.tar.zst"))
            .unwrap()
            .len()
    };
    pack(&tmp.join("source"), &tmp.join("default"), &with("")).unwrap();
    pack(&tmp.join("source"), &tmp.join("19"), &with("-19 -T0")).unwrap();
    pack(&tmp.join("source"), &tmp.join("long"), &with(" --long=31 ")).unwrap();
    assert!(size("19") < size("default"), "-19 compresses better");
    // A window over zstd's default decoder limit: unpacking still reads it.
    assert!(zstd::decode_all(&fs::read(tmp.join("long/target.tar.zst")).unwrap()[..]).is_err());
    let expected = expected_after_unpack(&snapshot(&tmp.join("source")));
    for layer in ["19", "long"] {
        assert_eq!(
            unpacked(&tmp.join(layer), &tmp.join(format!("{layer}-dest"))),
            expected
        );
    }

    assert_eq!(
        Compression::default()
            .with_zstd_args("--ultra -22")
            .unwrap()
            .level,
        22
    );
    assert_eq!(
        Compression::default()
            .with_zstd_args("--fast=3")
            .unwrap()
            .level,
        -3
    );
    for (args, problem) in [
        ("-22", "`-22` is not a level zstd accepts here"),
        ("--long=40", "`--long=40` is out of zstd's window range"),
        (
            "--rsyncable",
            "`--rsyncable` is not an option gantry can apply",
        ),
        ("-Tx", "`-Tx` is no number"),
    ] {
        let error = Compression::default()
            .with_zstd_args(args)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("zstdCompressionExtraArgs: {problem}")),
            "{error}"
        );
    }
}

#[test]
fn archive_entries_are_sorted_with_fixed_metadata() {
    let tmp = TempDir::new("sorted");
    let source = tmp.join("source");
    for name in ["b/z", "b.txt", "a-1", "a/x", "B"] {
        write(source.join(name), name);
    }
    let layer = tmp.join("out");
    pack_layer(&source, &layer, LayerKind::Zstd, None);

    let tar = zstd::decode_all(fs::File::open(layer.join("target.tar.zst")).unwrap()).unwrap();
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
    let expected = ["B", "a", "a/x", "a-1", "b", "b/z", "b.txt"];
    assert_eq!(paths, expected);
    let listed: Vec<String> = manifest(&layer)
        .entries
        .iter()
        .map(|entry| entry.path.display().to_string())
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn pack_archive_packs_only_the_given_paths() {
    let tmp = TempDir::new("selection");
    let source = tmp.join("source");
    write(source.join("d/f"), "shared");
    write(source.join("d/g"), "g");
    fs::hard_link(source.join("d/f"), source.join("h")).unwrap();

    // `h`'s first name is left out, so `h` holds the contents itself.
    let archive = tmp.join("some.tar.zst");
    pack_archive(&source, ["d/g", "h"], &archive, Compression::default(), 1).unwrap();
    unpack_archive(&archive, &tmp.join("some")).unwrap();
    assert_eq!(names(&tmp.join("some")), ["d", "h"]);
    assert_eq!(names(&tmp.join("some/d")), ["g"]);
    assert_eq!(fs::read(tmp.join("some/h")).unwrap(), b"shared");

    let archive = tmp.join("linked.tar.zst");
    pack_archive(&source, ["d/f", "h"], &archive, Compression::default(), 1).unwrap();
    unpack_archive(&archive, &tmp.join("linked")).unwrap();
    let inode = |path: &str| fs::metadata(tmp.join("linked").join(path)).unwrap().ino();
    assert_eq!(inode("d/f"), inode("h"));
}

#[test]
fn pack_rejects_special_files() {
    let tmp = TempDir::new("special");
    let source = tmp.join("source");
    fs::create_dir_all(&source).unwrap();
    let socket = std::os::unix::net::UnixListener::bind(source.join("socket")).unwrap();

    let error = pack(&source, &tmp.join("out"), &options(LayerKind::Zstd, None)).unwrap_err();
    drop(socket);
    assert!(error.to_string().contains("socket"), "{error}");
    // No layer, and no half-written scratch directory next to it.
    assert_eq!(names(tmp.path()), ["source"]);
}

#[test]
fn a_missing_target_directory_packs_to_an_empty_layer() {
    let tmp = TempDir::new("pack-missing");
    for kind in [LayerKind::Zstd, LayerKind::Symlink] {
        let layer = tmp.join(format!("{kind}"));
        let summary = pack_layer(&tmp.join("missing"), &layer, kind, None);
        assert_eq!((summary.files, summary.stored_files), (0, 0));
        assert!(manifest(&layer).entries.is_empty());
        // It unpacks to an empty target directory.
        assert!(unpacked(&layer, &tmp.join(format!("{kind}-dest"))).is_empty());
        assert!(tmp.join(format!("{kind}-dest")).is_dir());
    }
    assert!(!tmp.join("missing").exists());
}

#[test]
fn pack_requires_a_directory() {
    let tmp = TempDir::new("pack-file");
    write(tmp.join("file"), "not a directory");
    let error = pack(
        &tmp.join("file"),
        &tmp.join("out"),
        &options(LayerKind::Zstd, None),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("file: not a directory"),
        "{error}"
    );
    assert_eq!(names(tmp.path()), ["file"]);
}

#[test]
fn pack_wants_a_free_output_directory() {
    let tmp = TempDir::new("pack-out");
    write(tmp.join("source/f"), "f");
    // Missing parents are created; an empty directory is taken.
    pack_layer(
        &tmp.join("source"),
        &tmp.join("new/parents/layer"),
        LayerKind::Zstd,
        None,
    );
    fs::create_dir(tmp.join("empty")).unwrap();
    pack_layer(
        &tmp.join("source"),
        &tmp.join("empty"),
        LayerKind::Symlink,
        None,
    );
    assert_eq!(names(&tmp.join("empty")), [MANIFEST, "target"]);

    let error = pack(
        &tmp.join("source"),
        &tmp.join("empty"),
        &options(LayerKind::Zstd, None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("empty: already holds gantry-artifacts.json"),
        "{error}"
    );

    // Other contents (an installed package's bin/) stay; the layer joins them.
    write(tmp.join("package/bin/tool"), "tool");
    pack_layer(
        &tmp.join("source"),
        &tmp.join("package"),
        LayerKind::Zstd,
        None,
    );
    assert_eq!(
        names(&tmp.join("package")),
        ["bin", MANIFEST, "target.tar.zst"]
    );
    let dest = tmp.join("dest");
    unpack(&tmp.join("package"), &dest).unwrap();
    assert_eq!(fs::read_to_string(dest.join("f")).unwrap(), "f");
}

#[test]
fn unpack_merges_into_an_existing_directory() {
    let tmp = TempDir::new("merge");
    let source = tmp.join("source");
    write(source.join("lib/data.txt"), "new\n");
    write(source.join("replaced-by-dir/inner"), "inner\n");
    write(source.join("was-link/file"), "file\n");
    let layer = tmp.join("layer");
    pack_layer(&source, &layer, LayerKind::Zstd, None);

    let outside = tmp.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let dest = tmp.join("dest");
    write(dest.join("lib/data.txt"), "old\n");
    set_mode(dest.join("lib/data.txt"), 0o444);
    write(dest.join("lib/other.txt"), "kept\n");
    write(dest.join("replaced-by-dir"), "a file\n");
    symlink(&outside, dest.join("was-link")).unwrap();
    set_mode(&dest, 0o555);

    unpack(&layer, &dest).unwrap();

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
    assert_eq!(names(tmp.path()), ["dest", "layer", "outside", "source"]);
}

#[test]
fn chains_merge_into_an_existing_directory_and_leave_other_paths() {
    let tmp = TempDir::new("chain-merge");
    let work = tmp.join("work");
    target_tree(&work);
    let base = tmp.join("base");
    pack_layer(&work, &base, LayerKind::Symlink, None);
    seal(&base);
    restore(&base, &work);
    change_tree(&work);
    let layer = tmp.join("layer");
    pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));

    let dest = tmp.join("dest");
    write(dest.join("release/deps/libfoo-1.rlib"), "stale");
    write(
        dest.join("release/deps/gone-1.d"),
        "no layer removes what was there",
    );
    write(dest.join("debug/other"), "kept");
    unpack(&layer, &dest).unwrap();

    let mut expected = expected_after_unpack(&snapshot(&work));
    let restored = snapshot(&dest);
    for path in ["release/deps/gone-1.d", "debug/other", "debug"] {
        expected.insert(path.into(), restored[Path::new(path)].clone());
    }
    assert_eq!(restored, expected);
}

#[test]
fn later_layers_overwrite_earlier_ones() {
    let tmp = TempDir::new("overwrite");
    write(tmp.join("one/shared.txt"), "one\n");
    write(tmp.join("one/only-one.txt"), "one\n");
    write(tmp.join("two/shared.txt"), "two\n");
    pack_layer(
        &tmp.join("one"),
        &tmp.join("one-layer"),
        LayerKind::Zstd,
        None,
    );
    pack_layer(
        &tmp.join("two"),
        &tmp.join("two-layer"),
        LayerKind::Symlink,
        None,
    );

    let dest = tmp.join("dest");
    unpack(&tmp.join("one-layer"), &dest).unwrap();
    unpack(&tmp.join("two-layer"), &dest).unwrap();

    assert_eq!(
        fs::read_to_string(dest.join("shared.txt")).unwrap(),
        "two\n"
    );
    assert_eq!(
        fs::read_to_string(dest.join("only-one.txt")).unwrap(),
        "one\n"
    );
}

/// Replaces `work` with what `layer` (and the chain below it) restores: how the next build
/// of a chain starts.
fn restore(layer: &Path, work: &Path) {
    fs::remove_dir_all(work).unwrap();
    unpack(layer, work).unwrap();
}

/// A zstd layer `layer` over the sealed full layer `base`, both from the
/// target tree; `work` is left as the layer describes it.
fn two_layers(tmp: &TempDir) -> (PathBuf, PathBuf) {
    let work = tmp.join("work");
    target_tree(&work);
    let base = tmp.join("base");
    pack_layer(&work, &base, LayerKind::Zstd, None);
    restore(&base, &work);
    change_tree(&work);
    let layer = tmp.join("layer");
    pack_layer(&work, &layer, LayerKind::Zstd, Some(&base));
    (base, layer)
}

/// Fails to unpack `artifacts` into an existing destination and to pack
/// over it; checks the destination and the layer directories stayed as
/// they were, and returns both messages.
fn unusable(tmp: &TempDir, artifacts: &Path) -> [String; 2] {
    let dest = tmp.join("dest");
    write(dest.join("existing.txt"), "existing\n");
    let before = snapshot(&dest);
    let unpack_error = unpack(artifacts, &dest).unwrap_err().to_string();
    assert_eq!(snapshot(&dest), before, "{unpack_error}");
    let pack_error = pack(
        &dest,
        &tmp.join("out"),
        &options(LayerKind::Symlink, Some(artifacts)),
    )
    .unwrap_err()
    .to_string();
    assert!(!tmp.join("out").exists());
    let mut left = names(tmp.path());
    left.retain(|name| name.starts_with('.'));
    assert!(left.is_empty(), "scratch left behind: {left:?}");
    [unpack_error, pack_error]
}

#[test]
fn a_directory_without_artifacts_is_refused() {
    let tmp = TempDir::new("not-artifacts");
    let base = tmp.join("nothing-here");
    write(base.join("bin/app"), "app");
    seal(&base);
    for error in unusable(&tmp, &base) {
        assert!(
            error.contains(&format!(
                "{}: not an artifacts directory: it holds neither gantry-artifacts.json nor target.tar.zst; pass the result of buildDepsOnly or of a derivation built with doInstallCargoArtifacts = true",
                base.display()
            )),
            "{error}"
        );
    }
}

#[test]
fn a_missing_or_dangling_prev_is_refused() {
    let tmp = TempDir::new("dangling-prev");
    let (_, layer) = two_layers(&tmp);
    let prev = canonical(&layer).join("prev");
    fs::remove_file(&prev).unwrap();
    for error in unusable(&tmp, &layer) {
        assert!(
            error.contains(&format!(
                "{}: missing: an incremental layer",
                prev.display()
            )),
            "{error}"
        );
    }
    symlink(tmp.join("gone"), &prev).unwrap();
    for error in unusable(&tmp, &layer) {
        assert!(
            error.contains(&format!(
                "{}: cannot follow the link to the base layer",
                prev.display()
            )),
            "{error}"
        );
    }
    // A link back to the layer itself.
    fs::remove_file(&prev).unwrap();
    symlink(&layer, &prev).unwrap();
    for error in unusable(&tmp, &layer) {
        assert!(error.contains("the chain of layers loops back"), "{error}");
    }
}

#[test]
fn a_corrupt_manifest_is_refused() {
    let tmp = TempDir::new("corrupt-manifest");
    let (base, layer) = two_layers(&tmp);
    let manifest_path = canonical(&base).join(MANIFEST);
    let text = fs::read_to_string(&manifest_path).unwrap();
    fs::write(&manifest_path, &text[..text.len() / 2]).unwrap();
    // Found through the layer's `prev`.
    for error in unusable(&tmp, &layer) {
        assert!(
            error.contains(&format!(
                "{}: invalid manifest: EOF",
                manifest_path.display()
            )),
            "{error}"
        );
    }
    let escaping = text.replacen(r#""path":"release""#, r#""path":"../release""#, 1);
    fs::write(&manifest_path, escaping).unwrap();
    for error in unusable(&tmp, &base) {
        assert!(
            error.contains(&format!(
                "{}: entry `../release`: invalid manifest: not a relative path",
                manifest_path.display()
            )),
            "{error}"
        );
    }
    fs::remove_file(&manifest_path).unwrap();
    fs::create_dir(&manifest_path).unwrap();
    for error in unusable(&tmp, &base) {
        assert!(
            error.contains(&format!("{}: cannot read", manifest_path.display())),
            "{error}"
        );
    }
}

#[test]
fn a_layer_that_does_not_match_its_manifest_is_refused() {
    let tmp = TempDir::new("mismatch");
    let (_, layer) = two_layers(&tmp);
    let manifest_path = canonical(&layer).join(MANIFEST);
    let mut written = manifest(&layer);
    for entry in &mut written.entries {
        if let gantry::archive::manifest::Node::File { size, .. } = &mut entry.node {
            if entry.path == Path::new("release/deps/libnew-1.rlib") {
                *size = 99;
            }
        }
    }
    fs::write(&manifest_path, serde_json::to_vec(&written).unwrap()).unwrap();
    let dest = tmp.join("dest");
    let error = unpack(&layer, &dest).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "{}: entry `release/deps/libnew-1.rlib`: unpacking the layers gave a file of 3 bytes where the manifest lists a file of 99 bytes",
            manifest_path.display()
        )
    );
    assert!(!dest.exists());
}

#[test]
fn a_damaged_archive_in_the_chain_leaves_the_destination_alone() {
    let tmp = TempDir::new("damaged-chain");
    let (_, layer) = two_layers(&tmp);
    let archive = layer.join("target.tar.zst");
    let bytes = fs::read(&archive).unwrap();
    fs::write(&archive, &bytes[..bytes.len() - 1]).unwrap();
    let dest = tmp.join("dest");
    write(dest.join("existing.txt"), "existing\n");
    let before = snapshot(&dest);

    let error = unpack(&layer, &dest).unwrap_err().to_string();
    let expected = format!(
        "{}: corrupt or truncated archive",
        canonical(&layer).join("target.tar.zst").display()
    );
    assert!(error.contains(&expected), "{error}");
    assert_eq!(snapshot(&dest), before);
    assert_eq!(names(tmp.path()), ["base", "dest", "layer", "work"]);
}

#[test]
fn the_command_line_packs_layers_and_reports_them() {
    let tmp = TempDir::new("cli-layers");
    let gantry = |args: &[&Path]| {
        Command::new(env!("CARGO_BIN_EXE_gantry"))
            .args(args)
            .output()
            .unwrap()
    };
    let work = tmp.join("work");
    target_tree(&work);
    let one = tmp.join("one");
    let output = gantry(&[Path::new("pack"), &work, &one]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "gantry: packed 8 files (0.1 MiB), stored 8 (0.1 MiB) in full zstd layer\n"
    );
    fs::remove_dir_all(&work).unwrap();
    let output = gantry(&[Path::new("unpack"), &one, &work]);
    assert!(output.status.success(), "{output:?}");
    change_tree(&work);

    let two = tmp.join("two");
    let args = [
        Path::new("pack"),
        Path::new("--mode"),
        Path::new("symlink"),
        Path::new("--base"),
        &one,
        &work,
        &two,
    ];
    let output = gantry(&args);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "gantry: packed 8 files (0.1 MiB), stored 7 (0.1 MiB) in symlink layer over {}; 1 deleted\n",
            canonical(&one).display()
        )
    );
    assert_eq!(manifest(&two).kind, LayerKind::Symlink);
    let output = gantry(&[Path::new("unpack"), &two, &tmp.join("dest")]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        snapshot(&tmp.join("dest")),
        expected_after_unpack(&snapshot(&work))
    );

    let output = gantry(&[
        Path::new("pack"),
        Path::new("--mode"),
        Path::new("gzip"),
        &work,
        &two,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("expected `zstd` or `symlink`"));
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
    let error = unpack_archive(&archive_path, &dest)
        .unwrap_err()
        .to_string();
    assert_eq!((snapshot(&dest), snapshot(&outside)), before, "{error}");
    assert_eq!(names(&tmp.join("work")), ["dest"], "{error}");

    // Unpacking into a missing destination must not create it either.
    let fresh = tmp.join("work/fresh");
    assert!(unpack_archive(&archive_path, &fresh).is_err());
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

/// `unpack` or `unpack_archive`.
type Unpacker = fn(&Path, &Path) -> gantry::error::Result<()>;

#[test]
fn accepts_hard_links_within_the_archive() {
    let tmp = TempDir::new("hardlink-ok");
    // As stored (gantry's), and in crane's archives, where link targets
    // lose their first component too.
    let gantry_items = [
        Item::Dir(b"d"),
        Item::File(b"d/f"),
        Item::HardLink(b"h", b"d/f"),
    ];
    let crane_items = [
        Item::Dir(b"target"),
        Item::Dir(b"target/d"),
        Item::File(b"target/d/f"),
        Item::HardLink(b"target/h", b"target/d/f"),
    ];
    let cases: [(&str, &[Item<'_>], Unpacker); 2] = [
        ("gantry", &gantry_items, unpack_archive),
        ("crane", &crane_items, unpack),
    ];
    for (label, items, unpacker) in cases {
        let archive = tmp.join(format!("{label}.tar.zst"));
        fs::write(&archive, crafted_archive(items)).unwrap();
        let dest = tmp.join(format!("{label}-dest"));
        unpacker(&archive, &dest).unwrap();
        assert_eq!(fs::read(dest.join("h")).unwrap(), b"payload", "{label}");
        assert_eq!(names(&dest), ["d", "h"], "{label}");
    }
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
    pack_layer(&source, &tmp.join("real"), LayerKind::Zstd, None);
    fs::read(tmp.join("real/target.tar.zst")).unwrap()
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
