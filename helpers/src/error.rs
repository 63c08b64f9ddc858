//! The one error type of gantry.
//!
//! gantry runs inside Nix builds, where the only thing a user sees of a
//! failure is the last lines of a build log. An error therefore carries the
//! context needed to act on it (which crate, which file, where in that file,
//! which archive entry) and renders as a single line.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Result type of every fallible gantry operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a text file, both numbers counted from 1 as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `text`; columns count characters,
    /// not bytes, so they match what an editor shows for non-ASCII lines.
    /// An offset inside a character or past the end counts as the start of
    /// that character or the end of the text.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// What went wrong, and where. Boxed: errors are rare, and a small error
/// keeps every `Result` small.
#[derive(Debug)]
pub struct Error(Box<Details>);

#[derive(Debug)]
struct Details {
    message: String,
    file: Option<PathBuf>,
    position: Option<Position>,
    krate: Option<String>,
    entry: Option<String>,
    source: Option<io::Error>,
}

impl Error {
    /// An error described by `message` alone.
    pub fn new(message: impl Into<String>) -> Self {
        Error(Box::new(Details {
            message: message.into(),
            file: None,
            position: None,
            krate: None,
            entry: None,
            source: None,
        }))
    }

    /// A failed I/O operation; `action` says what was attempted
    /// (e.g. "cannot read"), the operating system's reason is appended.
    pub fn io(action: impl Into<String>, source: io::Error) -> Self {
        let mut error = Error::new(action);
        error.0.source = Some(source);
        error
    }

    /// Names the file the error concerns. The first file attached wins:
    /// it is the most specific one, attached closest to the failure. The
    /// same goes for crates and entries.
    pub fn with_path(mut self, path: impl AsRef<Path>) -> Self {
        self.0
            .file
            .get_or_insert_with(|| path.as_ref().to_path_buf());
        self
    }

    /// A TOML file `text` that cannot be read as `what`: toml's message,
    /// at the position it names.
    pub fn toml(what: &str, text: &str, error: &toml::de::Error) -> Self {
        let problem = Error::new(format!("invalid {what}: {}", error.message().trim()));
        match error.span() {
            Some(span) => problem.at(Position::of_offset(text, span.start)),
            None => problem,
        }
    }

    /// Points at a line and column of the file the error concerns.
    pub fn at(mut self, position: Position) -> Self {
        self.0.position = Some(position);
        self
    }

    /// Names the crate the error concerns.
    pub fn with_crate(mut self, name: impl Into<String>) -> Self {
        self.0.krate.get_or_insert_with(|| name.into());
        self
    }

    /// Names the archive entry the error concerns, by its path in the
    /// archive.
    pub fn with_entry(mut self, name: impl Into<String>) -> Self {
        self.0.entry.get_or_insert_with(|| name.into());
        self
    }
}

/// Renders as `crate `c`: file:line:column: entry `e`: message: reason`,
/// leaving out the parts that are unknown, on one line whatever the parts
/// contain.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let details = &self.0;
        let mut parts = Vec::new();
        if let Some(krate) = &details.krate {
            parts.push(format!("crate `{krate}`"));
        }
        if let Some(file) = &details.file {
            let mut place = file.display().to_string();
            if let Some(Position { line, column }) = details.position {
                place.push_str(&format!(":{line}:{column}"));
            }
            parts.push(place);
        }
        if let Some(entry) = &details.entry {
            parts.push(format!("entry `{entry}`"));
        }
        if !details.message.is_empty() {
            parts.push(details.message.clone());
        }
        if let Some(source) = &details.source {
            parts.push(source.to_string());
        }
        let text = parts.join(": ");
        let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
        if let Some(first) = lines.next() {
            f.write_str(first)?;
        }
        for line in lines {
            write!(f, "; {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// Adds context to a failed result on its way up.
pub trait Context<T> {
    /// Names the file the failure concerns.
    fn with_path(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> Context<T> for Result<T> {
    fn with_path(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|error| error.with_path(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters_from_one() {
        let text = "a = 1\nné = [\n";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        // Byte 9 is the space after `é`, a two-byte character.
        assert_eq!(
            Position::of_offset(text, 9),
            Position { line: 2, column: 3 }
        );
        assert_eq!(
            Position::of_offset(text, text.len()),
            Position { line: 3, column: 1 }
        );
    }

    #[test]
    fn display_puts_every_part_on_one_line() {
        let error = Error::new("invalid TOML\nexpected `]`")
            .at(Position { line: 3, column: 7 })
            .with_path("x/Cargo.toml")
            .with_crate("foo");
        assert_eq!(
            error.to_string(),
            "crate `foo`: x/Cargo.toml:3:7: invalid TOML; expected `]`"
        );
        let error = Error::new("absolute path")
            .with_entry("/etc/passwd")
            .with_path("a.tar.zst");
        assert_eq!(
            error.to_string(),
            "a.tar.zst: entry `/etc/passwd`: absolute path"
        );
    }

    #[test]
    fn io_errors_name_action_and_reason() {
        let source = io::Error::new(io::ErrorKind::NotFound, "gone");
        let error = Error::io("cannot read", source).with_path("a");
        assert_eq!(error.to_string(), "a: cannot read: gone");
    }

    #[test]
    fn innermost_context_wins() {
        let result: Result<()> = Err(Error::new("bad").with_path("inner").with_crate("a"));
        let error = result.with_path("outer").unwrap_err().with_crate("b");
        assert_eq!(error.to_string(), "crate `a`: inner: bad");
    }
}
