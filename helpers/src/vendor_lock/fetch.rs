//! Carrying out a plan: downloading with `curl`, unpacking with `tar`,
//! checking out with `git`, the programs a Nix build has at hand, all
//! working in a scratch directory outside the output.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::sources::{Download, GitCheckout};
use crate::digest;
use crate::error::{Error, Result};
use crate::paths;
use crate::vendor_git::vendor_git;

/// A fresh directory for downloads and clones, removed when dropped.
pub(super) struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Creates `gantry-vendor-lock-<pid>-<n>` in the temporary directory
    /// ($TMPDIR): outside the output, so nothing of it can end up there.
    pub fn new() -> Result<Self> {
        let parent = std::env::temp_dir();
        for attempt in 0..1000 {
            let path = parent.join(format!(
                "gantry-vendor-lock-{}-{attempt}",
                std::process::id()
            ));
            match fs::create_dir(&path) {
                Ok(()) => {
                    let scratch = Scratch { path };
                    for dir in ["crates", "git", "home"] {
                        paths::create_dir_all(scratch.path.join(dir))?;
                    }
                    return Ok(scratch);
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                Err(error) => {
                    return Err(paths::error_at("cannot create a scratch directory", &path)(
                        error,
                    ))
                }
            }
        }
        Err(Error::new("no free scratch directory name").with_path(parent))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: the vendoring's own result is what gets reported.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Downloads `download`, checks it against the lock file's checksum and
/// unpacks it into `out/<dir>/<name>-<version>`, as
/// `lib/downloadCargoPackage.nix` does.
pub(super) fn fetch_crate(download: &Download, scratch: &Scratch, out: &Path) -> Result<()> {
    let id = &download.id;
    let archive =
        scratch
            .path
            .join("crates")
            .join(format!("{}-{}.crate", download.dir, id.dir_name()));
    run(
        Command::new("curl")
            .args(["-fsSL", "--retry", "3", "-o"])
            .arg(&archive)
            .arg(&download.url),
        "curl",
    )
    .map_err(|error| Error::new(format!("cannot download {}: {error}", download.url)))?;
    let (actual, _) = digest::sha256_of_file(&archive, &mut vec![0; 64 * 1024])?;
    if actual != download.checksum {
        return Err(Error::new(format!(
            "checksum mismatch for {}: Cargo.lock expects sha256 {}, the download has {actual}",
            download.url, download.checksum
        )));
    }
    let dir = out.join(&download.dir).join(id.dir_name());
    paths::create_dir_all(&dir)?;
    run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&dir)
            // The archive holds one directory, `<name>-<version>/`.
            .args([
                "--strip-components=1",
                "--no-same-owner",
                "--no-same-permissions",
            ]),
        "tar",
    )
    .map_err(|error| error.with_path(&archive))?;
    let checksum_file = dir.join(".cargo-checksum.json");
    let checksum = serde_json::json!({ "files": {}, "package": download.checksum });
    paths::write(&checksum_file, checksum.to_string())?;
    paths::remove_file(&archive)
}

/// Checks `checkout` out and vendors its locked crates into
/// `out/<dir>` with [`vendor_git`]. Returns how many crates it wrote.
pub(super) fn fetch_checkout(
    checkout: &GitCheckout,
    scratch: &Scratch,
    out: &Path,
) -> Result<usize> {
    let clone = scratch.path.join("git").join(&checkout.dir);
    let home = scratch.path.join("home");
    // Only the repository's own configuration applies, whatever the
    // machine's or the user's say; nobody is there to answer a prompt.
    let git = || {
        let mut command = Command::new("git");
        command
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &home)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        command
    };
    let in_clone = || {
        let mut command = git();
        command.arg("-C").arg(&clone);
        command
    };
    let commit = checkout.commit.as_str();
    let failed = |error: Error| {
        Error::new(format!(
            "cannot check out {} at {commit}: {error}",
            checkout.url
        ))
    };
    run(
        git()
            .args(["clone", "--quiet", "--no-checkout", "--"])
            .arg(&checkout.url)
            .arg(&clone),
        "git clone",
    )
    .map_err(failed)?;
    // A commit that no branch or tag leads to (a pull request's, say) is
    // fetched by its id, as cargo does.
    let present = run(
        in_clone().args(["cat-file", "-e", &format!("{commit}^{{commit}}")]),
        "git cat-file",
    );
    if present.is_err() {
        run(
            in_clone().args(["fetch", "--quiet", "origin", commit]),
            "git fetch",
        )
        .map_err(failed)?;
    }
    run(
        in_clone().args(["checkout", "--quiet", commit]),
        "git checkout",
    )
    .map_err(failed)?;
    // Cargo checks submodules out too; crates may need their files.
    run(
        in_clone().args(["submodule", "update", "--quiet", "--init", "--recursive"]),
        "git submodule update",
    )
    .map_err(failed)?;
    let vendored = vendor_git(&clone, &out.join(&checkout.dir), &checkout.crates)?;
    paths::remove_dir_all(&clone)?;
    Ok(vendored.len())
}

/// Runs `command`, named `name` in errors, which carry the last line of
/// what it printed on stderr: its reason.
fn run(command: &mut Command, name: &str) -> Result<()> {
    let output = command
        .output()
        .map_err(|error| Error::io(format!("cannot run `{name}`"), error))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or("no message");
    Err(Error::new(format!(
        "`{name}` failed ({}): {reason}",
        output.status
    )))
}
