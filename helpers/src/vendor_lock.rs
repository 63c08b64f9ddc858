//! Vendoring every crate of a lock file at build time: gantry's one-hash
//! mode.
//!
//! Nix's usual vendoring fetches each crate and git checkout as a
//! derivation of its own, which means reading the lock file at evaluation
//! time. In the one-hash mode a single fixed-output derivation runs
//! `gantry vendor-lock` with network access instead, so evaluation reads
//! nothing. Its output has to be what `lib/vendorCargoDeps.nix` makes (the
//! crates, one directory per source, and the `config.toml` replacing every
//! source by them), with two more demands of a fixed-output derivation:
//! the same lock file gives the same bytes, and nothing refers to another
//! store path, so crates are copied in rather than linked.
//!
//! The work is split in two: `sources` plans every vendored source from
//! the lock file and the registries without touching anything, `fetch`
//! carries the plan out.

mod fetch;
mod sources;

use std::fmt;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use crate::error::{Context, Error, Result};
use crate::paths;

use fetch::{fetch_checkout, fetch_crate, Scratch};
pub use sources::{
    download_url, git_config, parse_registries, plan, registries_config, Download, GitCheckout,
    GitReference, GitSource, Plan, Registries, Registry,
};

/// How many downloads and checkouts run at once. Fetching waits on the
/// network rather than on the processor, so this does not follow the
/// number of cores; it is few enough for any registry to serve.
const FETCHERS: usize = 8;

/// One download or checkout of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch<'a> {
    Crate(&'a Download),
    Checkout(&'a GitCheckout),
}

/// Renders as the line reported once it is done: `fetched NAME VERSION
/// from URL` or `checked out URL at COMMIT`.
impl fmt::Display for Fetch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fetch::Crate(download) => write!(
                f,
                "fetched {} {} from {}",
                download.id.name, download.id.version, download.url
            ),
            Fetch::Checkout(checkout) => {
                write!(f, "checked out {} at {}", checkout.url, checkout.commit)
            }
        }
    }
}

/// What [`vendor_lock`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Registry crates downloaded.
    pub crates: usize,
    /// Git checkouts made.
    pub checkouts: usize,
    /// Crates vendored from those checkouts.
    pub git_crates: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "vendored crates: {} from registries, {} from {} git checkouts",
            self.crates, self.git_crates, self.checkouts
        )
    }
}

/// Vendors every crate the lock file `lock` names into `out`, which must
/// be missing or empty, with the registries described in the JSON file
/// `registries`: one directory per source, named by
/// [`short`](crate::cargo_ids::short), and a `config.toml` replacing each
/// source by its directory. `report` is called as each download or
/// checkout is done, possibly from several threads at once. Nothing is
/// left in `out` when vendoring fails.
pub fn vendor_lock(
    lock: &Path,
    registries: &Path,
    out: &Path,
    report: &(dyn Fn(Fetch<'_>) + Sync),
) -> Result<Summary> {
    let registries_text = paths::read_text(registries)?;
    let registries = parse_registries(&registries_text).with_path(registries)?;
    let plan = plan(&paths::read_text(lock)?, &registries).with_path(lock)?;
    let root =
        std::path::absolute(out).map_err(paths::error_at("cannot make the path absolute", out))?;
    let root = root
        .to_str()
        .ok_or_else(|| Error::new("the output path is not UTF-8, as cargo needs").with_path(out))?
        .to_string();
    let created = create_output(out)?;
    let written = write_output(&plan, &root, out, report);
    if written.is_err() {
        clear(out, created);
    }
    written
}

/// Downloads and checks out everything `plan` names into `out`, then
/// writes the configuration, pointing at `root`, `out`'s absolute path.
fn write_output(
    plan: &Plan,
    root: &str,
    out: &Path,
    report: &(dyn Fn(Fetch<'_>) + Sync),
) -> Result<Summary> {
    let scratch = Scratch::new()?;
    // Checkouts first: they take longest.
    let jobs: Vec<Fetch> = plan
        .checkouts
        .iter()
        .map(Fetch::Checkout)
        .chain(plan.downloads.iter().map(Fetch::Crate))
        .collect();
    let git_crates = fetch_all(&jobs, &scratch, out, report)?;
    let config = out.join("config.toml");
    paths::write(&config, plan.config(root))?;
    Ok(Summary {
        crates: plan.downloads.len(),
        checkouts: plan.checkouts.len(),
        git_crates,
    })
}

/// Runs `jobs` on [`FETCHERS`] threads, stopping at the first failure.
/// Returns how many crates the checkouts gave; the error reported is that
/// of the first job in `jobs` that failed, so it does not depend on which
/// thread got there first.
fn fetch_all(
    jobs: &[Fetch<'_>],
    scratch: &Scratch,
    out: &Path,
    report: &(dyn Fn(Fetch<'_>) + Sync),
) -> Result<usize> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let git_crates = AtomicUsize::new(0);
    let work = || {
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let job = *jobs.get(index)?;
            let done = match job {
                Fetch::Crate(download) => fetch_crate(download, scratch, out)
                    .map(|()| 0)
                    .map_err(|error| error.with_crate(download.id.to_string())),
                Fetch::Checkout(checkout) => fetch_checkout(checkout, scratch, out),
            };
            match done {
                Ok(crates) => {
                    git_crates.fetch_add(crates, Ordering::Relaxed);
                    report(job);
                }
                Err(error) => {
                    failed.store(true, Ordering::Relaxed);
                    return Some((index, error));
                }
            }
        }
        None
    };
    let mut errors: Vec<(usize, Error)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..FETCHERS.min(jobs.len()))
            .map(|_| scope.spawn(work))
            .collect();
        workers
            .into_iter()
            .filter_map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Some((usize::MAX, Error::new("a fetching thread panicked")))
                })
            })
            .collect()
    });
    errors.sort_by_key(|(index, _)| *index);
    match errors.into_iter().next() {
        Some((_, error)) => Err(error),
        None => Ok(git_crates.into_inner()),
    }
}

/// Creates the output directory, which may exist if empty; returns
/// whether it was created.
fn create_output(out: &Path) -> Result<bool> {
    match paths::read_dir_if_exists(out)? {
        Some(entries) if !entries.is_empty() => {
            Err(Error::new("is not empty; refusing to vendor into it").with_path(out))
        }
        Some(_) => Ok(false),
        None => {
            paths::create_dir_all(out)?;
            Ok(true)
        }
    }
}

/// Removes what a failed run wrote to `out`: all of it, `out` itself too
/// if the run created it.
fn clear(out: &Path, created: bool) {
    // Best effort: the failure is what gets reported.
    if created {
        let _ = fs::remove_dir_all(out);
    } else if let Ok(entries) = fs::read_dir(out) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => fs::remove_dir_all(path),
                _ => fs::remove_file(path),
            };
        }
    }
}
