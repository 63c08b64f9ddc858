//! Finding what a path given as artifacts holds: a chain of layers, or a
//! chain of crane's archives.

use std::fs::{self};
use std::path::{Path, PathBuf};

use super::manifest::{LayerKind, Manifest, MANIFEST};
use super::unpack::expect_zstd;
use super::{ARCHIVE, PREV, TREE};
use crate::error::{Context, Error, Result};
use crate::paths;

/// Artifacts of an earlier build.
pub(super) enum Artifacts {
    /// crane's `target.tar.zst` (or a `.tar.zst` given directly), holding
    /// the target directory under its own name, and the archives its
    /// `<archive>.prev` links lead to: crane's incremental archives hold
    /// only what changed since the one `.prev` names. Oldest first, the
    /// order of unpacking; there is no manifest, so deletions are unknown.
    Crane(Vec<PathBuf>),
    /// A layer with its manifest, and the layers it builds on.
    Layers(Chain),
}

/// A layer directory and its manifest.
pub(super) struct Layer {
    /// Canonicalized: pointers and `prev` links to it must be absolute and
    /// stay valid wherever they are read from.
    pub(super) dir: PathBuf,
    pub(super) manifest: Manifest,
}

impl Layer {
    /// Where a file of a symlink layer, given relative to the target
    /// directory, is stored.
    pub(super) fn stored_file(&self, path: &Path) -> PathBuf {
        self.dir.join(TREE).join(path)
    }

    /// Where a zstd layer's archive is.
    pub(super) fn archive(&self) -> PathBuf {
        self.dir.join(ARCHIVE)
    }
}

/// A layer and, if it is incremental, the layers below it.
pub(super) struct Chain {
    pub(super) newest: Layer,
    /// From the newest layer's base down to a complete layer.
    pub(super) older: Vec<Layer>,
}

impl Chain {
    /// The layers from the complete one at the bottom up to the newest:
    /// the order of unpacking.
    pub(super) fn oldest_first(&self) -> impl Iterator<Item = &Layer> {
        self.older.iter().rev().chain(std::iter::once(&self.newest))
    }

    /// The symlink layer of the chain, if any. Only a complete layer can be
    /// one, so only the bottom one.
    pub(super) fn symlink_layer(&self) -> Option<&Layer> {
        self.oldest_first()
            .next()
            .filter(|layer| layer.manifest.kind == LayerKind::Symlink)
    }
}

impl Artifacts {
    /// Opens the artifacts at `path`: a layer directory (or a symlink
    /// layer's `target/`), a directory holding `target.tar.zst`, or an
    /// archive file. The manifests of a whole chain
    /// are read and checked, so a broken chain fails here.
    pub(super) fn open(path: &Path) -> Result<Self> {
        let metadata = paths::metadata(path)?;
        if !metadata.is_dir() {
            return Ok(Artifacts::Crane(crane_chain(path)?));
        }
        let dir = paths::canonicalize(path)?;
        if exists(&dir.join(MANIFEST))? {
            return Ok(Artifacts::Layers(Chain::read(dir)?));
        }
        // A symlink layer's tree, named as crane names its previous target
        // directory (`$cargoArtifacts/target`): the layer it belongs to.
        if let Some(layer) = dir
            .parent()
            .filter(|_| dir.file_name() == Some(TREE.as_ref()))
        {
            if exists(&layer.join(MANIFEST))? {
                return Ok(Artifacts::Layers(Chain::read(layer.to_path_buf())?));
            }
        }
        let archive = dir.join(ARCHIVE);
        if exists(&archive)? {
            return Ok(Artifacts::Crane(crane_chain(&archive)?));
        }
        Err(Error::new(format!(
            "not an artifacts directory: it holds neither {MANIFEST} nor {ARCHIVE}; pass the \
             result of buildDepsOnly or of a derivation built with doInstallCargoArtifacts = true"
        ))
        .with_path(path))
    }
}

impl Chain {
    /// Reads the layer at the canonical path `dir` and, following `prev`
    /// links, the layers below it.
    fn read(dir: PathBuf) -> Result<Self> {
        let newest = Layer::read(dir)?;
        let mut older: Vec<Layer> = Vec::new();
        let mut below = newest.base()?;
        while let Some(dir) = below {
            let above = older.last().unwrap_or(&newest);
            if dir == newest.dir || older.iter().any(|layer| layer.dir == dir) {
                return Err(Error::new(format!(
                    "the chain of layers loops back to {}",
                    dir.display()
                ))
                .with_path(above.dir.join(PREV)));
            }
            let layer = Layer::read(dir)?;
            below = layer.base()?;
            older.push(layer);
        }
        Ok(Chain { newest, older })
    }
}

impl Layer {
    /// Reads the layer at the canonical path `dir`.
    fn read(dir: PathBuf) -> Result<Self> {
        let manifest = Manifest::read(&dir)?;
        Ok(Layer { dir, manifest })
    }

    /// The layer this one must be unpacked over, where its `prev` link
    /// leads; none for a complete layer.
    fn base(&self) -> Result<Option<PathBuf>> {
        if !self.manifest.incremental {
            return Ok(None);
        }
        let prev = self.dir.join(PREV);
        if !exists(&prev)? {
            return Err(Error::new(
                "missing: an incremental layer needs this link to the layer it was packed over",
            )
            .with_path(prev));
        }
        fs::canonicalize(&prev).map(Some).map_err(paths::error_at(
            "cannot follow the link to the base layer",
            &prev,
        ))
    }
}

/// The crane archive `archive` and those below it, oldest first. crane
/// links an incremental archive's predecessor as `<archive>.prev`: an
/// archive file, or an artifacts directory holding one.
fn crane_chain(archive: &Path) -> Result<Vec<PathBuf>> {
    let mut chain: Vec<PathBuf> = Vec::new();
    let first = paths::canonicalize(archive)?;
    let mut next = Some(first);
    while let Some(archive) = next {
        let mut file = paths::open(&archive)?;
        expect_zstd(&mut file).with_path(&archive)?;
        let mut prev_name = archive.clone().into_os_string();
        prev_name.push(".prev");
        let prev = PathBuf::from(prev_name);
        next = if exists(&prev)? {
            let resolved = fs::canonicalize(&prev).map_err(paths::error_at(
                "cannot follow the link to the previous archive",
                &prev,
            ))?;
            let resolved = if resolved.is_dir() {
                resolved.join(ARCHIVE)
            } else {
                resolved
            };
            if resolved == archive || chain.contains(&resolved) {
                return Err(Error::new(format!(
                    "the chain of archives loops back to {}",
                    resolved.display()
                ))
                .with_path(prev));
            }
            Some(resolved)
        } else {
            None
        };
        chain.push(archive);
    }
    chain.reverse();
    Ok(chain)
}

/// Whether something, even a dangling symlink, is at `path`.
fn exists(path: &Path) -> Result<bool> {
    Ok(paths::symlink_metadata_if_exists(path)?.is_some())
}
