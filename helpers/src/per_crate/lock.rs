//! The parts of Cargo.lock the plan reads: packages and the edges between
//! them, to find what a piece's own project needs resolved.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::cargo_ids::{is_git, is_registry, same_source};
use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// A parsed Cargo.lock.
pub struct Lock {
    packages: Vec<Package>,
}

impl Lock {
    pub fn parse(text: &str) -> Result<Self> {
        let lock: LockFile =
            toml::from_str(text).map_err(|error| Error::toml("lock file", text, &error))?;
        Ok(Lock {
            packages: lock.package,
        })
    }

    /// The package `name version source` (`source` as a package id writes
    /// it, see `same_source`).
    fn find(&self, name: &str, version: &str, source: &str) -> Result<usize> {
        self.packages
            .iter()
            .position(|p| {
                p.name == name
                    && p.version == version
                    && p.source
                        .as_deref()
                        .is_some_and(|locked| same_source(locked, source))
            })
            .ok_or_else(|| {
                Error::new(format!(
                    "the unit graph names {name} {version} from {source}, which Cargo.lock lacks: \
                     the plan was made from another lock file"
                ))
            })
    }

    /// The source of `name version source` as Cargo.lock writes it: a git
    /// source with the commit it is locked at.
    pub fn locked_source(&self, name: &str, version: &str, source: &str) -> Result<&str> {
        let index = self.find(name, version, source)?;
        Ok(self.packages[index].source.as_deref().unwrap_or_default())
    }

    /// The packages reachable from `name version source` along the lock's
    /// dependency edges, itself included, as sorted `name version source`
    /// keys (sources as the lock writes them); `None` when one of them is
    /// neither a registry nor a git package (a path package cannot be
    /// vendored for a piece: cargo checks it by mtime).
    pub fn closure(&self, name: &str, version: &str, source: &str) -> Result<Option<Vec<String>>> {
        let start = self.find(name, version, source)?;
        let mut seen = BTreeSet::from([start]);
        let mut stack = vec![start];
        while let Some(index) = stack.pop() {
            let package = &self.packages[index];
            let vendorable = package
                .source
                .as_deref()
                .is_some_and(|source| is_registry(source) || is_git(source));
            if !vendorable {
                return Ok(None);
            }
            for reference in &package.dependencies {
                let below = self.resolve(reference).map_err(|error| {
                    error.with_crate(format!("{} {}", package.name, package.version))
                })?;
                if seen.insert(below) {
                    stack.push(below);
                }
            }
        }
        let mut keys: Vec<String> = seen
            .into_iter()
            .map(|index| {
                let p = &self.packages[index];
                format!(
                    "{} {} {}",
                    p.name,
                    p.version,
                    p.source.as_deref().unwrap_or("")
                )
            })
            .collect();
        keys.sort();
        Ok(Some(keys))
    }

    /// The package a lock dependency entry (`name`, `name version` or
    /// `name version (source)`) names.
    fn resolve(&self, reference: &str) -> Result<usize> {
        let mut parts = reference.splitn(3, ' ');
        let name = parts.next().unwrap_or_default();
        let version = parts.next();
        let source = parts
            .next()
            .map(|s| s.trim_start_matches('(').trim_end_matches(')'));
        let mut matching = self.packages.iter().enumerate().filter(|(_, p)| {
            p.name == name
                && version.is_none_or(|v| p.version == v)
                && source.is_none_or(|s| {
                    p.source
                        .as_deref()
                        .is_some_and(|locked| same_source(locked, s))
                })
        });
        match (matching.next(), matching.next()) {
            (Some((index, _)), None) => Ok(index),
            (None, _) => Err(Error::new(format!(
                "Cargo.lock lists the dependency `{reference}`, which it has no package for"
            ))),
            (Some(_), Some(_)) => Err(Error::new(format!(
                "Cargo.lock lists the dependency `{reference}`, which fits several packages"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "git+file:///r/shapes.git?branch=main";
    const FEATURE: &str = "git+file:///r/shapes.git?branch=feature/x";

    #[test]
    fn git_packages_are_found_by_their_source_without_the_commit() {
        // Lock file version 3: two crates of one name and version from two branches, a
        // dependency naming one by its source without the commit.
        let lock = Lock::parse(&format!(
            r#"
[[package]]
name = "core"
version = "1.1.0"
source = "{FEATURE}#068f50ca40fce0ada2f4b0c6ab9a417707ef010d"

[[package]]
name = "core"
version = "1.1.0"
source = "{MAIN}#abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930"

[[package]]
name = "draw"
version = "1.1.0"
source = "{MAIN}#abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930"
dependencies = ["core 1.1.0 ({MAIN})"]
"#
        ))
        .unwrap();
        let pinned = |source: &str| format!("{source}#abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930");
        assert_eq!(
            lock.closure("draw", "1.1.0", MAIN).unwrap(),
            Some(vec![
                format!("core 1.1.0 {}", pinned(MAIN)),
                format!("draw 1.1.0 {}", pinned(MAIN)),
            ])
        );
        // Package ids percent-encode the query.
        let id = "git+file:///r/shapes.git?branch=feature%2Fx";
        assert_eq!(
            lock.locked_source("core", "1.1.0", id).unwrap(),
            format!("{FEATURE}#068f50ca40fce0ada2f4b0c6ab9a417707ef010d")
        );
    }
}
