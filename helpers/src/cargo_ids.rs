//! Cargo's vocabulary, shared by vendoring (`vendor_lock`, `vendor_git`,
//! `vendor_config`), per-crate builds (`per_crate`) and the build log
//! (`build_log`): how crates, packages and sources are named, and the names
//! gantry gives vendored sources.
//!
//! These names must agree wherever they are written: a vendored source's
//! name is computed when vendoring and again when a piece's project or a
//! relocated configuration points at it, and the Nix side
//! (`lib/shortHash.nix`) computes the same. One definition each keeps them
//! from drifting apart.

use std::fmt;
use std::str::FromStr;

use crate::digest::sha256;
use crate::error::{Error, Result};

/// The source of crates.io crates in every lock file, whichever protocol
/// fetched its index; cargo names it `crates-io` in configurations.
pub const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// Prefix of the names gantry gives the directory sources it vendors:
/// `gantry-vendored-<short(source)>`.
pub const VENDORED_PREFIX: &str = "gantry-vendored-";

/// The name of the directory source holding the vendored crates of the
/// source whose directory is `dir` (see [`short`]).
pub fn vendored_source(dir: &str) -> String {
    format!("{VENDORED_PREFIX}{dir}")
}

/// Whether `source` (as a lock file or package id writes it) is a registry:
/// crates.io or another, through a git or sparse index.
pub fn is_registry(source: &str) -> bool {
    source.starts_with("registry+") || source.starts_with("sparse+")
}

/// Whether `source` (as a lock file or package id writes it) is a git
/// repository: `git+URL`, with a query naming the ref it follows.
pub fn is_git(source: &str) -> bool {
    source.starts_with("git+")
}

/// Whether `source` (as a package id writes it) is a path package's: one
/// on the local file system, which Cargo.lock lists without a source.
pub fn is_path(source: &str) -> bool {
    source.starts_with("path+")
}

/// Whether `locked`, a source as Cargo.lock writes it, is the source a
/// package id writes as `id`. A lock file's git source ends in `#<commit>`,
/// which package ids leave out, and lock files before version 4 do not
/// percent-encode its query (`branch=feature/x`), which package ids do:
/// git sources are compared without the commit, decoded.
pub fn same_source(locked: &str, id: &str) -> bool {
    if locked == id {
        return true;
    }
    if !is_git(locked) {
        return false;
    }
    let unpinned = locked
        .split_once('#')
        .map_or(locked, |(unpinned, _)| unpinned);
    matches!(
        (percent_decode(unpinned), percent_decode(id)),
        (Ok(locked), Ok(id)) if locked == id
    )
}

/// `text` with each `%XX` replaced by the byte it encodes, as cargo
/// encodes a lock file's query since version 4; anything else is kept.
pub fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escape = bytes
            .get(index + 1..index + 3)
            .filter(|digits| digits.iter().all(u8::is_ascii_hexdigit))
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u8::from_str_radix(digits, 16).ok());
        match escape {
            Some(byte) if bytes[index] == b'%' => {
                decoded.push(byte);
                index += 3;
            }
            _ => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded)
        .map_err(|_| Error::new(format!("`{text}` does not decode to UTF-8 text")))
}

/// The index URL of the registry `source`, as cargo's `registry-index` and
/// `[source]` tables want it: without the `registry+` of a git index
/// (a `sparse+` index keeps its prefix).
pub fn registry_index(source: &str) -> &str {
    source.strip_prefix("registry+").unwrap_or(source)
}

/// The name of the output directory of a source: the first 12 hex digits
/// of the sha256 of `text`, as the Nix code's
/// `builtins.substring 0 12 (builtins.hashString "sha256" text)`.
pub fn short(text: &str) -> String {
    let mut digest = sha256(text.as_bytes());
    digest.truncate(12);
    digest
}

/// A crate as a lock file names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrateId {
    pub name: String,
    pub version: String,
}

impl CrateId {
    /// The name of the crate's directory in a directory source, as
    /// `cargo vendor --versioned-dirs` writes it.
    pub fn dir_name(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }
}

/// Parses `NAME@VERSION`, cargo's package-id spec form.
impl FromStr for CrateId {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Self> {
        match spec.split_once('@') {
            Some((name, version))
                if !name.is_empty() && !version.is_empty() && !version.contains('@') =>
            {
                Ok(CrateId {
                    name: name.to_string(),
                    version: version.to_string(),
                })
            }
            _ => Err(Error::new(format!(
                "invalid crate `{spec}`: expected NAME@VERSION"
            ))),
        }
    }
}

impl fmt::Display for CrateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

/// What a package id says about a package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackageId {
    pub name: Option<String>,
    pub version: Option<String>,
    /// The source as Cargo.lock writes it (`registry+https://…`,
    /// `path+file:///…`), without a query's commit.
    pub source: String,
}

impl PackageId {
    /// Reads an id in either of cargo's formats: the package id spec of
    /// cargo 1.77 and later (`registry+https://…#serde@1.0.200`,
    /// `path+file:///build/source#0.1.0`, `path+file:///x/y#name@0.1.0`)
    /// or the older `serde 1.0.200 (registry+https://…)`. Parts it cannot
    /// find are `None`.
    pub fn parse(id: &str) -> Self {
        if let Some((name_version, source)) =
            id.strip_suffix(')').and_then(|rest| rest.split_once(" ("))
        {
            let mut parts = name_version.split(' ');
            return PackageId {
                name: parts.next().map(str::to_string),
                version: parts.next().map(str::to_string),
                source: source.to_string(),
            };
        }
        let (url, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
        let (name, version) = match fragment.split_once('@') {
            Some((name, version)) => (Some(name), Some(version)),
            None if fragment.starts_with(|c: char| c.is_ascii_digit()) => {
                // The name is left out when it is the URL's last segment.
                let path = url.split_once('?').map_or(url, |(path, _)| path);
                let last = path.trim_end_matches('/').rsplit('/').next();
                (last.filter(|last| !last.is_empty()), Some(fragment))
            }
            None if !fragment.is_empty() => (Some(fragment), None),
            None => (None, None),
        };
        PackageId {
            name: name.map(str::to_string),
            version: version.map(str::to_string),
            source: url.to_string(),
        }
    }

    /// Whether the package comes from a path: a member of the workspace
    /// (or a path dependency, which cargo builds like one).
    pub fn local(&self) -> bool {
        is_path(&self.source)
    }

    /// Whether the package comes from a registry (crates.io or another,
    /// through a git or sparse index).
    pub fn from_registry(&self) -> bool {
        is_registry(&self.source)
    }

    /// Whether the package comes from a git repository.
    pub fn from_git(&self) -> bool {
        is_git(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_sources_match_package_id_sources() {
        let id = "git+file:///r/shapes.git?branch=feature%2Fx";
        let commit = "068f50ca40fce0ada2f4b0c6ab9a417707ef010d";
        // Lock file version 4 (encoded) and 3 (not).
        assert!(same_source(&format!("{id}#{commit}"), id));
        assert!(same_source(
            &format!("git+file:///r/shapes.git?branch=feature/x#{commit}"),
            id
        ));
        assert!(!same_source(
            &format!("git+file:///r/shapes.git?branch=main#{commit}"),
            id
        ));
        assert!(same_source(CRATES_IO, CRATES_IO));
        assert!(!same_source(CRATES_IO, id));
    }

    #[test]
    fn short_names_are_the_start_of_the_sha256() {
        // printf %s registry+https://github.com/rust-lang/crates.io-index | sha256sum
        assert_eq!(short(CRATES_IO), "c19b7c6f923b");
    }

    type Parts = (Option<String>, Option<String>, bool);

    fn id(name: Option<&str>, version: Option<&str>, local: bool) -> Parts {
        (name.map(str::to_string), version.map(str::to_string), local)
    }

    #[test]
    fn package_ids_of_every_format() {
        for (text, expected) in [
            (
                "registry+https://github.com/rust-lang/crates.io-index#serde@1.0.200",
                id(Some("serde"), Some("1.0.200"), false),
            ),
            (
                "path+file:///build/source#0.1.0",
                id(Some("source"), Some("0.1.0"), true),
            ),
            (
                "path+file:///x/y#name@0.1.0-rc.1+meta",
                id(Some("name"), Some("0.1.0-rc.1+meta"), true),
            ),
            (
                "git+https://github.com/o/repo?branch=main#tool@0.3.0",
                id(Some("tool"), Some("0.3.0"), false),
            ),
            (
                "git+https://github.com/o/repo.git?rev=abc#1.0.0",
                id(Some("repo.git"), Some("1.0.0"), false),
            ),
            (
                "serde 1.0.200 (registry+https://github.com/rust-lang/crates.io-index)",
                id(Some("serde"), Some("1.0.200"), false),
            ),
            (
                "app 0.1.0 (path+file:///build/source)",
                id(Some("app"), Some("0.1.0"), true),
            ),
            ("path+file:///x#name", id(Some("name"), None, true)),
            ("", id(None, None, false)),
        ] {
            let parsed = PackageId::parse(text);
            assert_eq!(
                (parsed.name.clone(), parsed.version.clone(), parsed.local()),
                expected,
                "{text}"
            );
        }
        let registry = crate::cargo_ids::CRATES_IO;
        for text in [
            format!("{registry}#serde@1.0.200"),
            format!("serde 1.0.200 ({registry})"),
        ] {
            let parsed = PackageId::parse(&text);
            assert_eq!(parsed.source, registry);
            assert!(parsed.from_registry());
        }
    }
}
