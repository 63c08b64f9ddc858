//! `install-from-log` and `freshness` on logs of real cargo runs, and on a
//! recorded one.

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_success, cargo_command, names, write, TempDir};
use gantry::build_log::parse_artifacts;

const FINGERPRINT_LOG: &str = "cargo::core::compiler::fingerprint=info";

fn gantry(args: &[&str]) -> Output {
    gantry_in(Path::new("."), args)
}

/// Runs the helper in `dir`, where `install-from-log` asks cargo for the
/// workspace's members.
fn gantry_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs cargo in `dir` with `env` and none of the settings of the cargo
/// running the tests.
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = cargo_command(dir)
        .args(args)
        .env_remove("FOO_ENV")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert_success(&output);
    output
}

/// A workspace with a binary `app`, a C library `clib`, and `app`'s
/// dependencies `foo` 1.2.3 from crates.io, vendored: a dependency unit that
/// builds offline, and `extlib`, a path dependency that is no member, with
/// a binary and a C library of its own. `foo`'s build script depends on
/// `FOO_ENV`.
fn project(root: &Path) {
    write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\", \"clib\"]\nexclude = [\"extlib\"]\n\
         resolver = \"2\"\n",
    );
    write(
        root.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         [dependencies]\nfoo = \"1.2\"\nextlib = { path = \"../extlib\" }\n",
    );
    c_library(root, "extlib", "\"cdylib\", \"rlib\"", 1);
    write(
        root.join("app/src/main.rs"),
        "fn main() { println!(\"{}\", foo::foo()); }\n#[test]\nfn unit() {}\n",
    );
    write(root.join("app/tests/it.rs"), "#[test]\nfn it() {}\n");
    c_library(root, "clib", "\"cdylib\", \"staticlib\", \"rlib\"", 7);
    write(
        root.join("vendor/foo/Cargo.toml"),
        "[package]\nname = \"foo\"\nversion = \"1.2.3\"\nedition = \"2021\"\n",
    );
    write(
        root.join("vendor/foo/src/lib.rs"),
        "pub fn foo() -> u32 { 42 }\n",
    );
    write(
        root.join("vendor/foo/build.rs"),
        "fn main() { println!(\"cargo::rerun-if-env-changed=FOO_ENV\"); }\n",
    );
    write(
        root.join("vendor/foo/.cargo-checksum.json"),
        "{\"files\":{},\"package\":null}",
    );
    write(
        root.join(".cargo/config.toml"),
        "[source.crates-io]\nreplace-with = \"vendored\"\n\
         [source.vendored]\ndirectory = \"vendor\"\n",
    );
    cargo(root, &["generate-lockfile", "--offline"], &[]);
}

/// The package `name` in `root/name`: a library of the crate types
/// `crate_types` exporting the C function `name` returning `value`.
fn c_library(root: &Path, name: &str, crate_types: &str, value: u32) {
    write(
        root.join(name).join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
             [lib]\ncrate-type = [{crate_types}]\n"
        ),
    );
    write(
        root.join(name).join("src/lib.rs"),
        format!("#[no_mangle]\npub extern \"C\" fn {name}() -> u32 {{ {value} }}\n"),
    );
}

/// Runs `cargo build` as gantry's cargo hook does, keeping the JSON log
/// and the fingerprint log as `<name>.json` and `<name>.fingerprint.log`.
fn build(root: &Path, name: &str, env: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let mut env = env.to_vec();
    env.push(("CARGO_LOG", FINGERPRINT_LOG));
    let output = cargo(
        root,
        &[
            "build",
            "--offline",
            "--locked",
            "--message-format",
            "json-render-diagnostics",
        ],
        &env,
    );
    let log = root.join(format!("{name}.json"));
    let fingerprints = root.join(format!("{name}.fingerprint.log"));
    fs::write(&log, &output.stdout).unwrap();
    fs::write(&fingerprints, &output.stderr).unwrap();
    (log, fingerprints)
}

/// The `gantry: rebuilt dependency` lines of a report.
fn rebuilt(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| line.starts_with("gantry: rebuilt dependency "))
        .collect()
}

#[test]
fn install_copies_members_binaries_and_libraries_only() {
    let tmp = TempDir::new("install-log");
    let root = tmp.join("project");
    project(&root);
    let json = ["--offline", "--message-format", "json-render-diagnostics"];
    let built = cargo(&root, &[&["build"][..], &json].concat(), &[]);
    let tested = cargo(&root, &[&["test", "--no-run"][..], &json].concat(), &[]);
    let mut log = b"   Compiling app v0.1.0\n".to_vec();
    log.extend(&built.stdout);
    log.extend(b"running 2 tests\ntest result: ok\n");
    log.extend(&tested.stdout);
    let log_path = tmp.join("build.json");
    fs::write(&log_path, &log).unwrap();
    // The log has what must not be installed: test harnesses, rlibs, the
    // dependency `foo`, and the C library of the path dependency `extlib`.
    let artifacts = parse_artifacts(&log).unwrap();
    assert!(artifacts
        .iter()
        .any(|artifact| artifact.profile.test && artifact.executable.is_some()));
    assert!(artifacts.iter().any(|artifact| !artifact.package().local()));
    assert!(artifacts.iter().any(|artifact| {
        artifact.package_name() == "extlib"
            && artifact.package().local()
            && artifact
                .filenames
                .iter()
                .any(|file| file.ends_with("libextlib.so"))
    }));

    // The members are cargo's, asked in the workspace.
    let out = tmp.join("out");
    let output = gantry_in(&root, &["install-from-log", arg(&log_path), arg(&out)]);
    assert_success(&output);
    assert_eq!(names(&out), ["bin", "lib"]);
    assert_eq!(names(&out.join("bin")), ["app"]);
    assert_eq!(names(&out.join("lib")), ["libclib.a", "libclib.so"]);
    let mut installed: Vec<String> = stdout(&output).lines().map(String::from).collect();
    installed.sort();
    assert_eq!(
        installed,
        ["bin/app", "lib/libclib.a", "lib/libclib.so"]
            .map(|file| format!("gantry: installed {}", out.join(file).display()))
    );

    let app = out.join("bin/app");
    let metadata = fs::symlink_metadata(&app).unwrap();
    assert!(metadata.is_file());
    assert_eq!(metadata.permissions().mode() & 0o111, 0o111);
    let built_app = fs::metadata(root.join("target/debug/app")).unwrap();
    assert_ne!(metadata.ino(), built_app.ino(), "a copy, not a hard link");
    let ran = Command::new(&app).output().unwrap();
    assert_eq!(stdout(&ran), "42\n");

    // Installing again replaces the files.
    assert_success(&gantry_in(
        &root,
        &["install-from-log", arg(&log_path), arg(&out)],
    ));

    // Members given by id: only theirs are installed.
    let clib_id = artifacts
        .iter()
        .find(|artifact| artifact.package_name() == "clib")
        .map(|artifact| artifact.package_id.clone())
        .unwrap();
    let only_clib = tmp.join("only-clib");
    let args = ["install-from-log", "--member", &clib_id, arg(&log_path)];
    assert_success(&gantry(&[&args[..], &[arg(&only_clib)]].concat()));
    assert_eq!(names(&only_clib), ["lib"]);

    // Outside a workspace (the system's temporary directory, not below
    // this repository), cargo cannot say: the error says so.
    let output = gantry_in(
        &std::env::temp_dir(),
        &["install-from-log", arg(&log_path), arg(&tmp.join("x"))],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("`cargo metadata` failed, so the workspace members are unknown"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn install_warns_when_the_log_names_nothing_to_install() {
    let tmp = TempDir::new("install-empty");
    let log = tmp.join("build.json");
    write(
        &log,
        "not json\n{\"reason\":\"compiler-artifact\",\"package_id\":\
         \"registry+https://github.com/rust-lang/crates.io-index#foo@1.0.0\",\
         \"target\":{\"name\":\"foo\",\"kind\":[\"cdylib\"]},\"profile\":{\"test\":false},\
         \"filenames\":[\"/nonexistent/libfoo.so\"],\"executable\":null,\"fresh\":false}\n",
    );
    let out = tmp.join("out");
    let output = gantry(&["install-from-log", arg(&log), arg(&out)]);
    assert_success(&output);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "gantry: warning: the build log names no binaries or libraries of workspace \
         members; nothing installed\n"
    );
    assert!(!out.exists());

    let missing = tmp.join("missing.json");
    let output = gantry(&["install-from-log", arg(&missing), arg(&out)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output).lines().count(), 1);
    assert!(
        stderr(&output).starts_with(&format!("gantry: error: {}: ", missing.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn freshness_names_rebuilt_dependencies_with_cargo_reasons() {
    let tmp = TempDir::new("freshness");
    let root = tmp.join("project");
    project(&root);
    let report = |log: &Path, fingerprints: &Path, deny: bool| -> Output {
        let mut args = vec!["freshness"];
        if deny {
            args.push("--deny-rebuilt-deps");
        }
        args.extend([arg(log), "--fingerprint-log", arg(fingerprints)]);
        gantry(&args)
    };

    let (log, fingerprints) = build(&root, "first", &[]);
    let output = report(&log, &fingerprints, false);
    assert_success(&output);
    let text = stdout(&output);
    // foo's library and build script; app, clib and the path dependency extlib
    // are local.
    assert!(
        text.starts_with(
            "gantry: freshness: 0 units fresh, 5 compiled (2 dependency units compiled)\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "gantry: rebuilt dependency foo 1.2.3 (lib): no fingerprint of an earlier build"
    ));
    assert!(text.contains("gantry: rebuilt dependency foo 1.2.3 (custom-build): "));

    // Nothing changed: nothing to report, and nothing to deny.
    let (log, fingerprints) = build(&root, "again", &[]);
    let output = report(&log, &fingerprints, true);
    assert_success(&output);
    assert_eq!(
        stdout(&output),
        "gantry: freshness: 5 units fresh, 0 compiled (0 dependency units compiled)\n"
    );

    // New RUSTFLAGS give every unit a new hash.
    let flags = ("RUSTFLAGS", "-Copt-level=1");
    let (log, fingerprints) = build(&root, "rustflags", &[flags]);
    let output = report(&log, &fingerprints, true);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(rebuilt(&text).len(), 2, "{text}");
    assert!(text.contains(
        "gantry: rebuilt dependency foo 1.2.3 (lib): no fingerprint of an earlier build: \
         the unit's hash is new"
    ));
    let error = stderr(&output);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(
        error.starts_with(
            "gantry: error: 2 dependency units were recompiled although dependency \
             artifacts were inherited: foo (no fingerprint of an earlier build"
        ),
        "{error}"
    );
    assert!(error.ends_with(
        "; the dependency build and this build differ (features, RUSTFLAGS, env of build \
         scripts, or Cargo.lock)\n"
    ));

    // An environment variable the build script depends on: only the
    // library is compiled again, after the build script runs again.
    let (log, fingerprints) = build(&root, "env", &[flags, ("FOO_ENV", "1")]);
    let text = stdout(&report(&log, &fingerprints, false));
    assert_eq!(
        rebuilt(&text),
        [
            "gantry: rebuilt dependency foo 1.2.3 (lib): a dependency changed (its build \
          script run: environment variable FOO_ENV changed (unset -> 1))"
        ],
        "{text}"
    );

    // Without the fingerprint log there are no reasons.
    let output = gantry(&["freshness", arg(&log)]);
    assert_success(&output);
    assert_eq!(
        rebuilt(&stdout(&output)),
        ["gantry: rebuilt dependency foo 1.2.3 (lib): reason unknown (no fingerprint log)"]
    );
}

/// Runs of cargo 1.95 recorded with `RUST_BACKTRACE=1` (so fingerprint
/// errors come with backtraces) after an unchanged build: one with new
/// RUSTFLAGS, one with the same RUSTFLAGS and a new value of a variable
/// `foo`'s build script reads. The report must not depend on a live cargo.
#[test]
fn freshness_reads_recorded_runs() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build-log");
    for case in ["rustflags", "env"] {
        let output = gantry(&[
            "freshness",
            arg(&fixtures.join(format!("{case}.json"))),
            "--fingerprint-log",
            arg(&fixtures.join(format!("{case}.fingerprint.log"))),
        ]);
        assert_success(&output);
        let expected = fs::read_to_string(fixtures.join(format!("{case}.expected"))).unwrap();
        assert_eq!(stdout(&output), expected, "{case}");
    }
}

#[test]
fn freshness_reports_unreadable_logs_on_one_line() {
    let tmp = TempDir::new("freshness-missing");
    let log = tmp.join("log.json");
    write(&log, "");
    let missing = tmp.join("missing.log");
    let output = gantry(&["freshness", arg(&log), "--fingerprint-log", arg(&missing)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).lines().next().unwrap(),
        format!(
            "gantry: error: {}: cannot read the fingerprint log: No such file or directory (os error 2)",
            missing.display()
        )
    );
}
