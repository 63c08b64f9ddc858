//! Per-crate dependency artifacts: every dependency crate's compiled units
//! in a store path of their own (a piece), assembled into the target
//! directory cargo finds fresh.
//!
//! `pieces` plans them, cutting cargo's unit graph of the project into
//! pieces; `project` writes the synthetic project a piece is built from,
//! `collect` keeps what that build compiled for the piece's own crate.

mod collect;
mod lock;
mod pieces;
mod project;

pub use collect::{collect, CollectSummary};
pub use pieces::{plan, Plan, PlanInputs, UnitGraph};
pub use project::{write_project, PieceSpec};
