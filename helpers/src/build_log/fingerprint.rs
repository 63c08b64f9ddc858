//! Reading cargo's fingerprint log: what cargo writes to stderr when run
//! with `CARGO_LOG=cargo::core::compiler::fingerprint=info`.
//!
//! For each unit it does not find fresh, cargo 1.95 logs a header and a
//! reason (each line prefixed with a time stamp and the tracing span, shown
//! here as `…`):
//!
//! ```text
//! … prepare_target{force=false package_id=foo v1.2.3 target="foo"}: cargo::core::compiler::fingerprint: fingerprint dirty for foo v1.2.3/Build/TargetInner { … }
//! … cargo::core::compiler::fingerprint:     dirty: EnvVarChanged { name: "FOO", old_value: None, new_value: Some("1") }
//! ```
//!
//! or, when no fingerprint of an earlier build exists for the unit (its
//! hash is new), `fingerprint error for …` followed by `err: failed to
//! read …/.fingerprint/…` and a few lines of causes. The reasons are the
//! `Debug` form of cargo's internal `DirtyReason`, not a stable interface:
//! the known ones are put in words, any other is shown as cargo wrote it.

/// The prefix of every message of the fingerprint module.
const MARKER: &str = "cargo::core::compiler::fingerprint:";

/// Why cargo did not find one unit fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dirty {
    pub(super) name: String,
    pub(super) version: String,
    /// The target's name, when the log tells.
    pub(super) target: Option<String>,
    /// Whether the unit is the run of a build script rather than a
    /// compilation.
    pub(super) runs_build_script: bool,
    pub(super) reason: String,
    /// Whether the reason is only that a unit it depends on changed.
    pub(super) from_dependency: bool,
}

/// A unit named by a header line, waiting for its reason.
struct Unit {
    name: String,
    version: String,
    target: Option<String>,
    runs_build_script: bool,
}

/// Every dirty unit `log` reports, in its order. Lines it does not
/// recognise, and headers without a reason, are skipped.
pub(super) fn parse(log: &str) -> Vec<Dirty> {
    let mut dirty = Vec::new();
    let mut pending: Option<Unit> = None;
    for line in log.lines() {
        let line = strip_colors(line);
        let Some((span, message)) = line.split_once(MARKER) else {
            continue;
        };
        let message = message.trim();
        let header = message
            .strip_prefix("fingerprint dirty for ")
            .or_else(|| message.strip_prefix("fingerprint error for "));
        let reason = if let Some(header) = header {
            pending = unit(span, header);
            continue;
        } else if let Some(debug) = message.strip_prefix("dirty: ") {
            describe_dirty(debug)
        } else if let Some(error) = message.strip_prefix("err: ") {
            (describe_error(error), false)
        } else {
            continue;
        };
        if let Some(unit) = pending.take() {
            dirty.push(Dirty {
                name: unit.name,
                version: unit.version,
                target: unit.target,
                runs_build_script: unit.runs_build_script,
                reason: reason.0,
                from_dependency: reason.1,
            });
        }
    }
    dirty
}

/// The reason the log gives for compiling the unit of target `target` of
/// package `name` (at `version`, when known). A unit dirty only because a
/// dependency changed gets the reason of its package's build script run
/// too, if that has one of its own: that run is no artifact of the build
/// log, so its reason would otherwise go unreported.
pub(super) fn reason_for(
    dirty: &[Dirty],
    name: &str,
    version: Option<&str>,
    target: &str,
) -> Option<String> {
    let of_package =
        |unit: &&Dirty| unit.name == name && version.is_none_or(|version| unit.version == version);
    let mut reasons: Vec<String> = Vec::new();
    let compiled = dirty.iter().filter(of_package).filter(|unit| {
        !unit.runs_build_script && unit.target.as_deref().is_none_or(|known| known == target)
    });
    for unit in compiled {
        let build_script_run = dirty
            .iter()
            .filter(of_package)
            .find(|other| other.runs_build_script && !other.from_dependency);
        let reason = match build_script_run {
            Some(run) if unit.from_dependency => {
                format!("{} (its build script run: {})", unit.reason, run.reason)
            }
            _ => unit.reason.clone(),
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// The unit a header names: `header` is `foo v1.2.3/Build/…` or
/// `app v0.1.0 (/path)/RunCustomBuild/…`, and the span before the
/// message holds `target="…"`.
fn unit(span: &str, header: &str) -> Option<Unit> {
    let (name, rest) = header.split_once(' ')?;
    let version = rest.strip_prefix('v')?;
    let version = version
        .split(|c: char| c == '/' || c.is_whitespace())
        .next()?;
    let target = span
        .split_once("target=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(target, _)| target.to_string());
    Some(Unit {
        name: name.to_string(),
        version: version.to_string(),
        target,
        runs_build_script: header.contains("/RunCustomBuild/"),
    })
}

/// A `DirtyReason` in words, and whether it is only a dependency's change.
fn describe_dirty(debug: &str) -> (String, bool) {
    let debug = debug.trim();
    let variant_length = debug
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(debug.len());
    let (variant, fields) = debug.split_at(variant_length);
    let fields = fields.trim();
    match variant {
        "UnitDependencyInfoChanged"
        | "UnitDependencyNameChanged"
        | "NumberOfDependenciesChanged" => ("a dependency changed".to_string(), true),
        "FsStatusOutdated" => describe_outdated(fields),
        "EnvVarChanged" => {
            let name = string_field(fields, "name").flatten().unwrap_or_default();
            let old = string_field(fields, "old_value").flatten();
            let new = string_field(fields, "new_value").flatten();
            let show = |value: Option<String>| value.unwrap_or_else(|| "unset".to_string());
            (
                format!(
                    "environment variable {name} changed ({} -> {})",
                    show(old),
                    show(new)
                ),
                false,
            )
        }
        _ => {
            let words = words(variant);
            if fields.is_empty() {
                (words, false)
            } else {
                (format!("{words} {fields}"), false)
            }
        }
    }
}

/// `FsStatusOutdated(…)`: a file or a dependency's output is newer than
/// the unit's.
fn describe_outdated(fields: &str) -> (String, bool) {
    if fields.contains("StaleDependency") || fields.contains("StaleDepFingerprint") {
        let name = string_field(fields, "name").flatten().unwrap_or_default();
        return (format!("dependency {name} was rebuilt"), true);
    }
    let described = if fields.contains("ChangedFile") {
        string_field(fields, "stale")
            .flatten()
            .map(|file| format!("file {file} changed"))
    } else if let Some((_, missing)) = fields.split_once("MissingFile(") {
        quoted(missing).map(|file| format!("file {file} is missing"))
    } else if fields.contains("ChangedEnv") {
        string_field(fields, "var")
            .flatten()
            .map(|var| format!("environment variable {var} changed"))
    } else {
        None
    };
    (
        described.unwrap_or_else(|| format!("outdated files {fields}")),
        false,
    )
}

/// The `err:` message of a header `fingerprint error for …`.
fn describe_error(error: &str) -> String {
    if error.starts_with("failed to read") && error.contains(".fingerprint") {
        "no fingerprint of an earlier build: the unit's hash is new (features, profile, \
         RUSTFLAGS, compiler or dependency versions differ from every earlier build)"
            .to_string()
    } else {
        format!("fingerprint error: {error}")
    }
}

/// A CamelCase name in lower-case words: `RustflagsChanged` gives
/// `rustflags changed`.
fn words(name: &str) -> String {
    let mut words = String::new();
    for (index, c) in name.char_indices() {
        if c.is_uppercase() && index > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

/// The value of field `key` in a `Debug` rendering when it is a string
/// (`key: "x"` or `key: Some("x")`, giving `Some(Some("x"))`) or `None`
/// (giving `Some(None)`). Strings stay escaped, so they stay on one line.
fn string_field(debug: &str, key: &str) -> Option<Option<String>> {
    let start = [format!("{{ {key}: "), format!(", {key}: ")]
        .iter()
        .filter_map(|pattern| debug.find(pattern.as_str()).map(|at| at + pattern.len()))
        .min()?;
    let value = &debug[start..];
    if value.starts_with("None") {
        return Some(None);
    }
    quoted(value.strip_prefix("Some(").unwrap_or(value)).map(Some)
}

/// The contents of the escaped string literal `text` starts with.
fn quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?;
    let mut escaped = false;
    for (index, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(inner[..index].to_string()),
            _ => {}
        }
    }
    None
}

/// `line` without ANSI color sequences, which the log has when stderr is
/// a terminal.
fn strip_colors(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequences end with a letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "   0.011646913s  INFO prepare_target{force=false package_id=foo v1.2.3 target=\"build-script-build\"}: cargo::core::compiler::fingerprint: ";

    const APP: &str = "   0.02s  INFO prepare_target{force=false package_id=app v0.1.0 (/src/app) target=\"app\"}: cargo::core::compiler::fingerprint: ";

    fn describe(debug: &str) -> String {
        describe_dirty(debug).0
    }

    #[test]
    fn known_reasons_are_put_in_words() {
        assert_eq!(
            describe("EnvVarChanged { name: \"FOO\", old_value: None, new_value: Some(\"a \\\"b\\\"\") }"),
            "environment variable FOO changed (unset -> a \\\"b\\\")"
        );
        assert_eq!(
            describe("FsStatusOutdated(StaleItem(ChangedFile { reference: \"/t/dep-lib\", reference_mtime: FileTime { seconds: 1, nanos: 0 }, stale: \"/src/data.txt\", stale_mtime: FileTime { seconds: 2, nanos: 0 } }))"),
            "file /src/data.txt changed"
        );
        assert_eq!(
            describe("FsStatusOutdated(StaleItem(MissingFile(\"/src/gone.rs\")))"),
            "file /src/gone.rs is missing"
        );
        assert_eq!(
            describe_dirty("FsStatusOutdated(StaleDepFingerprint { name: \"bar\" })"),
            ("dependency bar was rebuilt".to_string(), true)
        );
        assert_eq!(
            describe_dirty("UnitDependencyInfoChanged { unit: UnitIndex(3) }"),
            ("a dependency changed".to_string(), true)
        );
    }

    #[test]
    fn unknown_reasons_are_shown_as_cargo_wrote_them() {
        assert_eq!(
            describe("DeclaredFeaturesChanged { old: \"[]\", new: \"[\\\"x\\\"]\" }"),
            "declared features changed { old: \"[]\", new: \"[\\\"x\\\"]\" }"
        );
        assert_eq!(describe("RustcChanged"), "rustc changed");
    }

    #[test]
    fn headers_and_reasons_pair_up() {
        let log = format!(
            "{PREFIX}fingerprint dirty for foo v1.2.3/RunCustomBuild/TargetInner {{ ..: custom_build_target(\"build-script-build\") }}\n\
             {PREFIX}    dirty: EnvVarChanged {{ name: \"FOO\", old_value: None, new_value: Some(\"1\") }}\n\
             unrelated line\n\
             \u{1b}[2m0.1s\u{1b}[0m INFO prepare_target{{force=false package_id=foo v1.2.3 target=\"foo\"}}: {MARKER} fingerprint dirty for foo v1.2.3/Build/TargetInner {{ }}\n\
             {PREFIX}    dirty: UnitDependencyInfoChanged {{ unit: UnitIndex(3) }}\n\
             {APP}fingerprint error for app v0.1.0 (/src/app)/Build/TargetInner {{ }}\n\
             {APP}    err: failed to read `/t/.fingerprint/app-1/bin-app`\n\
             \n\
             Caused by:\n    No such file or directory (os error 2)\n"
        );
        let dirty = parse(&log);
        assert_eq!(dirty.len(), 3, "{dirty:?}");
        assert!(dirty[0].runs_build_script);
        assert_eq!(dirty[1].target.as_deref(), Some("foo"));
        assert_eq!(
            (dirty[2].name.as_str(), dirty[2].version.as_str()),
            ("app", "0.1.0")
        );
        assert_eq!(
            reason_for(&dirty, "foo", Some("1.2.3"), "foo").unwrap(),
            "a dependency changed (its build script run: environment variable FOO changed (unset -> 1))"
        );
        assert!(reason_for(&dirty, "app", None, "app")
            .unwrap()
            .starts_with("no fingerprint of an earlier build"));
        assert_eq!(reason_for(&dirty, "foo", Some("9.9.9"), "foo"), None);
    }
}
