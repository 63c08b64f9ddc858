//! The "why did it rebuild" report of a build on inherited artifacts.
//!
//! A build that inherits the dependency build's target directory should
//! find every dependency unit fresh. One recompiled dependency means the
//! two builds differ somewhere (features, RUSTFLAGS, the environment of a
//! build script, the lock file), costing build time silently; the report
//! names each such unit with cargo's own reason. A run that reports no
//! units at all shows nothing either way: the report says so, and
//! requiring freshness then fails instead of passing vacuously.

use std::fmt;
use std::fs;
use std::path::Path;

use super::fingerprint::{self, Dirty};
use super::read_artifacts;
use crate::error::{Error, Result};
use crate::paths;

/// What a build did with its units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// Units cargo found fresh.
    pub fresh: usize,
    /// Units cargo compiled.
    pub compiled: usize,
    /// The compiled units of dependencies (packages not from a path).
    pub rebuilt_dependencies: Vec<RebuiltUnit>,
    /// Why the log cannot show the run's freshness, when it cannot.
    pub unchecked: Option<Unchecked>,
}

/// Why a log shows nothing about freshness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unchecked {
    /// The caller chose these message formats (as given to cargo), none of
    /// them JSON: cargo printed no unit messages.
    NotJson(String),
    /// JSON messages, but no `compiler-artifact` one: cargo reported no unit
    /// (a target filter matching nothing, say).
    NoArtifacts,
}

/// Whether cargo prints JSON messages with these `--message-format` values
/// (comma-separated, as cargo takes them): any `json` or `json-…` does.
fn is_json(formats: &str) -> bool {
    formats
        .split(',')
        .any(|format| format.trim().starts_with("json"))
}

/// A compiled unit of a dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuiltUnit {
    pub name: String,
    pub version: Option<String>,
    /// The target's kinds, comma-separated (`lib`, `custom-build`...).
    pub kind: String,
    /// Why cargo compiled it.
    pub reason: String,
}

/// Reads the build log at `log` and, when given, the fingerprint log
/// (cargo's stderr with `CARGO_LOG=cargo::core::compiler::fingerprint=info`)
/// of the same run. `message_format` is the caller's own `--message-format`
/// value, if the run had one.
pub fn freshness(
    log: &Path,
    fingerprint_log: Option<&Path>,
    message_format: Option<&str>,
) -> Result<Freshness> {
    let artifacts = read_artifacts(log)?;
    let dirty: Option<Vec<Dirty>> = match fingerprint_log {
        Some(path) => {
            let bytes =
                fs::read(path).map_err(paths::error_at("cannot read the fingerprint log", path))?;
            Some(fingerprint::parse(&String::from_utf8_lossy(&bytes)))
        }
        None => None,
    };
    let unchecked = match message_format {
        Some(formats) if !is_json(formats) => Some(Unchecked::NotJson(formats.to_string())),
        _ if artifacts.is_empty() => Some(Unchecked::NoArtifacts),
        _ => None,
    };
    let mut freshness = Freshness {
        fresh: 0,
        compiled: 0,
        rebuilt_dependencies: Vec::new(),
        unchecked,
    };
    for artifact in &artifacts {
        if artifact.fresh {
            freshness.fresh += 1;
            continue;
        }
        freshness.compiled += 1;
        let package = artifact.package();
        if package.local() {
            continue;
        }
        let name = artifact.package_name();
        let reason = match &dirty {
            None => "reason unknown (no fingerprint log)".to_string(),
            Some(dirty) => fingerprint::reason_for(
                dirty,
                &name,
                package.version.as_deref(),
                &artifact.target.name,
            )
            .unwrap_or_else(|| "the fingerprint log gives no reason".to_string()),
        };
        freshness.rebuilt_dependencies.push(RebuiltUnit {
            name,
            version: package.version,
            kind: artifact.target.kind.join(","),
            reason,
        });
    }
    Ok(freshness)
}

impl Freshness {
    /// Fails when dependency units were compiled: with inherited
    /// dependency artifacts, that means the two builds differ. Fails too
    /// when the log cannot show it, so that the requirement never holds for
    /// want of evidence.
    pub fn deny_rebuilt_dependencies(&self) -> Result<()> {
        if let Some(unchecked) = &self.unchecked {
            return Err(Error::new(format!(
                "requireFreshDependencies cannot be checked: {unchecked}"
            )));
        }
        let rebuilt = &self.rebuilt_dependencies;
        if rebuilt.is_empty() {
            return Ok(());
        }
        let units = rebuilt
            .iter()
            .map(|unit| format!("{} ({})", unit.name, unit.reason))
            .collect::<Vec<_>>()
            .join(", ");
        let count = match rebuilt.len() {
            1 => "1 dependency unit was".to_string(),
            many => format!("{many} dependency units were"),
        };
        Err(Error::new(format!(
            "{count} recompiled although dependency artifacts were inherited: {units}; \
             the dependency build and this build differ (features, RUSTFLAGS, env of build \
             scripts, or Cargo.lock)"
        )))
    }
}

/// What to say of an unchecked run, and what to change.
impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unchecked::NotJson(formats) => write!(
                f,
                "cargo ran with --message-format {formats}, which reports no units; \
                 leave --message-format out (gantry then adds a JSON one) or choose a json \
                 format such as json-render-diagnostics"
            ),
            Unchecked::NoArtifacts => write!(
                f,
                "cargo reported no compiler-artifact message (it built no unit), so nothing \
                 shows the dependencies fresh; check that the run's target selection \
                 (--bins, --examples, -p …) matches something"
            ),
        }
    }
}

/// The report: a summary line, then a line per rebuilt dependency unit.
impl fmt::Display for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(unchecked) = &self.unchecked {
            return writeln!(f, "gantry: freshness: not checked: {unchecked}");
        }
        writeln!(
            f,
            "gantry: freshness: {} units fresh, {} compiled ({} dependency units compiled)",
            self.fresh,
            self.compiled,
            self.rebuilt_dependencies.len()
        )?;
        for unit in &self.rebuilt_dependencies {
            let version = unit
                .version
                .as_deref()
                .map(|version| format!(" {version}"))
                .unwrap_or_default();
            writeln!(
                f,
                "gantry: rebuilt dependency {}{version} ({}): {}",
                unit.name, unit.kind, unit.reason
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRESH_DEP: &str = "{\"reason\":\"compiler-artifact\",\
        \"package_id\":\"registry+https://github.com/rust-lang/crates.io-index#itoa@1.0.0\",\
        \"target\":{\"name\":\"itoa\",\"kind\":[\"lib\"]},\"profile\":{\"test\":false},\
        \"filenames\":[],\"executable\":null,\"fresh\":true}\n";

    /// The report of `log`, written to a directory of the test's own `name`.
    fn report(name: &str, log: &str, message_format: Option<&str>) -> Freshness {
        let dir =
            std::env::temp_dir().join(format!("gantry-freshness-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.json");
        fs::write(&path, log).unwrap();
        let report = freshness(&path, None, message_format).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        report
    }

    #[test]
    fn a_fresh_json_run_passes() {
        for format in [None, Some("json"), Some("json-render-diagnostics,json")] {
            let report = report("fresh", FRESH_DEP, format);
            assert_eq!(report.unchecked, None, "{format:?}");
            assert_eq!(report.fresh, 1);
            report.deny_rebuilt_dependencies().unwrap();
        }
    }

    #[test]
    fn a_format_without_json_is_reported_and_fails_the_requirement() {
        for format in ["human", "short"] {
            let report = report("human", "   Compiling itoa v1.0.0\n", Some(format));
            assert_eq!(
                report.unchecked,
                Some(Unchecked::NotJson(format.to_string()))
            );
            let text = report.to_string();
            assert!(
                text.starts_with(&format!(
                    "gantry: freshness: not checked: cargo ran with --message-format {format}, "
                )),
                "{text}"
            );
            let error = report.deny_rebuilt_dependencies().unwrap_err().to_string();
            assert!(
                error.starts_with("requireFreshDependencies cannot be checked: cargo ran with"),
                "{error}"
            );
            assert!(error.contains("leave --message-format out"), "{error}");
        }
    }

    #[test]
    fn a_run_without_artifacts_is_reported_and_fails_the_requirement() {
        let finished = "{\"reason\":\"build-finished\",\"success\":true}\n";
        for format in [None, Some("json")] {
            let report = report("finished", finished, format);
            assert_eq!(report.unchecked, Some(Unchecked::NoArtifacts), "{format:?}");
            assert!(report.to_string().starts_with(
                "gantry: freshness: not checked: cargo reported no compiler-artifact message"
            ));
            let error = report.deny_rebuilt_dependencies().unwrap_err().to_string();
            assert!(error.contains("it built no unit"), "{error}");
        }
    }
}
