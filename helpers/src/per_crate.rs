//! Per-crate dependency artifacts: every dependency crate's compiled units
//! in a store path of their own (a piece), assembled into the target
//! directory cargo finds fresh.
//!
//! `pieces` plans them, cutting cargo's unit graph of the project into
//! pieces; `project` writes the synthetic project a piece is built from,
//! `collect` keeps what that build compiled for the piece's own crate.
//! [`write_plan`] and [`collect_piece`] are the `plan` and `piece-collect`
//! commands: they read and write the files the command line names around
//! those steps.

mod collect;
mod lock;
mod pieces;
mod project;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::archive;
use crate::cargo_ids::CrateId;
use crate::error::{Context, Error, Result};
use crate::paths;
use crate::toml_clean;

pub use collect::{collect, CollectSummary};
pub use pieces::{plan, Plan, PlanInputs, UnitGraph, Workspace};
pub use project::{selection, write_project, PieceSpec, Places};

/// The files `gantry plan` reads and writes; see [`write_plan`].
pub struct PlanFiles {
    /// `cargo … --unit-graph` outputs, planned as their union.
    pub unit_graphs: Vec<PathBuf>,
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
    let graphs = files
        .unit_graphs
        .iter()
        .map(|path| {
            serde_json::from_str(&paths::read_text(path)?)
                .map_err(|error| Error::new(format!("invalid unit graph: {error}")))
                .with_path(path)
        })
        .collect::<Result<Vec<UnitGraph>>>()?;
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
        workspace,
    };
    let plan = plan(&graphs, inputs).with_path(&files.lock)?;
    let text = serde_json::to_string_pretty(&plan)
        .map_err(|error| Error::new(format!("cannot write the plan: {error}")))?;
    paths::write(&files.out, text + "\n")?;
    Ok(plan)
}

/// Installs a piece after its build: keeps its crates' units of
/// `target_dir` (see [`collect`]), staged next to it, and packs them into
/// the symlink layer `out_dir`. `closure` is the layer the target
/// directory was unpacked from. Each step's summary goes to `report` as
/// soon as the step is done, so the collect warnings show even when
/// packing fails.
pub fn collect_piece(
    log: &Path,
    closure: Option<&Path>,
    crates: &[CrateId],
    target_dir: &Path,
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
    Ok(())
}
