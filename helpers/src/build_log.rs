//! Reading cargo's JSON build log (`--message-format
//! json-render-diagnostics`).
//!
//! A build's stdout holds one JSON message per line, mixed with whatever
//! else the build printed (test results, build script output). What gantry
//! needs from it are the `compiler-artifact` messages: which unit was
//! compiled or found fresh, of which package, producing which files.

mod explain;
mod fingerprint;
mod freshness;
mod install;

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cargo_ids::PackageId;
use crate::error::{Context, Error, Position, Result};
use crate::paths;

pub use explain::{explain_failure, explain_failure_log};
pub use freshness::{freshness, Freshness, RebuiltUnit, Unchecked};
pub use install::{install_from_log, members_or_workspace, Installed};

/// A `compiler-artifact` message: one unit cargo compiled or found fresh.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Artifact {
    pub package_id: String,
    pub target: Target,
    pub profile: Profile,
    #[serde(default)]
    pub filenames: Vec<PathBuf>,
    #[serde(default)]
    pub executable: Option<PathBuf>,
    #[serde(default)]
    pub fresh: bool,
}

/// The target an artifact belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Target {
    pub name: String,
    /// Such as `lib`, `bin`, `proc-macro`, `custom-build`, `cdylib`.
    pub kind: Vec<String>,
}

/// The parts of an artifact's profile gantry looks at.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Profile {
    /// Whether the unit was compiled with the test harness.
    pub test: bool,
}

impl Artifact {
    /// The package the artifact belongs to, as its id tells.
    pub fn package(&self) -> PackageId {
        PackageId::parse(&self.package_id)
    }

    /// The package's name, or the target's when the id does not tell.
    pub fn package_name(&self) -> String {
        self.package()
            .name
            .unwrap_or_else(|| self.target.name.clone())
    }
}

/// The `reason`s of the messages cargo writes to stdout with
/// `--message-format json…`.
const CARGO_MESSAGE_REASONS: &[&str] = &[
    "compiler-artifact",
    "compiler-message",
    "build-script-executed",
    "build-finished",
    "timing-info",
];

/// Whether `line` is one of cargo's JSON messages: a JSON object whose
/// `reason` is one cargo writes. A line a program printed that merely
/// starts with `{`, or is JSON of its own, is not.
pub fn is_cargo_message(line: &[u8]) -> bool {
    let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
    if !trimmed.starts_with(b"{") {
        return false;
    }
    let Ok(serde_json::Value::Object(message)) = serde_json::from_slice(trimmed) else {
        return false;
    };
    message
        .get("reason")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|reason| CARGO_MESSAGE_REASONS.contains(&reason))
}

/// Copies `input` to `output` line by line without cargo's JSON messages,
/// flushing after each line: what a build's tests print shows up as they
/// print it. Bytes are copied as they are, valid UTF-8 or not.
pub fn drop_cargo_messages(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if !is_cargo_message(&line) {
            output.write_all(&line)?;
            output.flush()?;
        }
    }
}

/// The `compiler-artifact` messages of the build log at `path`.
pub fn read_artifacts(path: &Path) -> Result<Vec<Artifact>> {
    let log = fs::read(path).map_err(paths::error_at("cannot read the build log", path))?;
    parse_artifacts(&log).with_path(path)
}

/// The `compiler-artifact` messages of a build log. Lines that are not JSON
/// are skipped, as are other messages; an artifact message gantry cannot
/// read is an error, so that a change in cargo's format cannot go unseen.
pub fn parse_artifacts(log: &[u8]) -> Result<Vec<Artifact>> {
    let mut artifacts = Vec::new();
    for (index, line) in log.split(|&byte| byte == b'\n').enumerate() {
        let Ok(message) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        if message.get("reason").and_then(serde_json::Value::as_str) != Some("compiler-artifact") {
            continue;
        }
        let artifact = serde_json::from_value(message).map_err(|error| {
            Error::new(format!("unreadable compiler-artifact message: {error}")).at(Position {
                line: index + 1,
                column: 1,
            })
        })?;
        artifacts.push(artifact);
    }
    Ok(artifacts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_json_lines_and_other_messages_are_skipped() {
        let log = b"running 1 test\n\
            {\"reason\":\"build-script-executed\",\"package_id\":\"x\"}\n\
            {\"reason\":\"compiler-artifact\",\"package_id\":\"path+file:///a#0.1.0\",\
            \"target\":{\"name\":\"a\",\"kind\":[\"bin\"]},\"profile\":{\"test\":false},\
            \"filenames\":[],\"executable\":null,\"fresh\":true}\n\
            {not json\n";
        let artifacts = parse_artifacts(log).unwrap();
        assert_eq!(artifacts.len(), 1);
        assert_eq!(artifacts[0].package_name(), "a");
        assert!(artifacts[0].fresh);
    }

    #[test]
    fn only_cargo_messages_are_dropped() {
        let output = "{\"reason\":\"compiler-artifact\",\"package_id\":\"x\"}\n\
            {\"reason\":\"build-finished\",\"success\":true}\n\
            { a test's own line\n\
            {\"a test's\":\"own JSON\"}\n\
            {\"reason\":\"a test's own reason\"}\n\
            test result: ok\n\
            no newline at the end";
        let mut kept = Vec::new();
        drop_cargo_messages(output.as_bytes(), &mut kept).unwrap();
        assert_eq!(
            String::from_utf8(kept).unwrap(),
            "{ a test's own line\n\
             {\"a test's\":\"own JSON\"}\n\
             {\"reason\":\"a test's own reason\"}\n\
             test result: ok\n\
             no newline at the end"
        );
    }

    #[test]
    fn unreadable_artifact_messages_are_errors_with_their_line() {
        let log = b"\n{\"reason\":\"compiler-artifact\",\"package_id\":1}\n";
        let error = parse_artifacts(log).unwrap_err().with_path("log.json");
        assert!(
            error
                .to_string()
                .starts_with("log.json:2:1: unreadable compiler-artifact message"),
            "{error}"
        );
    }
}
