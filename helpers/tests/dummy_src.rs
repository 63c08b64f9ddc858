//! Dummy sources of the fixture workspace: which files they hold, what the
//! manifests and lock file become, and that cargo accepts the result.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_success, cargo_command, write, TempDir};
use gantry::dummy_src::{
    make_dummy_src, DummyOptions, BUILD_SCRIPT, BUILD_STUB, PROC_MACRO_STUB, STUB,
};
use gantry::toml_clean::Filter;
use toml::{Table, Value};
use walkdir::WalkDir;

/// Marks every source file of the fixtures; none may reach a dummy.
const MARKER: &str = "REAL_CODE_MARKER";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dummy-src/workspace")
}

/// Every file below `root` with its contents, by relative path.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap().to_path_buf();
            (relative, fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// Copies the files of `from` to `to`.
fn copy_tree(from: &Path, to: &Path) {
    for (path, contents) in files(from) {
        write(to.join(path), contents);
    }
}

fn dummy(src: &Path, out: &Path) {
    make_dummy_src(src, out, &DummyOptions::default()).unwrap();
}

fn manifest(root: &Path, dir: &str) -> Table {
    let text = fs::read_to_string(root.join(dir).join("Cargo.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn get<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (last, parents) = path.split_last().unwrap();
    let mut table = table;
    for key in parents {
        table = table.get(*key)?.as_table()?;
    }
    table.get(*last)
}

/// Runs cargo in `dir` without the settings of the cargo running the tests.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    cargo_command(dir).args(args).output().unwrap()
}

#[test]
fn every_target_is_stubbed_and_no_real_code_is_copied() {
    let tmp = TempDir::new("dummy-targets");
    let out = tmp.join("out");
    dummy(&fixture(), &out);
    let files = files(&out);

    // Undeclared tests, examples and benches (app/tests/it.rs...) are not
    // stubbed, as in crane.
    let stubs = [
        "app/examples/declared/main.rs",
        "app/src/bin/extra.rs",
        "app/src/bin/multi/main.rs",
        "app/src/main.rs",
        "app/tools/custom.rs",
        "build-helper/src/lib.rs",
        "core-lib/src/lib.rs",
        "crates/inherit/src/lib.rs",
        "noauto/src/bin/shown.rs",
        "noauto/src/lib.rs",
    ];
    let packages = [
        "app",
        "build-helper",
        "core-lib",
        "crates/inherit",
        "macros",
        "noauto",
    ];
    let mut expected: Vec<String> = stubs.iter().map(|path| path.to_string()).collect();
    expected.push("macros/src/lib.rs".into());
    for package in packages {
        expected.push(format!("{package}/Cargo.toml"));
        expected.push(format!("{package}/{BUILD_SCRIPT}"));
    }
    expected.extend([".cargo/config.toml", "Cargo.lock", "Cargo.toml"].map(String::from));
    expected.sort();
    let found: Vec<String> = files
        .keys()
        .map(|path| path.to_str().unwrap().to_string())
        .collect();
    assert_eq!(found, expected);

    for stub in stubs {
        assert_eq!(files[Path::new(stub)], STUB.as_bytes(), "{stub}");
    }
    assert_eq!(
        files[Path::new("macros/src/lib.rs")],
        PROC_MACRO_STUB.as_bytes()
    );
    for package in packages {
        let script = PathBuf::from(package).join(BUILD_SCRIPT);
        assert_eq!(files[&script], BUILD_STUB.as_bytes(), "{package}");
    }
    assert_eq!(
        files[Path::new(".cargo/config.toml")],
        fs::read(fixture().join(".cargo/config.toml")).unwrap()
    );
    for (path, contents) in &files {
        let text = String::from_utf8_lossy(contents);
        assert!(!text.contains(MARKER), "{} leaks real code", path.display());
    }
}

#[test]
fn manifests_are_cleaned_and_point_at_the_dummy_build_script() {
    let tmp = TempDir::new("dummy-manifests");
    let out = tmp.join("out");
    dummy(&fixture(), &out);

    let app = manifest(&out, "app");
    for dropped in [
        &["package", "description"][..],
        &["package", "default-run"],
        &["package", "readme"],
        &["lints"],
    ] {
        assert_eq!(get(&app, dropped), None, "{dropped:?}");
    }
    let build = Some(&Value::from(BUILD_SCRIPT));
    assert_eq!(get(&app, &["package", "build"]), build);
    let core = manifest(&out, "core-lib");
    assert_eq!(get(&core, &["package", "build"]), build);
    assert_eq!(get(&core, &["package", "links"]), None);
    assert_eq!(get(&core, &["package", "keywords"]), None);
    let root = manifest(&out, "");
    assert_eq!(get(&root, &["workspace", "metadata"]), None);
    assert_eq!(get(&root, &["package"]), None);

    // Conservative cleaning keeps unknown keys, aggressive cleaning does not.
    let noauto = manifest(&out, "noauto");
    assert_eq!(
        get(&noauto, &["package", "autolib"]),
        Some(&Value::from(true))
    );
    assert_eq!(get(&noauto, &["package", "autobins"]), None);
    let aggressive = tmp.join("aggressive");
    let options = DummyOptions {
        filter: Filter::Aggressive,
        ..DummyOptions::default()
    };
    make_dummy_src(&fixture(), &aggressive, &options).unwrap();
    let noauto = manifest(&aggressive, "noauto");
    assert_eq!(get(&noauto, &["package", "autolib"]), None);
    assert_eq!(get(&noauto, &["package", "build"]), build);

    // A user's filter arrives as the key paths it rejected: exactly those go, with their
    // subtrees, and the dummy's own keys (the build script) stay.
    let custom = tmp.join("custom");
    let dropped = [vec!["package", "autolib"], vec!["workspace", "package"]];
    let options = DummyOptions {
        filter: Filter::Drop(
            dropped
                .iter()
                .map(|path| path.iter().map(|key| key.to_string()).collect())
                .collect(),
        ),
        ..DummyOptions::default()
    };
    make_dummy_src(&fixture(), &custom, &options).unwrap();
    let noauto = manifest(&custom, "noauto");
    assert_eq!(get(&noauto, &["package", "autolib"]), None);
    assert_eq!(get(&noauto, &["package", "build"]), build);
    assert!(get(&manifest(&custom, "core-lib"), &["package", "keywords"]).is_some());
    assert_eq!(get(&manifest(&custom, ""), &["workspace", "package"]), None);
}

#[test]
fn member_versions_are_normalised() {
    let tmp = TempDir::new("dummy-versions");
    let out = tmp.join("out");
    dummy(&fixture(), &out);
    let zero = Some(Value::from("0.0.0"));

    let root = manifest(&out, "");
    assert_eq!(
        get(&root, &["workspace", "package", "version"]),
        zero.as_ref()
    );
    assert_eq!(
        get(&root, &["workspace", "dependencies", "core-lib", "version"]),
        None
    );
    assert_eq!(
        get(&root, &["workspace", "dependencies", "core-lib", "path"]),
        Some(&Value::from("core-lib"))
    );
    let app = manifest(&out, "app");
    let inherited: Table = toml::from_str("workspace = true").unwrap();
    assert_eq!(
        get(&app, &["package", "version"]),
        Some(&Value::Table(inherited))
    );
    assert_eq!(get(&app, &["dependencies", "macros", "version"]), None);
    assert_eq!(
        get(&app, &["dev-dependencies", "build-helper", "version"]),
        None
    );
    let core = manifest(&out, "core-lib");
    assert_eq!(get(&core, &["package", "version"]), zero.as_ref());
    assert_eq!(
        get(&core, &["build-dependencies", "build-helper", "version"]),
        None
    );
    let inherit = manifest(&out, "crates/inherit");
    assert_eq!(
        get(
            &inherit,
            &[
                "target",
                "cfg(unix)",
                "dependencies",
                "build-helper",
                "version"
            ]
        ),
        None
    );

    let lock = fs::read_to_string(out.join("Cargo.lock")).unwrap();
    let original = fs::read_to_string(fixture().join("Cargo.lock")).unwrap();
    assert_ne!(lock, original);
    let versions: Vec<&str> = lock
        .lines()
        .filter(|line| line.starts_with("version = \""))
        .collect();
    assert_eq!(versions, ["version = \"0.0.0\""; 6]);
    // Only the versions changed.
    let without_versions = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("version = \""))
            .map(String::from)
            .collect()
    };
    assert_eq!(without_versions(&lock), without_versions(&original));
}

#[test]
fn cargo_builds_the_dummy_offline_with_its_lock_file() {
    let tmp = TempDir::new("dummy-cargo");
    let out = tmp.join("out");
    dummy(&fixture(), &out);
    let lock = fs::read(out.join("Cargo.lock")).unwrap();
    assert_success(&cargo(
        &out,
        &["metadata", "--offline", "--locked", "--format-version", "1"],
    ));
    assert_success(&cargo(
        &out,
        &["build", "--offline", "--locked", "--all-targets"],
    ));
    assert_success(&cargo(&out, &["test", "--offline", "--locked", "--no-run"]));
    assert_eq!(fs::read(out.join("Cargo.lock")).unwrap(), lock);
    assert_lock_is_what_cargo_writes(&out);
}

/// `--locked` compares lock files by meaning; without it, cargo rewrites
/// a lock file that differs in any byte from what it would write.
fn assert_lock_is_what_cargo_writes(dir: &Path) {
    let lock = fs::read_to_string(dir.join("Cargo.lock")).unwrap();
    assert_success(&cargo(
        dir,
        &["metadata", "--offline", "--format-version", "1"],
    ));
    assert_eq!(fs::read_to_string(dir.join("Cargo.lock")).unwrap(), lock);
}

#[test]
fn version_bumps_leave_the_dummy_unchanged() {
    let tmp = TempDir::new("dummy-bump");
    let bumped = tmp.join("bumped");
    copy_tree(&fixture(), &bumped);
    let edit = |path: &str, from: &str, to: &str| {
        let path = bumped.join(path);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} in {}", path.display());
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("Cargo.toml", "version = \"1.4.0\"", "version = \"1.5.0\"");
    edit("Cargo.toml", "version = \"0.3\"", "version = \"0.4\"");
    edit(
        "app/Cargo.toml",
        "version = \"1.4.0\"",
        "version = \"1.5.0\"",
    );
    edit("core-lib/Cargo.toml", "0.3.1", "0.4.0");
    edit("build-helper/Cargo.toml", "0.2.5", "3.0.0");
    edit("app/Cargo.toml", "0.2.5", "3");
    edit(
        "core-lib/Cargo.toml",
        "version = \"0.2\"",
        "version = \"3\"",
    );
    edit(
        "crates/inherit/Cargo.toml",
        "version = \"0.2\"",
        "version = \"3\"",
    );
    assert_success(&cargo(&bumped, &["generate-lockfile", "--offline"]));
    let lock = fs::read_to_string(bumped.join("Cargo.lock")).unwrap();
    assert!(lock.contains("version = \"0.4.0\""), "{lock}");

    dummy(&fixture(), &tmp.join("original-dummy"));
    dummy(&bumped, &tmp.join("bumped-dummy"));
    assert_eq!(
        files(&tmp.join("original-dummy")),
        files(&tmp.join("bumped-dummy"))
    );
}

#[test]
fn the_walk_skips_build_output_and_links_and_is_deterministic() {
    let tmp = TempDir::new("dummy-walk");
    let src = tmp.join("src");
    copy_tree(&fixture(), &src);
    // Unparsable manifests the walk must never read.
    write(src.join("target/debug/Cargo.toml"), "[broken");
    write(src.join(".git/Cargo.toml"), "[broken");
    write(tmp.join("elsewhere/Cargo.toml"), "[broken");
    symlink(tmp.join("elsewhere"), src.join("result")).unwrap();
    symlink(tmp.join("elsewhere"), src.join("app/result-dev")).unwrap();
    // Only the root's toolchain file is kept; configs are kept anywhere.
    write(
        src.join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"stable\"\n",
    );
    write(src.join("app/rust-toolchain"), "nightly\n");
    write(src.join("app/.cargo/config"), "[build]\njobs = 1\n");

    dummy(&src, &tmp.join("first"));
    dummy(&src, &tmp.join("second"));
    let first = files(&tmp.join("first"));
    assert_eq!(first, files(&tmp.join("second")));
    assert!(first.keys().all(|path| !path.starts_with("target")
        && !path.starts_with(".git")
        && !path.starts_with("result")
        && !path.starts_with("app/result-dev")));
    assert_eq!(
        first[Path::new("rust-toolchain.toml")],
        b"[toolchain]\nchannel = \"stable\"\n"
    );
    assert!(!first.contains_key(Path::new("app/rust-toolchain")));
    assert_eq!(
        first[Path::new("app/.cargo/config")],
        b"[build]\njobs = 1\n"
    );
}

/// Two path packages named `dup`, one in the tree and one outside it: the
/// lock file names both with their versions, and must list the normalised
/// one first, as cargo would.
#[test]
fn lock_files_keep_cargo_order_when_names_repeat() {
    let tmp = TempDir::new("dummy-dup");
    let package = |dir: &str, name: &str, version: &str, extra: &str| {
        write(
            tmp.join(dir).join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n{extra}"
            ),
        );
        write(tmp.join(dir).join("src/lib.rs"), format!("// {MARKER}\n"));
    };
    package("outside/dup", "dup", "1.0.0", "");
    package("src/dup", "dup", "2.0.0", "");
    package(
        "src/a",
        "a",
        "0.1.0",
        "[dependencies]\nold = { package = \"dup\", path = \"../../outside/dup\" }\n\
         new = { package = \"dup\", path = \"../dup\", version = \"2\" }\n",
    );
    write(
        tmp.join("src/Cargo.toml"),
        "[workspace]\nmembers = [\"a\", \"dup\"]\nresolver = \"2\"\n",
    );
    assert_success(&cargo(
        &tmp.join("src"),
        &["generate-lockfile", "--offline"],
    ));
    let original = fs::read_to_string(tmp.join("src/Cargo.lock")).unwrap();
    assert!(original.find("\"dup 1.0.0\"") < original.find("\"dup 2.0.0\""));

    // Next to `outside`, so the dummy's path dependency resolves.
    let out = tmp.join("out");
    dummy(&tmp.join("src"), &out);
    let lock = fs::read_to_string(out.join("Cargo.lock")).unwrap();
    assert!(
        lock.find("\"dup 0.0.0\"") < lock.find("\"dup 1.0.0\""),
        "{lock}"
    );
    assert_success(&cargo(&out, &["build", "--offline", "--locked"]));
    assert_lock_is_what_cargo_writes(&out);
}

/// crane's workspace-not-at-root: the workspace is in a subdirectory, which
/// the build enters; the dummy keeps it there, with only the targets it has.
#[test]
fn a_workspace_below_the_root_is_kept_where_it_is() {
    let tmp = TempDir::new("dummy-below");
    let src = tmp.join("src");
    write(src.join("README.md"), "not a package\n");
    write(
        src.join("ws/Cargo.toml"),
        "[workspace]\nmembers = [\"tool\", \"examples\"]\nresolver = \"2\"\n",
    );
    let package = |dir: &str, extra: &str| {
        write(
            src.join("ws").join(dir).join("Cargo.toml"),
            format!(
                "[package]\nname = \"{dir}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}"
            ),
        );
    };
    package("tool", "");
    write(
        src.join("ws/tool/src/main.rs"),
        format!("// {MARKER}\nfn main() {{}}\n"),
    );
    // A member named like a directory cargo forbids as a binary name: it must
    // not get a binary.
    package(
        "examples",
        "[[example]]\nname = \"foo\"\npath = \"foo.rs\"\n",
    );
    write(
        src.join("ws/examples/foo.rs"),
        format!("// {MARKER}\nfn main() {{}}\n"),
    );
    assert_success(&cargo(&src.join("ws"), &["generate-lockfile", "--offline"]));

    let out = tmp.join("out");
    dummy(&src, &out);
    let found: Vec<String> = files(&out)
        .keys()
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .map(|path| path.display().to_string())
        .collect();
    assert_eq!(
        found,
        [
            "ws/examples/foo.rs".into(),
            format!("ws/examples/{BUILD_SCRIPT}"),
            format!("ws/tool/{BUILD_SCRIPT}"),
            "ws/tool/src/main.rs".into(),
        ]
    );
    assert_success(&cargo(
        &out.join("ws"),
        &["test", "--offline", "--locked", "--no-run"],
    ));
}

#[test]
fn a_source_without_any_manifest_is_an_error() {
    let tmp = TempDir::new("dummy-no-root");
    write(tmp.join("src/crates/a/src/lib.rs"), "\n");
    let out = tmp.join("out");
    let error = make_dummy_src(&tmp.join("src"), &out, &DummyOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no Cargo.toml in {} or below it: point src at the project's directory",
            tmp.join("src").display()
        )
    );
    assert!(!out.exists());
}

#[test]
fn members_without_manifest_are_errors() {
    for (members, exclude, missing) in [
        ("\"app\", \"gone\"", "", Some("gone")),
        ("\"crates/*\"", "", Some("crates/empty")),
        ("\"crates/*\"", "exclude = [\"crates/empty\"]", None),
    ] {
        let tmp = TempDir::new("dummy-members");
        let src = tmp.join("src");
        write(
            src.join("Cargo.toml"),
            format!("[workspace]\nmembers = [{members}]\n{exclude}\n"),
        );
        write(src.join("app/Cargo.toml"), "[package]\nname = \"app\"\n");
        write(src.join("crates/a/Cargo.toml"), "[package]\nname = \"a\"\n");
        write(src.join("crates/README.md"), "not a member\n");
        fs::create_dir_all(src.join("crates/empty")).unwrap();
        fs::create_dir_all(src.join("gone")).unwrap();

        let out = tmp.join("out");
        let result = make_dummy_src(&src, &out, &DummyOptions::default());
        match missing {
            Some(member) => {
                assert_eq!(
                    result.unwrap_err().to_string(),
                    format!(
                        "workspace member {member} listed in {} has no Cargo.toml",
                        src.join("Cargo.toml").display()
                    )
                );
                assert!(!out.exists());
            }
            None => result.unwrap(),
        }
    }
}

#[test]
fn bad_manifests_are_reported_with_their_position() {
    let tmp = TempDir::new("dummy-bad");
    let src = tmp.join("src");
    write(src.join("Cargo.toml"), "[workspace]\nmembers = [\"a\"]\n");
    write(
        src.join("a/Cargo.toml"),
        "[package]\nname = \"a\"\nversion = \n",
    );
    let error = make_dummy_src(&src, &tmp.join("out"), &DummyOptions::default()).unwrap_err();
    let error = error.to_string();
    let expected = format!("{}:3:", src.join("a/Cargo.toml").display());
    assert!(error.starts_with(&expected), "{error}");
    assert!(error.contains("invalid TOML"), "{error}");
}

#[test]
fn an_existing_output_is_an_error() {
    let tmp = TempDir::new("dummy-exists");
    let out = tmp.join("out");
    fs::create_dir(&out).unwrap();
    let error = make_dummy_src(&fixture(), &out, &DummyOptions::default()).unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
}

#[test]
fn the_stubs_compile_as_every_kind_of_crate() {
    let tmp = TempDir::new("dummy-rustc");
    for (stub, crate_type) in [
        (STUB, "--crate-type=bin"),
        (STUB, "--crate-type=lib"),
        (STUB, "--crate-type=cdylib"),
        (STUB, "--test"),
        (PROC_MACRO_STUB, "--crate-type=proc-macro"),
        (BUILD_STUB, "--crate-type=bin"),
    ] {
        let file = tmp.join("stub.rs");
        fs::write(&file, stub).unwrap();
        let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args(["--edition=2021", "-Dwarnings", crate_type, "--out-dir"])
            .arg(tmp.path())
            .arg(&file)
            .output()
            .unwrap();
        assert_success(&output);
    }
}

/// On bare-metal targets the stub compiles and links as a binary and a library: no standard
/// library, a panic handler, no `main`, and on UEFI the `efi_main` entry point its linker
/// requires (crane's mkDummySrc, ipetkov/crane pull 1019). ci/install-rust.sh adds the
/// targets.
#[test]
fn the_stub_links_for_bare_metal_targets() {
    let tmp = TempDir::new("dummy-bare-metal");
    let file = tmp.join("stub.rs");
    fs::write(&file, STUB).unwrap();
    for target in ["x86_64-unknown-none", "x86_64-unknown-uefi"] {
        for crate_type in ["--crate-type=bin", "--crate-type=lib"] {
            let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
                .args([
                    "--edition=2021",
                    "-Dwarnings",
                    "--target",
                    target,
                    crate_type,
                ])
                .arg("--out-dir")
                .arg(tmp.path())
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{target} {crate_type}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn the_command_line_takes_custom_stubs_and_reports_errors_on_one_line() {
    let tmp = TempDir::new("dummy-cli");
    write(tmp.join("dummy.rs"), "pub fn main() {} // custom\n");
    write(tmp.join("build.rs"), "fn main() {} // custom build\n");
    let out = tmp.join("out");
    let gantry = |args: &[&Path]| {
        Command::new(env!("CARGO_BIN_EXE_gantry"))
            .arg("dummy-src")
            .args(args)
            .output()
            .unwrap()
    };
    let output = gantry(&[
        Path::new("--aggressive"),
        Path::new("--dummy-rs"),
        &tmp.join("dummy.rs"),
        Path::new("--dummy-build-rs"),
        &tmp.join("build.rs"),
        &fixture(),
        &out,
    ]);
    assert_success(&output);
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    let files = files(&out);
    assert_eq!(
        files[Path::new("app/src/main.rs")],
        b"pub fn main() {} // custom\n"
    );
    assert_eq!(
        files[Path::new("macros/src/lib.rs")],
        PROC_MACRO_STUB.as_bytes()
    );
    let script = PathBuf::from("core-lib").join(BUILD_SCRIPT);
    assert_eq!(files[&script], b"fn main() {} // custom build\n");
    assert_eq!(
        get(&manifest(&out, "noauto"), &["package", "autolib"]),
        None
    );

    for (args, expected) in [
        (
            vec![tmp.join("dummy.rs").as_path(), &tmp.join("new")],
            format!("no Cargo.toml in {}", tmp.join("dummy.rs").display()),
        ),
        (
            vec![
                Path::new("--dummy-rs"),
                &tmp.join("missing.rs"),
                &fixture(),
                &tmp.join("new"),
            ],
            format!("{}: cannot read", tmp.join("missing.rs").display()),
        ),
    ] {
        let output = gantry(&args);
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("gantry: error: {expected}")),
            "{stderr}"
        );
    }
}
