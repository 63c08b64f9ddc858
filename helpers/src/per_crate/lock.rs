//! The parts of Cargo.lock the plan reads: packages and the edges between
//! them, to find what a piece's own project needs resolved.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::cargo_ids::{is_git, is_path, is_registry, same_source};
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
    /// it, see `same_source`; a path package's, which the lock leaves out,
    /// matches the lock's package of that name and version without one).
    fn find(&self, name: &str, version: &str, source: &str) -> Result<usize> {
        self.packages
            .iter()
            .position(|p| {
                p.name == name
                    && p.version == version
                    && match p.source.as_deref() {
                        Some(locked) => same_source(locked, source),
                        None => is_path(source),
                    }
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
    /// keys (sources as the lock writes them: none for a path package);
    /// `None` when one of them is neither a registry nor a git package nor
    /// one of the path packages `outside` names (those outside the
    /// workspace: a workspace member is never part of a piece).
    pub fn closure(
        &self,
        name: &str,
        version: &str,
        source: &str,
        outside: &BTreeSet<String>,
    ) -> Result<Option<Vec<String>>> {
        let start = self.find(name, version, source)?;
        let mut seen = BTreeSet::from([start]);
        let mut stack = vec![start];
        while let Some(index) = stack.pop() {
            let package = &self.packages[index];
            let vendorable = match package.source.as_deref() {
                Some(source) => is_registry(source) || is_git(source),
                None => outside.contains(&package.name),
            };
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
            lock.closure("draw", "1.1.0", MAIN, &BTreeSet::new())
                .unwrap(),
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

    #[test]
    fn path_packages_outside_the_workspace_belong_to_closures_members_never() {
        let lock = Lock::parse(
            r#"
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["greet"]

[[package]]
name = "greet"
version = "0.1.0"
dependencies = ["shout", "itoa"]

[[package]]
name = "shout"
version = "0.1.0"

[[package]]
name = "itoa"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#,
        )
        .unwrap();
        let outside = BTreeSet::from(["greet".to_string(), "shout".to_string()]);
        let greet = "path+file:///build/p/libs/greet";
        assert_eq!(
            lock.closure("greet", "0.1.0", greet, &outside).unwrap(),
            Some(vec![
                "greet 0.1.0 ".to_string(),
                "itoa 1.0.0 registry+https://github.com/rust-lang/crates.io-index".to_string(),
                "shout 0.1.0 ".to_string(),
            ])
        );
        // The member app, or a path package not named outside, is no piece.
        assert_eq!(
            lock.closure("app", "0.1.0", "path+file:///build/p/app", &outside)
                .unwrap(),
            None
        );
        let only_greet = BTreeSet::from(["greet".to_string()]);
        assert_eq!(
            lock.closure("greet", "0.1.0", greet, &only_greet).unwrap(),
            None
        );
        assert_eq!(lock.locked_source("shout", "0.1.0", greet).unwrap(), "");
    }
}
