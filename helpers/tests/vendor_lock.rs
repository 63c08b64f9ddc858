//! Vendoring a whole lock file from `file://` registries and git
//! repositories made on the spot: the tree written, its determinism, the
//! errors, the command's output, and that cargo builds offline against
//! the result.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use common::{assert_success, cargo_command, write, TempDir};
use gantry::cargo_ids::{short, CRATES_IO};
use gantry::vendor_lock::{vendor_lock, Fetch, Summary};
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vendor-lock")
}

/// Copies the fixture directory `name` to `to`.
fn copy_fixture(name: &str, to: &Path) {
    let from = fixtures().join(name);
    for entry in WalkDir::new(&from) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&from).unwrap();
            write(to.join(relative), fs::read(entry.path()).unwrap());
        }
    }
}

/// Runs `program` in `dir`, with git configured by nothing but the
/// command line and never looking for a repository above `dir` (the test
/// directories lie in the project's own), and returns its stdout.
fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert!(output.status.success(), "{program} {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["-c", "user.name=Test", "-c", "user.email=test@example.com"];
    all.extend(args);
    run(dir, "git", &all).trim().to_string()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A registry and a git repository served from `file://` URLs, and the
/// lock file of a consumer using a crate of each.
struct World {
    tmp: TempDir,
    registries: PathBuf,
    lock: PathBuf,
    /// The `file://` URL of the repository.
    repo: String,
    commit: String,
    checksum: String,
}

impl World {
    fn new(label: &str) -> Self {
        let tmp = TempDir::new(label);

        // The registry crate, packed as `cargo package` does: one
        // directory named after the crate.
        let pack = tmp.join("pack");
        copy_fixture("tiny", &pack.join("tiny-0.1.0"));
        fs::create_dir_all(tmp.join("crates")).unwrap();
        let archive = tmp.join("crates/tiny-0.1.0.crate");
        run(
            &pack,
            "tar",
            &["-czf", archive.to_str().unwrap(), "tiny-0.1.0"],
        );
        let checksum = sha256_hex(&fs::read(&archive).unwrap());
        let registries = tmp.join("registries.json");
        write(
            &registries,
            serde_json::json!({
                CRATES_IO: {
                    "downloadUrl": format!("file://{}/crates/{{crate}}-{{version}}.crate", tmp.path().display()),
                    "fetchurlExtraArgs": {},
                }
            })
            .to_string(),
        );

        // The git repository, its crate committed on a branch whose name
        // lock files percent-encode.
        let repo_dir = tmp.join("repo");
        copy_fixture("repo", &repo_dir);
        git(&repo_dir, &["init", "--quiet", "--initial-branch=main"]);
        git(&repo_dir, &["checkout", "--quiet", "-b", "feature/x"]);
        git(&repo_dir, &["add", "."]);
        git(&repo_dir, &["commit", "--quiet", "-m", "gitdep"]);
        let commit = git(&repo_dir, &["rev-parse", "HEAD"]);
        let repo = format!("file://{}", repo_dir.display());

        let lock = tmp.join("consumer/Cargo.lock");
        let world = World {
            tmp,
            registries,
            lock,
            repo,
            commit,
            checksum,
        };
        write(&world.lock, world.template("Cargo.lock.in"));
        world
    }

    /// The consumer's file `name` with the placeholders filled in.
    fn template(&self, name: &str) -> String {
        fs::read_to_string(fixtures().join("consumer").join(name))
            .unwrap()
            .replace("@REPO@", &self.repo)
            .replace("@COMMIT@", &self.commit)
            .replace("@CHECKSUM@", &self.checksum)
    }

    /// The directory crates.io's crates go to.
    fn registry_dir(&self) -> String {
        short(CRATES_IO)
    }

    /// The directory the checkout's crates go to.
    fn git_dir(&self) -> String {
        short(&format!("{}#{}", self.repo, self.commit))
    }

    /// Vendors the lock file into `out`, returning the summary and the
    /// lines reported, sorted.
    fn vendor(&self, out: &Path) -> (Summary, Vec<String>) {
        let lines = Mutex::new(Vec::new());
        let report = |fetch: Fetch| lines.lock().unwrap().push(fetch.to_string());
        let summary = vendor_lock(&self.lock, &self.registries, out, &report).unwrap();
        let mut lines = lines.into_inner().unwrap();
        lines.sort();
        (summary, lines)
    }

    fn vendor_error(&self, out: &Path) -> String {
        vendor_lock(&self.lock, &self.registries, out, &|_| {})
            .unwrap_err()
            .to_string()
    }
}

/// Everything a Nix store path keeps of the tree below `root`: each entry's
/// kind, executable bit and contents, by relative path.
fn tree(root: &Path) -> BTreeMap<String, String> {
    WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let relative = entry.path().strip_prefix(root).unwrap();
            let node = if entry.file_type().is_dir() {
                "directory".to_string()
            } else if entry.file_type().is_symlink() {
                format!("link to {}", fs::read_link(entry.path()).unwrap().display())
            } else {
                let executable = entry.metadata().unwrap().permissions().mode() & 0o100 != 0;
                let contents = String::from_utf8(fs::read(entry.path()).unwrap()).unwrap();
                format!("executable {executable}: {contents}")
            };
            (relative.to_str().unwrap().to_string(), node)
        })
        .collect()
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn registry_and_git_crates_are_vendored_with_their_config() {
    let world = World::new("vendor-lock-tree");
    let out = world.tmp.join("out");
    let (summary, lines) = world.vendor(&out);
    assert_eq!(
        summary,
        Summary {
            crates: 1,
            checkouts: 1,
            git_crates: 1,
        }
    );
    assert_eq!(
        lines,
        [
            format!("checked out {} at {}", world.repo, world.commit),
            format!(
                "fetched tiny 0.1.0 from file://{}/crates/tiny-0.1.0.crate",
                world.tmp.path().display()
            ),
        ]
    );

    let (registry, git) = (world.registry_dir(), world.git_dir());
    let files: Vec<String> = tree(&out)
        .into_iter()
        .filter(|(_, node)| node != "directory")
        .map(|(path, _)| path)
        .collect();
    // The git directory's name depends on where the repository is.
    let mut expected = vec![
        format!("{git}/gitdep-0.2.0/.cargo-checksum.json"),
        format!("{git}/gitdep-0.2.0/Cargo.toml"),
        format!("{git}/gitdep-0.2.0/src/lib.rs"),
        format!("{registry}/tiny-0.1.0/.cargo-checksum.json"),
        format!("{registry}/tiny-0.1.0/Cargo.toml"),
        format!("{registry}/tiny-0.1.0/src/lib.rs"),
        "config.toml".to_string(),
    ];
    expected.sort();
    assert_eq!(files, expected);
    assert_eq!(
        read(out.join(&registry).join("tiny-0.1.0/.cargo-checksum.json")),
        format!(r#"{{"files":{{}},"package":"{}"}}"#, world.checksum)
    );
    assert_eq!(
        read(out.join(&registry).join("tiny-0.1.0/src/lib.rs")),
        read(fixtures().join("tiny/src/lib.rs"))
    );
    assert_eq!(
        read(out.join(&git).join("gitdep-0.2.0/.cargo-checksum.json")),
        gantry::vendor_git::CHECKSUM
    );
    let manifest = read(out.join(&git).join("gitdep-0.2.0/Cargo.toml"));
    assert!(manifest.contains("version = \"0.2.0\""), "{manifest}");

    let source = format!("git+{}?branch=feature%2Fx#{}", world.repo, world.commit);
    assert_eq!(
        read(out.join("config.toml")),
        format!(
            "[source.crates-io]\n\
             replace-with = \"gantry-vendored-{registry}\"\n\
             \n\
             [source.gantry-vendored-{registry}]\n\
             directory = \"{out}/{registry}\"\n\
             \n\
             [source.gantry-git-{git_source}]\n\
             git = \"{repo}\"\n\
             branch = \"feature/x\"\n\
             replace-with = \"gantry-vendored-{git}\"\n\
             \n\
             [source.gantry-vendored-{git}]\n\
             directory = \"{out}/{git}\"\n",
            out = out.display(),
            git_source = short(&source),
            repo = world.repo,
        )
    );
    // Nothing refers to the places the crates were fetched to or from.
    let tmp = world.tmp.path().to_str().unwrap();
    for (path, node) in tree(&out) {
        if path != "config.toml" {
            assert!(!node.contains(tmp), "{path}: {node}");
        }
    }
}

#[test]
fn the_same_lock_file_gives_the_same_tree() {
    let world = World::new("vendor-lock-twice");
    let out = world.tmp.join("out");
    world.vendor(&out);
    let first = tree(&out);
    fs::rename(&out, world.tmp.join("first")).unwrap();
    // The output may exist, if empty.
    fs::create_dir(&out).unwrap();
    world.vendor(&out);
    assert_eq!(tree(&out), first);
    assert!(first.len() > 10, "{first:?}");
}

#[test]
fn a_wrong_checksum_names_expected_and_actual_and_leaves_nothing() {
    let world = World::new("vendor-lock-checksum");
    let wrong = "0".repeat(64);
    write(
        &world.lock,
        read(&world.lock).replace(&world.checksum, &wrong),
    );
    let out = world.tmp.join("out");
    let error = world.vendor_error(&out);
    assert!(error.starts_with("crate `tiny@0.1.0`: "), "{error}");
    assert!(error.contains("checksum mismatch for file://"), "{error}");
    assert!(
        error.contains(&format!(
            "Cargo.lock expects sha256 {wrong}, the download has {}",
            world.checksum
        )),
        "{error}"
    );
    assert!(!out.exists());

    // Into an existing directory, which is emptied again.
    fs::create_dir(&out).unwrap();
    world.vendor_error(&out);
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
}

#[test]
fn failed_fetches_name_the_crate_or_the_checkout() {
    let world = World::new("vendor-lock-missing");
    fs::remove_file(world.tmp.join("crates/tiny-0.1.0.crate")).unwrap();
    let error = world.vendor_error(&world.tmp.join("out"));
    assert!(
        error.starts_with("crate `tiny@0.1.0`: cannot download file://"),
        "{error}"
    );
    assert!(error.contains("`curl` failed"), "{error}");

    let world = World::new("vendor-lock-no-commit");
    let missing = "0123456789abcdef0123456789abcdef01234567";
    write(
        &world.lock,
        read(&world.lock).replace(&world.commit, missing),
    );
    let error = world.vendor_error(&world.tmp.join("out"));
    assert!(
        error.starts_with(&format!("cannot check out {} at {missing}: ", world.repo)),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1, "{error}");
}

#[test]
fn outputs_holding_anything_are_refused() {
    let world = World::new("vendor-lock-not-empty");
    let out = world.tmp.join("out");
    write(out.join("keep"), "mine");
    let error = world.vendor_error(&out);
    assert!(
        error.ends_with("is not empty; refusing to vendor into it"),
        "{error}"
    );
    assert_eq!(read(out.join("keep")), "mine");
}

#[test]
fn commits_no_branch_leads_to_are_fetched_by_id() {
    let world = World::new("vendor-lock-unadvertised");
    let repo_dir = world.tmp.join("repo");
    write(repo_dir.join("gitdep/src/extra.rs"), "// pinned only\n");
    git(&repo_dir, &["add", "."]);
    git(&repo_dir, &["commit", "--quiet", "-m", "pinned"]);
    let pinned = git(&repo_dir, &["rev-parse", "HEAD"]);
    git(&repo_dir, &["update-ref", "refs/pinned/one", &pinned]);
    git(&repo_dir, &["reset", "--quiet", "--hard", "HEAD~1"]);
    write(
        &world.lock,
        read(&world.lock).replace(
            &format!("?branch=feature%2Fx#{}", world.commit),
            &format!("?rev={pinned}#{pinned}"),
        ),
    );
    let out = world.tmp.join("out");
    world.vendor(&out);
    let dir = short(&format!("{}#{pinned}", world.repo));
    assert!(out.join(dir).join("gitdep-0.2.0/src/extra.rs").is_file());
    assert!(read(out.join("config.toml")).contains(&format!("rev = \"{pinned}\"\n")));
}

/// Runs the gantry binary with its scratch directory in `tmpdir`.
fn gantry(args: &[&Path], tmpdir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gantry"))
        .arg("vendor-lock")
        .arg("--registries")
        .args(args)
        .env("TMPDIR", tmpdir)
        .output()
        .unwrap()
}

#[test]
fn the_command_reports_each_fetch_and_cleans_up() {
    let world = World::new("vendor-lock-cli");
    let scratch = world.tmp.join("scratch");
    fs::create_dir(&scratch).unwrap();
    let out = world.tmp.join("out");
    let output = gantry(&[&world.registries, &world.lock, &out], &scratch);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let mut lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.pop(),
        Some("gantry: vendored crates: 1 from registries, 1 from 1 git checkouts")
    );
    lines.sort();
    assert_eq!(
        lines,
        [
            format!("gantry: checked out {} at {}", world.repo, world.commit),
            format!(
                "gantry: fetched tiny 0.1.0 from file://{}/crates/tiny-0.1.0.crate",
                world.tmp.path().display()
            ),
        ]
    );
    // The downloads and clones are gone.
    assert_eq!(fs::read_dir(&scratch).unwrap().count(), 0);

    write(&world.registries, "{}");
    let output = gantry(
        &[&world.registries, &world.lock, &world.tmp.join("out2")],
        &scratch,
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "gantry: error: crate `tiny@0.1.0`: {}: comes from the registry \
             https://github.com/rust-lang/crates.io-index, which gantry does not know",
            world.lock.display()
        )),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(&scratch).unwrap().count(), 0);
}

#[test]
fn cargo_builds_offline_against_the_vendored_lock() {
    let world = World::new("vendor-lock-cargo");
    let out = world.tmp.join("out");
    world.vendor(&out);

    let consumer = world.lock.parent().unwrap();
    write(consumer.join("Cargo.toml"), world.template("Cargo.toml.in"));
    write(
        consumer.join("src/main.rs"),
        read(fixtures().join("consumer/src/main.rs")),
    );
    // As the Nix side does: the configuration goes into CARGO_HOME.
    let cargo_home = world.tmp.join("cargo-home");
    write(
        cargo_home.join("config.toml"),
        read(out.join("config.toml")),
    );
    let output = cargo_command(consumer)
        .args(["run", "--offline", "--locked", "--quiet"])
        .env("CARGO_HOME", &cargo_home)
        .output()
        .unwrap();
    assert_success(&output);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "tiny from the registry and gitdep from git\n"
    );
    // --locked: the lock file is as cargo would write it.
    assert_eq!(read(&world.lock), world.template("Cargo.lock.in"));
}
