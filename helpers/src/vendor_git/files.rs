//! The files of a package that its vendored copy holds, chosen as cargo
//! chooses what `cargo package` and `cargo vendor` copy.
//!
//! A git checkout holds exactly the files git tracks, which is what cargo
//! lists for a package in a git repository: hidden files included, so they
//! are kept here too, `.git` aside.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::relative;
use crate::error::{Error, Result};
use crate::paths;

/// What one file of a vendored crate is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Content {
    /// A copy of the file at this path, permissions included.
    Copy(PathBuf),
    /// A symbolic link with this target.
    Link(PathBuf),
    /// This text: a rewritten manifest, a checksum file.
    Text(String),
}

impl Content {
    /// Writes the file at `path`, which must not exist.
    pub fn write(&self, path: &Path) -> Result<()> {
        match self {
            Content::Copy(source) => paths::copy(source, path).map(drop),
            Content::Link(target) => paths::symlink(target, path),
            Content::Text(text) => paths::write(path, text),
        }
    }
}

/// Which paths of a package `package.include` and `package.exclude`
/// select: gitignore-style patterns relative to the package's directory,
/// matched with the matcher cargo uses.
struct Rules {
    /// The include patterns, if any: then only the files they match are
    /// copied, and, as cargo does, the exclude patterns are ignored.
    include: Option<Gitignore>,
    exclude: Gitignore,
}

impl Rules {
    /// The rules of the package in `root`, an absolute path: the matcher
    /// strips a leading `root` from the relative paths it is given, which
    /// a relative `root` could mistake for the start of one.
    fn new(root: &Path, include: &[String], exclude: &[String]) -> Result<Self> {
        let include = if include.is_empty() {
            None
        } else {
            Some(matcher(root, include, "include")?)
        };
        Ok(Rules {
            include,
            exclude: matcher(root, exclude, "exclude")?,
        })
    }

    /// Whether the walk enters the directory at `relative`. With include
    /// patterns, it enters all: they name files, rarely every directory
    /// leading to them.
    fn enters_dir(&self, relative: &Path) -> bool {
        self.include.is_some()
            || !self
                .exclude
                .matched_path_or_any_parents(relative, true)
                .is_ignore()
    }

    /// Whether the file at `relative` is copied. The manifest always is.
    fn keeps_file(&self, relative: &Path) -> bool {
        if relative == Path::new("Cargo.toml") {
            return true;
        }
        match &self.include {
            Some(include) => include
                .matched_path_or_any_parents(relative, false)
                .is_ignore(),
            None => !self
                .exclude
                .matched_path_or_any_parents(relative, false)
                .is_ignore(),
        }
    }
}

fn matcher(root: &Path, patterns: &[String], key: &str) -> Result<Gitignore> {
    let mut builder = GitignoreBuilder::new(root);
    for pattern in patterns {
        builder.add_line(None, pattern).map_err(|error| {
            Error::new(format!(
                "invalid pattern `{pattern}` in `package.{key}`: {error}"
            ))
        })?;
    }
    builder
        .build()
        .map_err(|error| Error::new(format!("invalid `package.{key}`: {error}")))
}

/// The files of the package in `root` that `include` and `exclude`
/// select, by path relative to `root`, as cargo lists them: the `target`
/// directory at the root, `.git`, and subdirectories holding a
/// `Cargo.toml` (packages of their own) are left out; symbolic links to
/// directories are followed. A symbolic link to a file is kept when the
/// file is one of those copied, so that the link still works in the copy;
/// otherwise the file it points to is copied in its place. A dangling link
/// is kept as it is: the build meets the same dangling link it would meet
/// in the checkout.
pub(super) fn select(
    root: &Path,
    include: &[String],
    exclude: &[String],
) -> Result<BTreeMap<PathBuf, Content>> {
    let real_root = paths::canonicalize(root)?;
    let rules = Rules::new(&real_root, include, exclude)?;
    let mut walk = Walk {
        rules: &rules,
        found: BTreeMap::new(),
        entered: Vec::new(),
    };
    walk.dir(Path::new(""), &real_root)?;
    let mut files = BTreeMap::new();
    for (path, found) in &walk.found {
        let content = match found {
            Found::File(real) => Content::Copy(real.clone()),
            Found::Dangling(target) => Content::Link(target.clone()),
            Found::Link(target) => {
                let copied = target.strip_prefix(&real_root).ok().filter(|inner| {
                    matches!(walk.found.get(*inner), Some(Found::File(real)) if real == target)
                });
                match copied {
                    Some(inner) => {
                        let from = path.parent().unwrap_or(Path::new(""));
                        Content::Link(relative(from, inner))
                    }
                    None => Content::Copy(target.clone()),
                }
            }
        };
        files.insert(path.clone(), content);
    }
    Ok(files)
}

/// A file found by the walk.
enum Found {
    /// A regular file, by its real path.
    File(PathBuf),
    /// A symbolic link to a regular file, by the file's real path.
    Link(PathBuf),
    /// A symbolic link to nothing, by its target as written.
    Dangling(PathBuf),
}

/// The walk of [`select`].
struct Walk<'a> {
    rules: &'a Rules,
    /// The files found, by path relative to the package's directory.
    found: BTreeMap<PathBuf, Found>,
    /// The real paths of the directories being walked, outermost first, to
    /// stop at symbolic links that loop back to one of them.
    entered: Vec<PathBuf>,
}

impl Walk<'_> {
    /// Walks the directory at `relative`, whose real path is `real`, in
    /// name order.
    fn dir(&mut self, relative: &Path, real: &Path) -> Result<()> {
        let mut names = Vec::new();
        for entry in paths::read_dir(real)? {
            names.push(entry.file_name());
        }
        names.sort();
        self.entered.push(real.to_path_buf());
        for name in names {
            if name == ".git" {
                continue;
            }
            let path = relative.join(&name);
            let real_path = real.join(&name);
            let metadata = paths::symlink_metadata(&real_path)?;
            if metadata.is_dir() {
                self.enter(&path, &real_path)?;
            } else if metadata.is_file() {
                if self.rules.keeps_file(&path) {
                    self.found.insert(path, Found::File(real_path));
                }
            } else if metadata.is_symlink() {
                match fs::canonicalize(&real_path) {
                    Ok(target) if target.is_dir() => self.enter(&path, &target)?,
                    Ok(target) => {
                        if target.is_file() && self.rules.keeps_file(&path) {
                            self.found.insert(path, Found::Link(target));
                        }
                    }
                    Err(_) => {
                        if self.rules.keeps_file(&path) {
                            let target = paths::read_link(&real_path)?;
                            self.found.insert(path, Found::Dangling(target));
                        }
                    }
                }
            }
        }
        self.entered.pop();
        Ok(())
    }

    /// Walks the subdirectory at `relative`, whose real path is `real`,
    /// unless it is left out.
    fn enter(&mut self, relative: &Path, real: &Path) -> Result<()> {
        if relative == Path::new("target")
            || !self.rules.enters_dir(relative)
            || real.join("Cargo.toml").exists()
            || self.entered.iter().any(|entered| entered == real)
        {
            return Ok(());
        }
        self.dir(relative, real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(include: &[&str], exclude: &[&str]) -> Rules {
        let strings =
            |patterns: &[&str]| patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        Rules::new(Path::new("/pkg"), &strings(include), &strings(exclude)).unwrap()
    }

    #[test]
    fn include_selects_files_and_wins_over_exclude() {
        let rules = rules(&["src/**", "/README.md"], &["src/**"]);
        assert!(rules.keeps_file(Path::new("src/lib.rs")));
        assert!(rules.keeps_file(Path::new("src/a/b.rs")));
        assert!(rules.keeps_file(Path::new("README.md")));
        assert!(rules.keeps_file(Path::new("Cargo.toml")));
        assert!(!rules.keeps_file(Path::new("docs/README.md")));
        assert!(!rules.keeps_file(Path::new("build.rs")));
        assert!(rules.enters_dir(Path::new("docs")));
    }

    #[test]
    fn exclude_prunes_directories_and_files() {
        let rules = rules(&[], &["tests/data/*", "*.bak", "/notes"]);
        assert!(rules.enters_dir(Path::new("tests")));
        assert!(rules.enters_dir(Path::new("tests/data")));
        assert!(!rules.keeps_file(Path::new("tests/data/big.bin")));
        assert!(rules.keeps_file(Path::new("tests/it.rs")));
        assert!(!rules.keeps_file(Path::new("src/old.bak")));
        assert!(!rules.enters_dir(Path::new("notes")));
        assert!(rules.enters_dir(Path::new("src/notes")));
        assert!(rules.keeps_file(Path::new("Cargo.toml")));
    }

    #[test]
    fn invalid_patterns_are_errors_naming_the_key() {
        let error = Rules::new(Path::new("/pkg"), &["[z-a]".to_string()], &[])
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("`package.include`"), "{error}");
        assert!(error.contains("[z-a]"), "{error}");
    }
}
