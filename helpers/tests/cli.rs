//! The `gantry` binary as the Nix side runs it: arguments, stdout, stderr
//! and exit codes.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{fixture, write, TempDir};

fn gantry(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Checks that `output` is a failure reported on exactly one stderr line,
/// and returns that line.
fn one_line_error(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("gantry: error: "), "{stderr}");
    stderr
}

#[test]
fn version() {
    let output = gantry(&["--version"], "");
    assert!(output.status.success());
    let expected = format!("gantry {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(gantry(&["no-such-command"], "").status.code(), Some(2));
    assert_eq!(gantry(&["pack", "only-one"], "").status.code(), Some(2));
}

#[test]
fn clean_toml_prints_the_expected_fixtures() {
    for case in ["barebones", "package", "workspace", "targets"] {
        let manifest = fixture(case, "Cargo.toml");
        for (flags, expected) in [
            (&[][..], "expected-conservative.toml"),
            (&["--aggressive"][..], "expected-aggressive.toml"),
        ] {
            let mut args = vec!["clean-toml"];
            args.extend(flags);
            args.push(path_arg(&manifest));
            let output = gantry(&args, "");
            assert!(output.status.success(), "{case}: {output:?}");
            let expected = std::fs::read_to_string(fixture(case, expected)).unwrap();
            assert_eq!(
                String::from_utf8(output.stdout).unwrap(),
                expected,
                "{case}"
            );
        }
    }
}

#[test]
fn clean_toml_prints_json_on_request() {
    for case in ["barebones", "package", "workspace", "targets"] {
        let manifest = fixture(case, "Cargo.toml");
        let output = gantry(
            &["clean-toml", "--json", "--aggressive", path_arg(&manifest)],
            "",
        );
        assert!(output.status.success(), "{case}: {output:?}");
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let expected = std::fs::read_to_string(fixture(case, "expected-aggressive.toml")).unwrap();
        let expected: toml::Table = toml::from_str(&expected).unwrap();
        assert_eq!(printed, serde_json::to_value(expected).unwrap(), "{case}");
    }
}

#[test]
fn clean_toml_reports_a_bad_manifest_on_one_line() {
    let tmp = TempDir::new("cli-bad-manifest");
    let manifest = tmp.join("Cargo.toml");
    write(&manifest, "[package]\nname = \"unterminated\n");
    let error = one_line_error(&gantry(&["clean-toml", path_arg(&manifest)], ""));
    let expected = format!("gantry: error: {}:2:", manifest.display());
    assert!(error.starts_with(&expected), "{error}");

    let missing = tmp.join("missing/Cargo.toml");
    let error = one_line_error(&gantry(&["clean-toml", path_arg(&missing)], ""));
    assert!(error.contains(path_arg(&missing)), "{error}");
}

#[test]
fn write_toml_converts_stdin() {
    let output = gantry(&["write-toml"], r#"{"b": 1, "a": {"list": [1, "x"]}}"#);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "b = 1\n\n[a]\nlist = [1, \"x\"]\n"
    );
}

#[test]
fn write_toml_reports_bad_input_on_one_line() {
    let error = one_line_error(&gantry(&["write-toml"], r#"{"a": {"b": null}}"#));
    assert!(error.contains("null at a.b"), "{error}");
    let error = one_line_error(&gantry(&["write-toml"], "[1, 2]"));
    assert!(error.contains("must be an object"), "{error}");
    let error = one_line_error(&gantry(&["write-toml"], "{not json"));
    assert!(error.contains("invalid JSON"), "{error}");
}

#[test]
fn pack_and_unpack() {
    let tmp = TempDir::new("cli-archive");
    write(tmp.join("source/debug/app"), "binary");
    let layer = tmp.join("layer");
    let output = gantry(
        &["pack", path_arg(&tmp.join("source")), path_arg(&layer)],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    assert!(layer.join("gantry-artifacts.json").is_file());
    let output = gantry(
        &["unpack", path_arg(&layer), path_arg(&tmp.join("dest"))],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        std::fs::read(tmp.join("dest/debug/app")).unwrap(),
        b"binary"
    );

    let error = one_line_error(&gantry(
        &["unpack", path_arg(&tmp.join("source/debug/app")), "x"],
        "",
    ));
    assert!(error.contains("not a zstd-compressed archive"), "{error}");
}

#[test]
fn dummy_rustc_runs_rustc_with_lto_off_for_linked_outputs() {
    let tmp = TempDir::new("cli-dummy-rustc");
    // A stand-in rustc that prints its arguments and exits with 3.
    let rustc = tmp.join("rustc");
    write(&rustc, "#!/bin/sh\necho \"$@\"\nexit 3\n");
    std::fs::set_permissions(&rustc, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["dummy-rustc", path_arg(&rustc)];
        all.extend(args);
        gantry(&all, "")
    };

    let output = run(&["--crate-type", "bin", "-C", "lto", "src/main.rs"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "--crate-type bin -C lto src/main.rs -C lto=off\n"
    );
    let output = run(&["-vV"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "-vV\n");

    let missing = tmp.join("no-rustc");
    let output = gantry(&["dummy-rustc", path_arg(&missing), "-vV"], "");
    let error = one_line_error(&output);
    assert!(
        error.contains("cannot run") && error.contains("no-rustc"),
        "{error}"
    );
}
