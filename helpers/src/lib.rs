//! gantry: the helper binary behind a Nix library for building Cargo
//! projects. The modules are the jobs the Nix side delegates to it.

pub mod archive;
pub mod build_log;
pub mod cargo_ids;
pub mod digest;
pub mod dummy_rustc;
pub mod dummy_src;
pub mod error;
pub mod paths;
pub mod per_crate;
pub mod references;
pub mod toml_clean;
pub mod vendor_config;
pub mod vendor_git;
pub mod vendor_lock;
pub mod write_toml;
