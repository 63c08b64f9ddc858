//! Manifest cleaning against the shared fixtures, which the Nix
//! implementation is checked against too.

mod common;

use common::{fixture, write, TempDir};
use gantry::toml_clean::{clean_manifest_file, Filter};
use toml::Table;

const CASES: [&str; 4] = ["barebones", "package", "workspace", "targets"];

fn parse(path: &std::path::Path) -> Table {
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Whether `table` has a value at the key path `path`.
fn has(table: &Table, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    match table.get(*first) {
        Some(toml::Value::Table(inner)) => has(inner, rest),
        Some(_) => rest.is_empty(),
        None => false,
    }
}

#[test]
fn fixtures_match_expected_outputs() {
    for case in CASES {
        for (filter, expected) in [
            (Filter::Conservative, "expected-conservative.toml"),
            (Filter::Aggressive, "expected-aggressive.toml"),
        ] {
            let cleaned = clean_manifest_file(&fixture(case, "Cargo.toml"), &filter).unwrap();
            assert_eq!(
                cleaned,
                parse(&fixture(case, expected)),
                "{case} {filter:?}"
            );
        }
    }
}

/// Paths the `package` fixture has that both filters keep.
const ALWAYS_KEPT: &[&[&str]] = &[
    &["cargo-features"],
    &["package", "name"],
    &["package", "version"],
    &["package", "edition"],
    &["package", "resolver"],
    &["package", "workspace"],
    &["dependencies", "serde", "features"],
    &["dependencies", "nested", "features"],
    &["dev-dependencies", "proptest"],
    &["dev_dependencies", "quickcheck"],
    &["build-dependencies", "cc"],
    &["build_dependencies", "pkg-config"],
    &["features", "fancy"],
    &["profile", "release", "lto"],
    &["profile", "dev", "package", "*", "opt-level"],
    &["target", "cfg(unix)", "dependencies", "libc"],
    &[
        "target",
        "cfg(windows)",
        "dev-dependencies",
        "winapi",
        "features",
    ],
    &["patch", "crates-io", "serde", "path"],
    &["replace", "foo:0.1.0"],
];

/// Paths the `package` fixture has that both filters drop.
const ALWAYS_DROPPED: &[&[&str]] = &[
    &["badges"],
    &["lints"],
    &["package", "authors"],
    &["package", "autobenches"],
    &["package", "autobins"],
    &["package", "autoexamples"],
    &["package", "autotests"],
    &["package", "build"],
    &["package", "categories"],
    &["package", "default-run"],
    &["package", "default_run"],
    &["package", "description"],
    &["package", "documentation"],
    &["package", "exclude"],
    &["package", "homepage"],
    &["package", "include"],
    &["package", "keywords"],
    &["package", "license-file"],
    &["package", "license_file"],
    &["package", "license"],
    &["package", "links"],
    &["package", "metadata"],
    &["package", "publish"],
    &["package", "readme"],
    &["package", "repository"],
    &["package", "rust-version"],
    &["package", "rust_version"],
];

/// Paths of the `package` fixture only the conservative filter keeps.
const UNKNOWN: &[&[&str]] = &[&["package", "foo"], &["unknown-section", "kept"]];

#[test]
fn every_key_class_of_a_package() {
    let manifest = fixture("package", "Cargo.toml");
    let original = parse(&manifest);
    let conservative = clean_manifest_file(&manifest, &Filter::Conservative).unwrap();
    let aggressive = clean_manifest_file(&manifest, &Filter::Aggressive).unwrap();
    for path in ALWAYS_KEPT.iter().chain(ALWAYS_DROPPED).chain(UNKNOWN) {
        assert!(has(&original, path), "fixture lacks {path:?}");
    }
    for path in ALWAYS_KEPT {
        assert!(has(&conservative, path), "conservative dropped {path:?}");
        assert!(has(&aggressive, path), "aggressive dropped {path:?}");
    }
    for path in ALWAYS_DROPPED {
        assert!(!has(&conservative, path), "conservative kept {path:?}");
        assert!(!has(&aggressive, path), "aggressive kept {path:?}");
    }
    for path in UNKNOWN {
        assert!(has(&conservative, path), "conservative dropped {path:?}");
        assert!(!has(&aggressive, path), "aggressive kept {path:?}");
    }
}

#[test]
fn target_tables_keep_build_keys_only() {
    let manifest = fixture("targets", "Cargo.toml");
    for filter in [Filter::Conservative, Filter::Aggressive] {
        let cleaned = clean_manifest_file(&manifest, &filter).unwrap();
        let bins = cleaned["bin"].as_array().unwrap();
        assert_eq!(bins.len(), 2);
        let first = bins[0].as_table().unwrap();
        let keys: Vec<&str> = first.keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "path"], "{filter:?}");
        let lib = cleaned["lib"].as_table().unwrap();
        for dropped in ["test", "doctest", "bench", "doc", "plugin"] {
            assert!(!lib.contains_key(dropped), "{filter:?} kept lib.{dropped}");
        }
        assert!(!lib.contains_key("required-features"));
        assert!(!lib.contains_key("required_features"));
        assert_eq!(lib.contains_key("unknown"), filter == Filter::Conservative);
        // Inline tables in an inline array are target tables all the same.
        let benches = cleaned["bench"].as_array().unwrap();
        assert!(benches.iter().all(|bench| {
            let bench = bench.as_table().unwrap();
            !bench.contains_key("bench") && !bench.contains_key("required_features")
        }));
    }
}

#[test]
fn workspace_keeps_shared_settings() {
    let manifest = fixture("workspace", "Cargo.toml");
    let conservative = clean_manifest_file(&manifest, &Filter::Conservative).unwrap();
    let aggressive = clean_manifest_file(&manifest, &Filter::Aggressive).unwrap();
    for cleaned in [&conservative, &aggressive] {
        assert!(has(cleaned, &["workspace", "package", "description"]));
        assert!(has(
            cleaned,
            &["workspace", "dependencies", "tokio", "features"]
        ));
        assert!(has(cleaned, &["workspace", "default_members"]));
        assert!(!has(cleaned, &["workspace", "metadata"]));
        assert!(!has(cleaned, &["workspace", "lints"]));
    }
    assert!(has(&conservative, &["workspace", "custom"]));
    assert!(!has(&aggressive, &["workspace", "custom"]));
}

#[test]
fn parse_errors_name_file_and_line() {
    let tmp = TempDir::new("clean-parse-error");
    let manifest = tmp.join("Cargo.toml");
    write(&manifest, "[package]\nname = \"x\"\nversion = \n");
    let error = clean_manifest_file(&manifest, &Filter::Conservative)
        .unwrap_err()
        .to_string();
    let expected_start = format!("{}:3:", manifest.display());
    assert!(error.starts_with(&expected_start), "{error}");
    assert!(error.contains("invalid TOML"), "{error}");
    assert!(!error.contains('\n'), "{error}");
}

#[test]
fn missing_manifest_is_named() {
    let tmp = TempDir::new("clean-missing");
    let manifest = tmp.join("Cargo.toml");
    let error = clean_manifest_file(&manifest, &Filter::Aggressive)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&format!("{}: cannot read", manifest.display())),
        "{error}"
    );
}
