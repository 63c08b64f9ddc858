//! The "why did it rebuild" report of a build on inherited artifacts.
//!
//! A build that inherits the dependency build's target directory should
//! find every dependency unit fresh. One recompiled dependency means the
//! two builds differ somewhere (features, RUSTFLAGS, the environment of a
//! build script, the lock file), costing build time silently; the report
//! names each such unit with cargo's own reason.

use std::fmt;
use std::fs;
use std::path::Path;

use super::fingerprint::{self, Dirty};
use super::read_artifacts;
use crate::error::{Context, Error, Result};

/// What a build did with its units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// Units cargo found fresh.
    pub fresh: usize,
    /// Units cargo compiled.
    pub compiled: usize,
    /// The compiled units of dependencies (packages not from a path).
    pub rebuilt_dependencies: Vec<RebuiltUnit>,
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
/// of the same run.
pub fn freshness(log: &Path, fingerprint_log: Option<&Path>) -> Result<Freshness> {
    let artifacts = read_artifacts(log)?;
    let dirty: Option<Vec<Dirty>> = match fingerprint_log {
        Some(path) => {
            let bytes = fs::read(path)
                .map_err(|error| Error::io("cannot read the fingerprint log", error))
                .with_path(path)?;
            Some(fingerprint::parse(&String::from_utf8_lossy(&bytes)))
        }
        None => None,
    };
    let mut freshness = Freshness {
        fresh: 0,
        compiled: 0,
        rebuilt_dependencies: Vec::new(),
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
    /// dependency artifacts, that means the two builds differ.
    pub fn deny_rebuilt_dependencies(&self) -> Result<()> {
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

/// The report: a summary line, then a line per rebuilt dependency unit.
impl fmt::Display for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
