//! Assembling one symlink layer out of several complete symlink layers, the
//! per-crate pieces of a dependency graph.
//!
//! Every piece holds the units cargo compiled for one crate; their union is
//! the target directory a build of the whole graph would have made. The
//! assembled layer copies nothing: its manifest is the union of the pieces'
//! manifests and each of its files is an absolute symlink to a piece's real
//! file, so assembling costs a few directory entries per file and unpacking
//! it restores ordinary writable files as for any symlink layer.

use std::collections::BTreeMap;
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
}

impl fmt::Display for AssembleSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "assembled {} pieces: {} files, {:.1} MiB, linked",
            self.pieces,
            self.files,
            self.bytes as f64 / (1024.0 * 1024.0)
        )
    }
}

/// Writes into `out` (missing or empty) a symlink layer holding the union
/// of the complete symlink layers `pieces`. A path in several pieces must
/// be the same there (the same unit compiled twice gives the same bytes);
/// anything else is an error naming both pieces.
pub fn assemble(pieces: &[PathBuf], out: &Path) -> Result<AssembleSummary> {
    check_free(out)?;
    let layers = pieces
        .iter()
        .map(|piece| open_piece(piece))
        .collect::<Result<Vec<Layer>>>()?;
    let mut union: BTreeMap<&Path, (&Node, &Layer)> = BTreeMap::new();
    for layer in &layers {
        for entry in &layer.manifest.entries {
            match union.get(entry.path.as_path()) {
                None => {
                    union.insert(&entry.path, (&entry.node, layer));
                }
                Some((node, _)) if *node == &entry.node => {}
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
    };
    for (path, (node, layer)) in &union {
        let dest = tree.join(path);
        if let Node::File { size, .. } = node {
            paths::symlink(real_file(layer, path, *size)?, &dest)?;
            summary.files += 1;
            summary.bytes += size;
        } else {
            create_dir_or_symlink(node, &dest)?;
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
        let summary = assemble(&[a.clone(), b], &out).unwrap();
        assert_eq!((summary.pieces, summary.files), (2, 3));
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
        assemble(std::slice::from_ref(&a), &out).unwrap();
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
        let error = assemble(&[a.clone(), b], &root.join("out"))
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
        let error = assemble(&[a, zstd], &root.join("out2"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("not a piece"), "{error}");
        fs::remove_dir_all(&root).unwrap();
    }
}
