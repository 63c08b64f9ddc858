//! Assembling one symlink layer out of several complete symlink layers, the
//! per-crate pieces of a dependency graph.
//!
//! Every piece holds the units cargo compiled for one crate; their union is
//! the target directory a build of the whole graph would have made. The
//! assembled layer copies nothing: its manifest is the union of the pieces'
//! manifests and its tree links to the pieces' real files, so assembling
//! costs a directory entry per link and unpacking it restores ordinary
//! writable files as for any symlink layer. A directory the caller allows
//! (a unit's own directory) that one piece alone holds is one absolute
//! symlink to that piece's directory; every other file is one of its own.
//! Links are few for a reason: creating one costs as much as creating a
//! file (an inode), half a millisecond on some file systems, and a deep
//! piece's closure holds thousands of files.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::layer_pack::{check_free, create_out, real_file};
use super::layers::{Artifacts, Layer};
use super::manifest::{Entry, LayerKind, Manifest, Node, FORMAT};
use super::{create_dir_or_symlink, MANIFEST, TREE};
use crate::error::{Error, Result};
use crate::paths;

/// What `assemble` put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssembleSummary {
    pub pieces: usize,
    pub files: u64,
    pub bytes: u64,
    /// The symlinks made: one per file, or per directory linked whole.
    pub links: u64,
}

impl fmt::Display for AssembleSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "assembled {} pieces: {} files, {:.1} MiB, in {} links",
            self.pieces,
            self.files,
            self.bytes as f64 / (1024.0 * 1024.0),
            self.links
        )
    }
}

/// Writes into `out` (missing or empty) a symlink layer holding the union
/// of the complete symlink layers `pieces`. A path in several pieces must
/// be the same there (the same unit compiled twice gives the same bytes);
/// anything else is an error naming both pieces. A directory for which
/// `whole` holds (a path relative to the tree) and that one piece alone
/// holds is linked whole.
pub fn assemble(
    pieces: &[PathBuf],
    out: &Path,
    whole: &dyn Fn(&Path) -> bool,
) -> Result<AssembleSummary> {
    check_free(out)?;
    let layers = pieces
        .iter()
        .map(|piece| open_piece(piece))
        .collect::<Result<Vec<Layer>>>()?;
    let mut union: BTreeMap<&Path, (&Node, &Layer)> = BTreeMap::new();
    // Paths more than one piece holds: none of those is linked whole. (A piece holding
    // anything below a directory holds the directory too: its manifest lists parents.)
    let mut shared: HashSet<&Path> = HashSet::new();
    for layer in &layers {
        for entry in &layer.manifest.entries {
            match union.get(entry.path.as_path()) {
                None => {
                    union.insert(&entry.path, (&entry.node, layer));
                }
                Some((node, _)) if *node == &entry.node => {
                    shared.insert(&entry.path);
                }
                Some((_, other)) => {
                    return Err(Error::new(format!(
                        "holds this path differently from {}: the pieces do not come from one \
                         dependency graph",
                        other.dir.display()
                    ))
                    .with_entry(entry.path.display().to_string())
                    .with_path(&layer.dir));
                }
            }
        }
    }

    let out = create_out(out)?;
    let tree = out.join(TREE);
    paths::create_dir(&tree)?;
    let mut summary = AssembleSummary {
        pieces: layers.len(),
        files: 0,
        bytes: 0,
        links: 0,
    };
    // The directory linked whole last: the union is sorted by components, so what is below
    // it comes right after it.
    let mut linked: Option<&Path> = None;
    for (path, (node, layer)) in &union {
        let dest = tree.join(path);
        let inside = linked.is_some_and(|dir| path.starts_with(dir));
        match node {
            Node::File { size, .. } => {
                if !inside {
                    paths::symlink(real_file(layer, path, *size)?, &dest)?;
                    summary.links += 1;
                }
                summary.files += 1;
                summary.bytes += size;
            }
            _ if inside => {}
            Node::Dir { .. } if !shared.contains(path) && whole(path) => {
                paths::symlink(real_dir(layer, path)?, &dest)?;
                summary.links += 1;
                linked = Some(path);
            }
            _ => {
                create_dir_or_symlink(node, &dest)?;
            }
        }
    }
    let manifest = Manifest {
        format: FORMAT,
        kind: LayerKind::Symlink,
        base: None,
        incremental: false,
        entries: union
            .into_iter()
            .map(|(path, (node, _))| Entry {
                path: path.to_path_buf(),
                node: node.clone(),
            })
            .collect(),
        deleted: Vec::new(),
    };
    manifest.write(&out)?;
    Ok(summary)
}

/// The directory `path` of `layer`'s tree, absolute, for linking to.
fn real_dir(layer: &Layer, path: &Path) -> Result<PathBuf> {
    let stored = layer.stored_file(path);
    if !stored.is_absolute() || !paths::symlink_metadata(&stored)?.is_dir() {
        return Err(Error::new(
            "the piece's copy of this directory is broken: the manifest lists a directory, \
             stored as one at an absolute path",
        )
        .with_path(stored));
    }
    Ok(stored)
}

/// Opens `path` as a piece: a complete symlink layer.
fn open_piece(path: &Path) -> Result<Layer> {
    match Artifacts::open(path)? {
        Artifacts::Layers(chain)
            if chain.older.is_empty() && chain.newest.manifest.kind == LayerKind::Symlink =>
        {
            Ok(chain.newest)
        }
        _ => Err(Error::new(format!(
            "not a piece: assembling takes complete symlink layers (`gantry pack --mode \
             symlink` without a base), as buildDepsPerCrate's pieces are; see {MANIFEST}"
        ))
        .with_path(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{pack, unpack, PackOptions};
    use std::fs;
    use std::os::unix::fs::symlink;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gantry-assemble-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn options(kind: LayerKind) -> PackOptions {
        PackOptions {
            kind,
            base: None,
            full: false,
            compression: crate::archive::Compression::default(),
            workers: 1,
        }
    }

    fn piece(root: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let target = root.join(format!("{name}-target"));
        for (path, contents) in files {
            let path = target.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        let out = root.join(name);
        let options = options(LayerKind::Symlink);
        pack(&target, &out, &options).unwrap();
        out
    }

    #[test]
    fn pieces_unpack_as_their_union_and_shared_units_are_linked_once() {
        let root = scratch("union");
        let a = piece(
            &root,
            "a",
            &[
                ("release/deps/liba-1.rlib", "a"),
                ("release/.fingerprint/a-1/lib-a", "1"),
            ],
        );
        let b = piece(
            &root,
            "b",
            &[
                ("release/deps/libb-2.rlib", "bb"),
                ("release/.fingerprint/a-1/lib-a", "1"),
            ],
        );
        let out = root.join("assembled");
        let summary = assemble(&[a.clone(), b], &out, &|_| false).unwrap();
        assert_eq!((summary.pieces, summary.files, summary.links), (2, 3, 3));
        let link = fs::read_link(out.join("target/release/deps/liba-1.rlib")).unwrap();
        assert!(
            link.starts_with(fs::canonicalize(&a).unwrap()),
            "{}",
            link.display()
        );
        let dest = root.join("unpacked");
        unpack(&out, &dest).unwrap();
        assert_eq!(
            fs::read_to_string(dest.join("release/deps/libb-2.rlib")).unwrap(),
            "bb"
        );
        assert!(!fs::symlink_metadata(dest.join("release/deps/liba-1.rlib"))
            .unwrap()
            .is_symlink());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_directory_one_piece_alone_holds_is_linked_whole_where_allowed() {
        let root = scratch("whole");
        let a = piece(
            &root,
            "a",
            &[
                ("release/deps/liba-1.rlib", "a"),
                ("release/.fingerprint/a-1/lib-a", "1"),
                ("release/.fingerprint/a-1/lib-a.json", "{}"),
                ("release/build/a-2/out/generated.rs", "fn f() {}"),
                ("release/.fingerprint/shared-3/lib-shared", "3"),
            ],
        );
        let b = piece(
            &root,
            "b",
            &[
                ("release/deps/libb-4.rlib", "b"),
                ("release/.fingerprint/shared-3/lib-shared", "3"),
            ],
        );
        let unit_dir = |path: &Path| {
            path.parent()
                .and_then(Path::file_name)
                .is_some_and(|area| area == ".fingerprint" || area == "build")
        };
        let out = root.join("assembled");
        let summary = assemble(&[a.clone(), b], &out, &unit_dir).unwrap();
        // Six files: two rlibs and the shared unit's file one link each, a's two unit
        // directories one link each.
        assert_eq!((summary.files, summary.links), (6, 5));
        let tree = out.join(TREE);
        let fingerprint = tree.join("release/.fingerprint/a-1");
        assert!(fs::symlink_metadata(&fingerprint).unwrap().is_symlink());
        assert_eq!(
            fs::read_link(&fingerprint).unwrap(),
            a.join("target/release/.fingerprint/a-1")
        );
        assert_eq!(
            fs::read_to_string(tree.join("release/build/a-2/out/generated.rs")).unwrap(),
            "fn f() {}"
        );
        // Both pieces hold the shared unit's directory: made here, its file linked.
        let shared = tree.join("release/.fingerprint/shared-3");
        assert!(fs::symlink_metadata(&shared).unwrap().is_dir());
        assert!(fs::symlink_metadata(shared.join("lib-shared"))
            .unwrap()
            .is_symlink());
        // The directories where cargo adds units are never linked.
        for dir in [
            "release",
            "release/.fingerprint",
            "release/build",
            "release/deps",
        ] {
            assert!(
                fs::symlink_metadata(tree.join(dir)).unwrap().is_dir(),
                "{dir}"
            );
        }
        // Unpacking still gives ordinary files and directories.
        let dest = root.join("unpacked");
        unpack(&out, &dest).unwrap();
        let file = dest.join("release/.fingerprint/a-1/lib-a.json");
        assert!(fs::symlink_metadata(&file).unwrap().is_file());
        assert!(fs::symlink_metadata(dest.join("release/build/a-2"))
            .unwrap()
            .is_dir());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn links_made_relative_by_the_fixup_phase_are_followed() {
        let root = scratch("relative");
        // Equal contents: the second file is stored as a link to the first.
        let a = piece(
            &root,
            "a",
            &[("release/deps/x", "same"), ("release/deps/y", "same")],
        );
        let stored = a.join("target/release/deps/y");
        assert!(fs::symlink_metadata(&stored).unwrap().is_symlink());
        fs::remove_file(&stored).unwrap();
        symlink("x", &stored).unwrap();
        let out = root.join("assembled");
        assemble(std::slice::from_ref(&a), &out, &|_| false).unwrap();
        let link = fs::read_link(out.join("target/release/deps/y")).unwrap();
        assert_eq!(
            link,
            fs::canonicalize(a.join("target/release/deps/x")).unwrap()
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn conflicting_pieces_and_other_artifacts_are_refused() {
        let root = scratch("conflict");
        let a = piece(&root, "a", &[("release/deps/x", "one")]);
        let b = piece(&root, "b", &[("release/deps/x", "two")]);
        let error = assemble(&[a.clone(), b], &root.join("out"), &|_| false)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("release/deps/x") && error.contains("differently"),
            "{error}"
        );

        let target = root.join("zstd-target");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("f"), "f").unwrap();
        let zstd = root.join("zstd");
        let options = options(LayerKind::Zstd);
        pack(&target, &zstd, &options).unwrap();
        let error = assemble(&[a, zstd], &root.join("out2"), &|_| false)
            .unwrap_err()
            .to_string();
        assert!(error.contains("not a piece"), "{error}");
        fs::remove_dir_all(&root).unwrap();
    }
}
