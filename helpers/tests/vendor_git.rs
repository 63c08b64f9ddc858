//! Vendoring of git checkouts: which files each crate gets, what its
//! manifest becomes, the errors, and that cargo builds against the result.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_success, cargo_command, write, TempDir};
use gantry::cargo_ids::CrateId;
use gantry::vendor_git::{vendor_git, Vendored, CHECKSUM};
use toml::{Table, Value};
use walkdir::WalkDir;

/// The crates of the workspace fixture that most tests vendor.
const MEMBERS: &[&str] = &["alpha@0.3.1", "beta@0.3.1", "gamma@0.3.1"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vendor-git")
}

/// A copy of the fixture checkout `name` in `tmp`, with what a fixture
/// cannot hold in git added: build output and git data, which are never
/// vendored, and a data directory that merely happens to be named
/// `target`, which is.
fn checkout(tmp: &TempDir, name: &str) -> PathBuf {
    let from = fixtures().join(name);
    let to = tmp.join(name);
    for entry in WalkDir::new(&from) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&from).unwrap();
            write(to.join(relative), fs::read(entry.path()).unwrap());
        }
    }
    if name == "workspace" {
        write(to.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(to.join("crates/alpha/.git"), "gitdir: ../../.git\n");
        write(
            to.join("crates/alpha/target/debug/junk.rlib"),
            "build output",
        );
        write(to.join("crates/alpha/data/target/keep.txt"), "data\n");
    }
    to
}

fn ids(specs: &[&str]) -> Vec<CrateId> {
    specs.iter().map(|spec| spec.parse().unwrap()).collect()
}

/// Every file and symbolic link below `root`, as relative paths, sorted.
fn listing(root: &Path) -> Vec<String> {
    let mut paths: Vec<String> = WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap();
            relative.to_str().unwrap().to_string()
        })
        .collect();
    paths.sort();
    paths
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// Vendors the members of the workspace fixture into `tmp/out`.
fn vendor_members(tmp: &TempDir) -> (PathBuf, Vec<Vendored>) {
    let checkout = checkout(tmp, "workspace");
    let out = tmp.join("out");
    let vendored = vendor_git(&checkout, &out, &ids(MEMBERS)).unwrap();
    (out, vendored)
}

fn vendor_error(checkout: &Path, out: &Path, specs: &[&str]) -> String {
    vendor_git(checkout, out, &ids(specs))
        .unwrap_err()
        .to_string()
}

#[test]
fn vendored_crates_hold_the_files_cargo_would_package() {
    let tmp = TempDir::new("vendor-git-files");
    let (out, _) = vendor_members(&tmp);
    assert_eq!(
        listing(&out),
        [
            // Hidden files are tracked by git, and so kept; the build
            // output, git data and the nested package are not.
            "alpha-0.3.1/.cargo-checksum.json",
            "alpha-0.3.1/.hidden-data",
            "alpha-0.3.1/Cargo.toml",
            // The workspace's readme, which alpha inherits.
            "alpha-0.3.1/README.md",
            "alpha-0.3.1/data/target/keep.txt",
            "alpha-0.3.1/src/lib.rs",
            // Only what `include` names.
            "beta-0.3.1/.cargo-checksum.json",
            "beta-0.3.1/Cargo.toml",
            "beta-0.3.1/src/inner/mod.rs",
            "beta-0.3.1/src/lib.rs",
            // All but what `exclude` names, and the license file from
            // outside the package.
            "gamma-0.3.1/.cargo-checksum.json",
            "gamma-0.3.1/Cargo.toml",
            "gamma-0.3.1/LICENSE",
            "gamma-0.3.1/src/lib.rs",
            "gamma-0.3.1/tests/it.rs",
            "gamma-0.3.1/tests/small.txt",
        ]
    );
    let fixture = fixtures().join("workspace");
    assert_eq!(
        read(out.join("alpha-0.3.1/README.md")),
        read(fixture.join("README.md"))
    );
    assert_eq!(
        read(out.join("gamma-0.3.1/LICENSE")),
        read(fixture.join("LICENSE"))
    );
    assert_eq!(
        read(out.join("beta-0.3.1/src/lib.rs")),
        read(fixture.join("crates/beta/src/lib.rs"))
    );
}

#[test]
fn manifests_match_the_golden_files() {
    let tmp = TempDir::new("vendor-git-golden");
    let (out, _) = vendor_members(&tmp);
    for name in ["alpha", "beta", "gamma"] {
        let written = read(out.join(format!("{name}-0.3.1/Cargo.toml")));
        let expected = read(fixtures().join(format!("expected/{name}.toml")));
        assert_eq!(written, expected, "{name}");
    }
}

#[test]
fn untouched_lines_of_a_manifest_survive_byte_for_byte() {
    let tmp = TempDir::new("vendor-git-comments");
    let (out, _) = vendor_members(&tmp);
    let written = read(out.join("alpha-0.3.1/Cargo.toml"));
    let original = read(fixtures().join("workspace/crates/alpha/Cargo.toml"));
    let rewritten = [
        "version.workspace",
        "edition = { workspace",
        "license.workspace",
        "readme.workspace",
        "repository.workspace",
        "rust-version.workspace",
        "keywords.workspace",
        "serde = { workspace",
        "gamma",
        "missing-helper",
        "workspace = true",
        "default-features = true",
        "# A helper",
    ];
    for line in original.lines() {
        if !rewritten.iter().any(|prefix| line.starts_with(prefix)) {
            assert!(
                written.lines().any(|written| written == line),
                "lost: {line:?}"
            );
        }
    }
}

/// Whether any table in `table` has a key `workspace`.
fn mentions_workspace(table: &Table) -> bool {
    table.iter().any(|(key, value)| {
        key == "workspace"
            || match value {
                Value::Table(inner) => mentions_workspace(inner),
                _ => false,
            }
    })
}

#[test]
fn manifests_parse_and_inherit_nothing() {
    let tmp = TempDir::new("vendor-git-standalone");
    let (out, _) = vendor_members(&tmp);
    for name in ["alpha", "beta", "gamma"] {
        let text = read(out.join(format!("{name}-0.3.1/Cargo.toml")));
        let manifest: Table = toml::from_str(&text).unwrap();
        assert!(!mentions_workspace(&manifest), "{name}: {text}");
        let package = manifest["package"].as_table().unwrap();
        assert_eq!(package["name"].as_str(), Some(name));
        assert_eq!(package["version"].as_str(), Some("0.3.1"));
    }
}

#[test]
fn checksum_files_record_no_checksum() {
    let tmp = TempDir::new("vendor-git-checksum");
    let (out, _) = vendor_members(&tmp);
    for name in ["alpha", "beta", "gamma"] {
        let text = read(out.join(format!("{name}-0.3.1/.cargo-checksum.json")));
        assert_eq!(text, CHECKSUM);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json, serde_json::json!({"files": {}, "package": null}));
    }
}

#[test]
fn the_result_says_what_came_from_where() {
    let tmp = TempDir::new("vendor-git-result");
    let (out, vendored) = vendor_members(&tmp);
    let lines: Vec<String> = vendored.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "vendored alpha 0.3.1 from crates/alpha",
            "vendored beta 0.3.1 from crates/beta",
            "vendored gamma 0.3.1 from crates/gamma",
        ]
    );
    assert_eq!(vendored[0].dir, out.join("alpha-0.3.1"));
    assert_eq!(vendored[0].source, PathBuf::from("crates/alpha"));
}

#[test]
fn every_package_is_vendored_when_none_is_named() {
    let tmp = TempDir::new("vendor-git-all");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    let vendored = vendor_git(&checkout, &out, &[]).unwrap();
    let names: Vec<String> = vendored
        .iter()
        .map(|crate_| crate_.id.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "alpha@0.3.1",
            "alpha-nested@0.1.0",
            "beta@0.3.1",
            "gamma@0.3.1",
            "xtask@0.0.0",
        ]
    );
    assert_eq!(
        listing(&out.join("alpha-nested-0.1.0")),
        [".cargo-checksum.json", "Cargo.toml", "src/lib.rs"]
    );
    let xtask = read(out.join("xtask-0.0.0/Cargo.toml"));
    assert!(xtask.contains("edition = \"2021\"\n"), "{xtask}");
}

#[test]
fn only_the_named_crates_are_written() {
    let tmp = TempDir::new("vendor-git-some");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    // Named twice, vendored once.
    vendor_git(&checkout, &out, &ids(&["gamma@0.3.1", "gamma@0.3.1"])).unwrap();
    assert_eq!(common::names(&out), ["gamma-0.3.1"]);
}

#[test]
fn a_missing_crate_is_an_error_listing_what_was_found() {
    let tmp = TempDir::new("vendor-git-missing");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    let error = vendor_error(&checkout, &out, &["alpha@0.3.1", "delta@1.0.0"]);
    assert_eq!(
        error,
        format!(
            "crate `delta@1.0.0`: not found in {}; it holds alpha@0.3.1, alpha-nested@0.1.0, \
             beta@0.3.1, gamma@0.3.1, xtask@0.0.0",
            checkout.display()
        )
    );
    // Nothing is written, not even the crates that were found.
    assert!(!out.exists());

    // The wrong version is not found either.
    let error = vendor_error(&checkout, &out, &["alpha@0.3.0"]);
    assert!(
        error.starts_with("crate `alpha@0.3.0`: not found in "),
        "{error}"
    );
}

#[test]
fn a_crate_found_twice_is_an_error_naming_both_places() {
    let tmp = TempDir::new("vendor-git-duplicate");
    let checkout = checkout(&tmp, "workspace");
    write(
        checkout.join("tools/copy/Cargo.toml"),
        "[package]\nname = \"gamma\"\nversion = \"0.3.1\"\n",
    );
    let error = vendor_error(&checkout, &tmp.join("out"), &["gamma@0.3.1"]);
    assert_eq!(
        error,
        format!(
            "crate `gamma@0.3.1`: found twice in the checkout, in {} and in {}; \
             cannot tell which one is locked",
            checkout.join("crates/gamma").display(),
            checkout.join("tools/copy").display()
        )
    );
    // Other crates are still found.
    vendor_git(&checkout, &tmp.join("out"), &ids(&["beta@0.3.1"])).unwrap();
}

#[test]
fn a_broken_manifest_is_an_error_when_it_matters() {
    let tmp = TempDir::new("vendor-git-broken");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    let root = checkout.join("Cargo.toml");
    let text = read(&root).replace("resolver = \"2\"", "resolver = \"2");
    write(&root, text);
    let line = read(&root)
        .lines()
        .position(|line| line.starts_with("resolver"))
        .unwrap()
        + 1;

    // alpha inherits from the broken root.
    let error = vendor_error(&checkout, &out, &["alpha@0.3.1"]);
    let place = format!("{}:{line}:", root.display());
    assert!(
        error.starts_with(&format!("crate `alpha@0.3.1`: {place}")),
        "{error}"
    );
    assert!(error.contains("invalid TOML"), "{error}");
    assert_eq!(error.lines().count(), 1);

    // gamma inherits nothing: cargo would not read the root, nor does
    // vendoring.
    vendor_git(&checkout, &out, &ids(&["gamma@0.3.1"])).unwrap();

    // Vendoring every package needs every manifest.
    let error = vendor_error(&checkout, &tmp.join("all"), &[]);
    assert!(error.starts_with(&place), "{error}");

    // A crate not found may hide in a broken manifest: it is mentioned.
    let member = checkout.join("crates/beta/Cargo.toml");
    write(&member, "[package]\nname = \"beta\nversion = \"0.3.1\"\n");
    let error = vendor_error(&checkout, &tmp.join("none"), &["beta@0.3.1"]);
    assert!(error.contains("it holds "), "{error}");
    assert!(
        error.contains(&format!("; skipped {}:2:", member.display())),
        "{error}"
    );
}

#[test]
fn a_path_dependency_on_no_package_is_dropped_or_refused() {
    let tmp = TempDir::new("vendor-git-dangling");
    let checkout = checkout(&tmp, "workspace");
    let manifest = checkout.join("crates/gamma/Cargo.toml");
    let original = read(&manifest);

    // An optional one is kept: cargo resolves it only if enabled.
    let optional = "\n[dependencies]\nghost = { path = \"../ghost\", optional = true }\n";
    write(&manifest, format!("{original}{optional}"));
    vendor_git(&checkout, &tmp.join("optional"), &ids(&["gamma@0.3.1"])).unwrap();
    let written = read(tmp.join("optional/gamma-0.3.1/Cargo.toml"));
    assert!(written.ends_with(optional), "{written}");

    let dangling = "\n[target.'cfg(unix)'.dependencies]\nghost = { path = \"../ghost\" }\n";
    write(&manifest, format!("{original}{dangling}"));
    let error = vendor_error(&checkout, &tmp.join("out"), &["gamma@0.3.1"]);
    assert_eq!(
        error,
        format!(
            "crate `gamma@0.3.1`: {}: dependency `ghost` in `[target.cfg(unix).dependencies]` \
             has `path = \"../ghost\"`, but the checkout has no package named `ghost`",
            manifest.display()
        )
    );
}

#[test]
fn package_workspace_names_the_root_to_inherit_from() {
    let tmp = TempDir::new("vendor-git-pointer");
    let checkout = checkout(&tmp, "workspace");
    write(
        checkout.join("other/root/Cargo.toml"),
        "[workspace]\nmembers = [\"../pkg\"]\n\n[workspace.package]\nversion = \"7.0.0\"\n",
    );
    write(
        checkout.join("other/pkg/Cargo.toml"),
        "[package]\nname = \"pointed\"\nversion.workspace = true\nworkspace = \"../root\"\n",
    );
    let out = tmp.join("out");
    vendor_git(&checkout, &out, &ids(&["pointed@7.0.0"])).unwrap();
    assert_eq!(
        read(out.join("pointed-7.0.0/Cargo.toml")),
        "[package]\nname = \"pointed\"\nversion = \"7.0.0\"\n"
    );
}

#[test]
fn existing_crate_directories_are_refused() {
    let tmp = TempDir::new("vendor-git-exists");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    write(out.join("gamma-0.3.1/keep"), "mine");
    let error = vendor_error(&checkout, &out, &["beta@0.3.1", "gamma@0.3.1"]);
    assert_eq!(
        error,
        format!(
            "crate `gamma@0.3.1`: {}: already exists; refusing to overwrite a vendored crate",
            out.join("gamma-0.3.1").display()
        )
    );
    assert_eq!(common::names(&out), ["gamma-0.3.1"]);
    assert_eq!(read(out.join("gamma-0.3.1/keep")), "mine");
}

#[test]
fn symlinks_inside_the_package_are_kept_others_copied() {
    let tmp = TempDir::new("vendor-git-symlinks");
    let checkout = checkout(&tmp, "workspace");
    let gamma = checkout.join("crates/gamma");
    write(gamma.join("assets/real.txt"), "real\n");
    write(checkout.join("shared/common.txt"), "shared\n");
    fs::create_dir_all(gamma.join("assets/deep")).unwrap();
    for (link, target) in [
        ("assets/same-dir", "real.txt"),
        ("assets/deep/up", "../real.txt"),
        ("assets/outside", "../../../README.md"),
        ("assets/excluded", "../tests/data/big.bin"),
        ("assets/dangling", "nowhere"),
        ("shared", "../../shared"),
        ("again", "."),
    ] {
        symlink(target, gamma.join(link)).unwrap();
    }
    let absolute = gamma.join("assets/real.txt");
    symlink(&absolute, gamma.join("assets/absolute")).unwrap();

    let out = tmp.join("out");
    vendor_git(&checkout, &out, &ids(&["gamma@0.3.1"])).unwrap();
    let crate_dir = out.join("gamma-0.3.1");
    let link = |path: &str| fs::read_link(crate_dir.join(path)).ok();
    assert_eq!(link("assets/same-dir"), Some(PathBuf::from("real.txt")));
    assert_eq!(link("assets/deep/up"), Some(PathBuf::from("../real.txt")));
    assert_eq!(link("assets/absolute"), Some(PathBuf::from("real.txt")));
    assert_eq!(link("assets/dangling"), Some(PathBuf::from("nowhere")));
    assert_eq!(read(crate_dir.join("assets/same-dir")), "real\n");
    assert_eq!(read(crate_dir.join("assets/deep/up")), "real\n");
    // Links leading out of the package, or to a file left out, are
    // replaced by what they point to; a directory is copied whole.
    for (path, contents) in [
        ("assets/outside", read(checkout.join("README.md"))),
        ("assets/excluded", "big test data\n".to_string()),
        ("shared/common.txt", "shared\n".to_string()),
    ] {
        assert_eq!(link(path), None, "{path}");
        assert_eq!(read(crate_dir.join(path)), contents, "{path}");
    }
    // The link back to the package's directory is not followed.
    assert!(!crate_dir.join("again").exists());
}

/// Runs the gantry binary.
fn gantry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_reports_each_crate_on_one_line() {
    let tmp = TempDir::new("vendor-git-cli");
    let checkout = checkout(&tmp, "workspace");
    let out = tmp.join("out");
    let args = |extra: &[&'static str]| {
        let mut args = vec![
            "vendor-git".to_string(),
            checkout.to_str().unwrap().to_string(),
            out.to_str().unwrap().to_string(),
        ];
        args.extend(extra.iter().map(|arg| arg.to_string()));
        args
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        gantry(&args)
    };

    let output = run(args(&["--crate", "beta@0.3.1", "--crate", "gamma@0.3.1"]));
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "gantry: vendored beta 0.3.1 from crates/beta\n\
         gantry: vendored gamma 0.3.1 from crates/gamma\n"
    );

    let output = run(args(&["--crate", "beta@0.3.1"]));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("gantry: error: crate `beta@0.3.1`: "),
        "{stderr}"
    );

    let output = run(args(&["--crate", "beta"]));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("NAME@VERSION"), "{stderr}");
}

/// The revision the consumer's lock file records for the fake repository.
const REV: &str = "0123456789abcdef0123456789abcdef01234567";

/// Runs cargo in `dir` without the settings of the cargo running the tests.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    cargo_command(dir).args(args).output().unwrap()
}

#[test]
fn cargo_builds_offline_against_the_vendored_crates() {
    let tmp = TempDir::new("vendor-git-cargo");
    let checkout = checkout(&tmp, "offline");
    let vendor = tmp.join("vendor");
    vendor_git(
        &checkout,
        &vendor,
        &ids(&["offline-app@1.2.3", "offline-core@1.2.3"]),
    )
    .unwrap();
    let app = read(vendor.join("offline-app-1.2.3/Cargo.toml"));
    assert!(
        app.contains("offline-core = { path = \"../core\", features = [\"loud\", \"shout\"] }\n"),
        "{app}"
    );
    assert!(!app.contains("offline-testkit"), "{app}");

    let consumer = tmp.join("consumer");
    write(
        consumer.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\noffline-app = { git = \"file:///fake/offline\" }\n\n[workspace]\n",
    );
    write(
        consumer.join("src/main.rs"),
        "fn main() {\n    println!(\"{}\", offline_app::message());\n}\n",
    );
    write(
        consumer.join(".cargo/config.toml"),
        format!(
            "[source.\"git+file:///fake/offline\"]\ngit = \"file:///fake/offline\"\n\
             replace-with = \"vendored-git\"\n\n[source.vendored-git]\ndirectory = {:?}\n",
            vendor.to_str().unwrap()
        ),
    );
    let source = format!("git+file:///fake/offline#{REV}");
    write(
        consumer.join("Cargo.lock"),
        format!(
            "# This file is automatically @generated by Cargo.\n\
             # It is not intended for manual editing.\nversion = 4\n\n\
             [[package]]\nname = \"consumer\"\nversion = \"0.0.0\"\n\
             dependencies = [\n \"offline-app\",\n]\n\n\
             [[package]]\nname = \"offline-app\"\nversion = \"1.2.3\"\nsource = \"{source}\"\n\
             dependencies = [\n \"offline-core\",\n]\n\n\
             [[package]]\nname = \"offline-core\"\nversion = \"1.2.3\"\nsource = \"{source}\"\n"
        ),
    );
    let output = cargo(&consumer, &["run", "--offline", "--locked", "--quiet"]);
    assert_success(&output);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "HELLO FROM THE VENDORED CORE (by its build script)\n"
    );
}
