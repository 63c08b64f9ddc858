//! The manifest of a layer, `gantry-artifacts.json`.
//!
//! It describes the whole target directory as it was when the layer was
//! packed, not only what the layer stores: the newest manifest of a chain
//! alone says what unpacking must give, and the next layer compares
//! against it without opening any archive. An example:
//!
//! ```json
//! {
//!   "format": 1,
//!   "kind": "zstd",
//!   "base": "/nix/store/…-deps",
//!   "incremental": true,
//!   "entries": [
//!     {"path": "release", "type": "dir", "mode": 493},
//!     {"path": "release/app", "type": "file", "mode": 493, "size": 123, "sha256": "9f…"},
//!     {"path": "release/latest", "type": "symlink", "target": "app"}
//!   ],
//!   "deleted": ["release/old"]
//! }
//! ```
//!
//! - `format`: 1. Readers refuse any other number rather than guess.
//! - `kind`: how the layer stores files. `zstd`: in `target.tar.zst`, a
//!   tar of the entries (all of them, or with `incremental` only those new
//!   or changed since the base). `symlink`: in `target/`, a mirror of the
//!   tree where each file is a copy or, when the same contents were stored
//!   before, an absolute symlink to that real file. Such a pointer keeps the
//!   type `file`: only the manifest tells pointers from the tree's own
//!   symlinks. A symlink layer is always complete.
//! - `base`: the layer this one was compared against, canonicalized; absent
//!   when there was none. Informational: unpacking follows `prev`.
//! - `incremental`: the archive holds only entries new or different (type,
//!   mode, size, contents or link target) since the base, and the symlink
//!   `prev` next to the manifest leads to the base, to be unpacked first.
//! - `entries`: every directory, file and symlink below the target
//!   directory, sorted by path component by component (the order of the
//!   archive: `a`, `a/x`, `a-1`). Paths are relative, without `.` or `..`,
//!   and every parent is a `dir` entry of its own. `mode` holds the
//!   permission bits (JSON has no octal: 493 is 0o755), `sha256` the
//!   lowercase hex digest of the contents, `target` the link as written.
//! - `deleted`: the paths of the base's entries that are gone, sorted.
//!   Informational too: unpacking removes whatever the newest manifest
//!   lacks.
//!
//! Paths are JSON strings, so names that are not UTF-8 cannot be packed.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Context, Error, Result};
use crate::paths;

/// File name of the manifest in a layer.
pub const MANIFEST: &str = "gantry-artifacts.json";

/// The manifest format this gantry writes and reads.
pub const FORMAT: u32 = 1;

/// How a layer stores the files of the target directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// A deterministic `target.tar.zst`: small, and the only kind that can
    /// hold just the changes since its base.
    Zstd,
    /// A `target/` tree of copies and of symlinks to earlier copies: no
    /// compression, and files unchanged since the base cost nothing.
    Symlink,
}

impl FromStr for LayerKind {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text {
            "zstd" => Ok(LayerKind::Zstd),
            "symlink" => Ok(LayerKind::Symlink),
            _ => Err(Error::new(format!(
                "unknown layer kind `{text}`; expected `zstd` or `symlink`"
            ))),
        }
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LayerKind::Zstd => "zstd",
            LayerKind::Symlink => "symlink",
        })
    }
}

/// The contents of `gantry-artifacts.json`; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub kind: LayerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<PathBuf>,
    pub incremental: bool,
    pub entries: Vec<Entry>,
    pub deleted: Vec<PathBuf>,
}

/// One directory, file or symlink of the target directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Relative to the target directory.
    pub path: PathBuf,
    #[serde(flatten)]
    pub node: Node,
}

/// What is at a path. Two equal nodes need not be stored twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Dir {
        mode: u32,
    },
    File {
        mode: u32,
        size: u64,
        sha256: String,
    },
    Symlink {
        target: PathBuf,
    },
}

impl Manifest {
    /// Reads and checks the manifest of the layer `dir`.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(MANIFEST);
        let text = paths::read(&path)?;
        let manifest: Manifest = serde_json::from_slice(&text)
            .map_err(|error| Error::new(format!("invalid manifest: {error}")))
            .with_path(&path)?;
        manifest.check().with_path(&path)?;
        Ok(manifest)
    }

    /// Writes the manifest into the layer `dir`. The same manifest always
    /// gives the same bytes.
    pub(super) fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST);
        let mut text = serde_json::to_vec(self)
            .map_err(|error| Error::new(format!("cannot write the manifest: {error}")))?;
        text.push(b'\n');
        paths::write(&path, text)
    }

    /// The entries by path.
    pub fn nodes(&self) -> HashMap<&Path, &Node> {
        self.entries
            .iter()
            .map(|entry| (entry.path.as_path(), &entry.node))
            .collect()
    }

    /// Checks what unpacking relies on: paths that stay inside the
    /// destination, listed once and after their parent directory, so that
    /// creating them in order never writes through a symlink.
    fn check(&self) -> Result<()> {
        if self.format != FORMAT {
            return Err(Error::new(format!(
                "unsupported manifest format {}; this gantry reads format {FORMAT}",
                self.format
            )));
        }
        if self.incremental && self.kind != LayerKind::Zstd {
            return Err(Error::new(
                "invalid manifest: only a zstd layer can be incremental",
            ));
        }
        let mut dirs = HashSet::new();
        let mut previous: Option<&Path> = None;
        for entry in &self.entries {
            let problem = |problem: &str| {
                Error::new(format!("invalid manifest: {problem}"))
                    .with_entry(entry.path.display().to_string())
            };
            let path = entry.path.as_path();
            let relative = !path.as_os_str().is_empty()
                && path
                    .components()
                    .all(|component| matches!(component, Component::Normal(_)));
            if !relative {
                return Err(problem("not a relative path without `.` or `..`"));
            }
            if previous.is_some_and(|previous| previous >= path) {
                return Err(problem("out of order or listed twice"));
            }
            previous = Some(path);
            let parent = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty());
            if parent.is_some_and(|parent| !dirs.contains(parent)) {
                return Err(problem("its parent is not a directory listed before it"));
            }
            match &entry.node {
                Node::Dir { mode } | Node::File { mode, .. } if *mode > 0o777 => {
                    return Err(problem("mode has bits beyond 0o777"));
                }
                Node::Dir { .. } => {
                    dirs.insert(path);
                }
                Node::File { sha256, .. } if !is_sha256(sha256) => {
                    return Err(problem("sha256 is not 64 lowercase hex digits"));
                }
                Node::Symlink { target } if target.as_os_str().is_empty() => {
                    return Err(problem("symlink without a target"));
                }
                Node::File { .. } | Node::Symlink { .. } => {}
            }
        }
        Ok(())
    }
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(entries: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "format": 1,
            "kind": "zstd",
            "incremental": false,
            "entries": entries,
            "deleted": [],
        })
    }

    fn check(value: serde_json::Value) -> std::result::Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_value(value).map_err(|e| e.to_string())?;
        manifest.check().map_err(|error| error.to_string())?;
        Ok(manifest)
    }

    #[test]
    fn entries_serialize_path_first() {
        let manifest = Manifest {
            format: FORMAT,
            kind: LayerKind::Symlink,
            base: None,
            incremental: false,
            entries: vec![
                Entry {
                    path: "d".into(),
                    node: Node::Dir { mode: 0o755 },
                },
                Entry {
                    path: "d/f".into(),
                    node: Node::File {
                        mode: 0o644,
                        size: 3,
                        sha256: "ab".repeat(32),
                    },
                },
                Entry {
                    path: "d/l".into(),
                    node: Node::Symlink { target: "f".into() },
                },
            ],
            deleted: vec!["gone".into()],
        };
        let text = serde_json::to_string(&manifest).unwrap();
        assert_eq!(
            text,
            format!(
                concat!(
                    r#"{{"format":1,"kind":"symlink","incremental":false,"entries":["#,
                    r#"{{"path":"d","type":"dir","mode":493}},"#,
                    r#"{{"path":"d/f","type":"file","mode":420,"size":3,"sha256":"{}"}},"#,
                    r#"{{"path":"d/l","type":"symlink","target":"f"}}],"deleted":["gone"]}}"#
                ),
                "ab".repeat(32)
            )
        );
        assert_eq!(check(serde_json::from_str(&text).unwrap()), Ok(manifest));
    }

    #[test]
    fn check_refuses_what_unpacking_cannot_trust() {
        let dir = |path: &str| serde_json::json!({"path": path, "type": "dir", "mode": 493});
        for (entries, expected) in [
            (
                vec![dir("../x")],
                "entry `../x`: invalid manifest: not a relative path",
            ),
            (vec![dir("/x")], "not a relative path"),
            (vec![dir("")], "not a relative path"),
            (
                vec![dir("b"), dir("a")],
                "entry `a`: invalid manifest: out of order",
            ),
            (vec![dir("a"), dir("a")], "listed twice"),
            (
                vec![dir("a/b")],
                "entry `a/b`: invalid manifest: its parent",
            ),
            (
                vec![
                    serde_json::json!({"path": "a", "type": "symlink", "target": "/"}),
                    dir("a/b"),
                ],
                "its parent is not a directory",
            ),
            (
                vec![
                    serde_json::json!({"path": "f", "type": "file", "mode": 420, "size": 1, "sha256": "AB"}),
                ],
                "sha256 is not 64 lowercase hex digits",
            ),
            (
                vec![serde_json::json!({"path": "a", "type": "dir", "mode": 4096})],
                "mode has bits beyond",
            ),
        ] {
            let error = check(manifest(serde_json::Value::Array(entries))).unwrap_err();
            assert!(
                error.contains(expected),
                "expected {expected:?} in: {error}"
            );
        }
        let mut future = manifest(serde_json::json!([]));
        future["format"] = 2.into();
        assert!(check(future)
            .unwrap_err()
            .contains("unsupported manifest format 2"));
    }

    #[test]
    fn sorting_is_by_component() {
        let dir = |path: &str| serde_json::json!({"path": path, "type": "dir", "mode": 493});
        let entries = vec![dir("a"), dir("a/x"), dir("a-1")];
        assert!(check(manifest(serde_json::Value::Array(entries))).is_ok());
    }
}
