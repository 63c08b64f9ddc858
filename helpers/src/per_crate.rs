//! Per-crate dependency artifacts: every dependency crate's compiled units
//! in a store path of their own (a piece), assembled into the target
//! directory cargo finds fresh.
//!
//! `pieces` plans them, cutting cargo's unit graph of the project into
//! pieces; `project` writes the synthetic project a piece is built from,
//! `collect` keeps what that build compiled for the piece's own crate.
//! [`write_plan`], [`restore_closure`] and [`collect_piece`] are the `plan`,
//! `piece-restore` and `piece-collect` commands: they read and write the
//! files the command line names around those steps.

mod collect;
mod lock;
mod pieces;
mod project;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::archive;
use crate::cargo_ids::CrateId;
use crate::error::{Context, Error, Result};
use crate::paths;
use crate::toml_clean;

pub use collect::{collect, is_unit_dir, CollectSummary};
pub use pieces::{plan, Plan, PlanInputs, UnitGraph, Workspace};
pub use project::{selection, write_project, PieceSpec, Places};

/// The files `gantry plan` reads and writes; see [`write_plan`].
pub struct PlanFiles {
    /// `cargo … --unit-graph` outputs, planned as their union.
    pub unit_graphs: Vec<PathBuf>,
    /// `cargo check --unit-graph` outputs of the check pass, if it runs:
    /// which crates the pieces check.
    pub check_unit_graphs: Vec<PathBuf>,
    /// The project's Cargo.lock.
    pub lock: PathBuf,
    /// The root Cargo.toml, whose `[profile]` every piece repeats.
    pub manifest: PathBuf,
    /// The project's .cargo/config.toml, repeated by every piece.
    pub cargo_config: Option<PathBuf>,
    /// `cargo metadata --format-version 1` of the project.
    pub metadata: PathBuf,
    /// The build directory the project is in (`$NIX_BUILD_TOP`).
    pub build_top: PathBuf,
    /// Where plan.json goes.
    pub out: PathBuf,
}

/// Reads the inputs of a plan from `files`, plans (see [`plan`]) and
/// writes the plan as JSON to `files.out`; returns it. `lock_hash` and
/// `merge_private_leaves` are as in [`PlanInputs`].
pub fn write_plan(
    files: &PlanFiles,
    lock_hash: String,
    merge_private_leaves: bool,
) -> Result<Plan> {
    let read_graphs = |files: &[PathBuf]| {
        files
            .iter()
            .map(|path| {
                serde_json::from_str(&paths::read_text(path)?)
                    .map_err(|error| Error::new(format!("invalid unit graph: {error}")))
                    .with_path(path)
            })
            .collect::<Result<Vec<UnitGraph>>>()
    };
    let graphs = read_graphs(&files.unit_graphs)?;
    let check_graphs = read_graphs(&files.check_unit_graphs)?;
    let manifest = &files.manifest;
    let root = toml_clean::parse_manifest(&paths::read_text(manifest)?).with_path(manifest)?;
    let profile = root
        .get("profile")
        .map(serde_json::to_value)
        .transpose()
        .map_err(|error| Error::new(format!("cannot convert [profile]: {error}")))
        .with_path(manifest)?;
    let cargo_config = files
        .cargo_config
        .as_ref()
        .map(paths::read_text)
        .transpose()?;
    let lock_text = paths::read_text(&files.lock)?;
    let workspace = Workspace::from_metadata(&paths::read_text(&files.metadata)?, &files.build_top)
        .with_path(&files.metadata)?;
    let inputs = PlanInputs {
        lock_text: &lock_text,
        lock_hash,
        profile,
        cargo_config,
        merge_private_leaves,
        check_graphs: &check_graphs,
        workspace,
    };
    let plan = plan(&graphs, inputs).with_path(&files.lock)?;
    let text = serde_json::to_string_pretty(&plan)
        .map_err(|error| Error::new(format!("cannot write the plan: {error}")))?;
    paths::write(&files.out, text + "\n")?;
    Ok(plan)
}

/// File in a piece's layer saying where the piece was built.
pub const PIECE_RECORD: &str = "gantry-piece.json";

/// What a piece records of its build (`PIECE_RECORD`).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PieceRecord {
    /// The build directory ($NIX_BUILD_TOP): cargo's fingerprints of the
    /// piece's units hold paths below it (the vendored sources').
    built_at: PathBuf,
}

impl PieceRecord {
    /// The record of the piece at `piece`; None for a piece without one.
    fn read(piece: &Path) -> Result<Option<Self>> {
        let path = piece.join(PIECE_RECORD);
        if paths::metadata_if_exists(&path)?.is_none() {
            return Ok(None);
        }
        serde_json::from_str(&paths::read_text(&path)?)
            .map(Some)
            .map_err(|error| Error::new(format!("invalid piece record: {error}")))
            .with_path(&path)
    }
}

/// How [`restore_closure`] restored a closure.
#[derive(Debug, PartialEq, Eq)]
pub enum Restored {
    /// The target directory's files are links to the pieces' files.
    Linked,
    /// Copied: the piece (named) was built in another build directory (or
    /// recorded none), so cargo may find its units stale and rewrite them.
    Copied {
        piece: PathBuf,
        built_at: Option<PathBuf>,
    },
}

impl fmt::Display for Restored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Restored::Linked => write!(f, "restored the closure as links to its pieces"),
            Restored::Copied { piece, built_at } => {
                let place = match built_at {
                    Some(dir) => format!(
                        "was built in {}, not in this build's directory",
                        dir.display()
                    ),
                    None => "records no build directory (an older gantry's piece)".to_string(),
                };
                write!(
                    f,
                    "restored the closure as copies: {} {place}, so cargo may recompile its units",
                    piece.display()
                )
            }
        }
    }
}

/// Restores the closure `pieces` of a piece into `target_dir` (which must
/// not exist) built in `build_top`. The pieces are assembled into the
/// layer `layer_dir` (see [`archive::assemble`]; its manifest tells
/// `collect` what was restored), whose tree of links to the pieces' files
/// becomes the target directory when every piece was built in `build_top`:
/// cargo then finds their units fresh and only reads them, and nothing is
/// copied (a deep piece's closure is hundreds of MiB, copied once per
/// piece otherwise). A piece built elsewhere (outside the sandbox the
/// build directory varies) holds units cargo finds stale and rewrites,
/// which a link into the store would refuse: the files are then copied as
/// for any layer.
pub fn restore_closure(
    pieces: &[PathBuf],
    build_top: &Path,
    layer_dir: &Path,
    target_dir: &Path,
    report: &dyn Fn(&dyn fmt::Display),
) -> Result<()> {
    report(&archive::assemble(
        pieces,
        layer_dir,
        &collect::is_unit_dir,
    )?);
    let mut restored = Restored::Linked;
    for piece in pieces {
        let built_at = PieceRecord::read(piece)?.map(|record| record.built_at);
        if built_at.as_deref() != Some(build_top) {
            restored = Restored::Copied {
                piece: piece.clone(),
                built_at,
            };
            break;
        }
    }
    match restored {
        Restored::Linked => {
            if let Some(parent) = target_dir.parent() {
                paths::create_dir_all(parent)?;
            }
            paths::rename(layer_dir.join(archive::TREE), target_dir)?;
        }
        Restored::Copied { .. } => archive::unpack(layer_dir, target_dir)?,
    }
    report(&restored);
    Ok(())
}

/// Installs a piece after its build: keeps its crates' units of
/// `target_dir` (see [`collect`]), staged next to it, and packs them into
/// the symlink layer `out_dir`, with the record of where it was built
/// (`build_top`). `closure` is the layer the target directory was restored
/// from. Each step's summary goes to `report` as
/// soon as the step is done, so the collect warnings show even when
/// packing fails.
pub fn collect_piece(
    log: &Path,
    closure: Option<&Path>,
    crates: &[CrateId],
    target_dir: &Path,
    build_top: &Path,
    out_dir: &Path,
    report: &dyn Fn(&dyn fmt::Display),
) -> Result<()> {
    let closure = closure.map(archive::Manifest::read).transpose()?;
    let staging = target_dir.with_extension("piece-units");
    report(&collect(
        log,
        target_dir,
        closure.as_ref(),
        crates,
        &staging,
    )?);
    paths::create_dir_all(&staging)?;
    let options = archive::PackOptions::new(archive::LayerKind::Symlink);
    report(&archive::pack(&staging, out_dir, &options)?);
    let record = PieceRecord {
        built_at: build_top.to_path_buf(),
    };
    let text = serde_json::to_string(&record)
        .map_err(|error| Error::new(format!("cannot write the piece record: {error}")))?;
    paths::write(out_dir.join(PIECE_RECORD), text + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gantry-restore-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A piece holding `file` (under release/deps), recording `built_at`.
    fn piece(root: &Path, name: &str, built_at: Option<&str>) -> PathBuf {
        let target = root.join(format!("{name}-target"));
        let file = target.join(format!("release/deps/lib{name}-1.rlib"));
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, name).unwrap();
        let out = root.join(name);
        archive::pack(
            &target,
            &out,
            &archive::PackOptions::new(archive::LayerKind::Symlink),
        )
        .unwrap();
        if let Some(dir) = built_at {
            fs::write(
                out.join(PIECE_RECORD),
                format!("{{\"builtAt\": \"{dir}\"}}"),
            )
            .unwrap();
        }
        out
    }

    fn restore(root: &Path, pieces: &[PathBuf]) -> PathBuf {
        let target = root.join("project/target");
        restore_closure(
            pieces,
            Path::new("/build"),
            &root.join("closure"),
            &target,
            &|_| {},
        )
        .unwrap();
        target
    }

    #[test]
    fn a_closure_built_here_is_restored_as_links_and_new_files_can_be_added() {
        let root = scratch("linked");
        let pieces = [
            piece(&root, "a", Some("/build")),
            piece(&root, "b", Some("/build")),
        ];
        let target = restore(&root, &pieces);
        let rlib = target.join("release/deps/liba-1.rlib");
        assert!(fs::symlink_metadata(&rlib).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&rlib).unwrap(), "a");
        // cargo writes the piece's own units next to them.
        fs::write(target.join("release/deps/libc-1.rlib"), "c").unwrap();
        // collect still reads what was restored from the layer's manifest.
        let manifest = archive::Manifest::read(&root.join("closure")).unwrap();
        assert!(manifest
            .entries
            .iter()
            .any(|entry| entry.path == Path::new("release/deps/libb-1.rlib")));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_closure_with_a_piece_built_elsewhere_or_unrecorded_is_copied() {
        for (case, built_at) in [
            ("elsewhere", Some("/tmp/nix-build-b-1")),
            ("unrecorded", None),
        ] {
            let root = scratch(case);
            let pieces = [
                piece(&root, "a", Some("/build")),
                piece(&root, "b", built_at),
            ];
            let target = restore(&root, &pieces);
            for name in ["a", "b"] {
                let rlib = target.join(format!("release/deps/lib{name}-1.rlib"));
                let metadata = fs::symlink_metadata(&rlib).unwrap();
                assert!(
                    metadata.is_file() && !metadata.permissions().readonly(),
                    "{case}"
                );
            }
            fs::remove_dir_all(&root).unwrap();
        }
    }

    #[test]
    fn a_collected_piece_records_where_it_was_built() {
        let root = scratch("record");
        let (log, target, out) = (root.join("log.json"), root.join("target"), root.join("out"));
        fs::write(&log, "").unwrap();
        fs::create_dir_all(target.join("release/deps")).unwrap();
        let crates = ["a@1.0.0".parse().unwrap()];
        collect_piece(
            &log,
            None,
            &crates,
            &target,
            Path::new("/build"),
            &out,
            &|_| {},
        )
        .unwrap();
        assert_eq!(
            PieceRecord::read(&out).unwrap(),
            Some(PieceRecord {
                built_at: PathBuf::from("/build")
            })
        );
        assert_eq!(PieceRecord::read(&root).unwrap(), None);
        // A damaged record is an error naming the file, never taken for "built elsewhere".
        fs::write(out.join(PIECE_RECORD), "{\"builtAt\": 7}").unwrap();
        let error = PieceRecord::read(&out).unwrap_err().to_string();
        assert!(
            error.contains("invalid piece record") && error.contains(PIECE_RECORD),
            "{error}"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
