//! Giving a lock file's path packages their normalised version.
//!
//! The lock file is rewritten line by line rather than parsed and written
//! again, so that everything else in it (comments, formatting, the lock
//! format version) stays as cargo wrote it: `cargo build --locked` accepts
//! only the exact text cargo would write itself.

use std::collections::BTreeSet;

use toml::Table;

use super::versions::NORMAL_VERSION;

/// A run of lines that moves as one when entries are reordered: a section
/// of the lock file, or one entry of a multi-line dependency list.
struct Item {
    lines: Vec<String>,
    /// The package the item is about, if any.
    name: Option<String>,
    /// Whether its version became [`NORMAL_VERSION`].
    renamed: bool,
}

/// `text` with every source-less package (a path package) whose
/// `(name, version)` is in `renamed` set to [`NORMAL_VERSION`], both in
/// its own `[[package]]` section and where other packages' dependency
/// lists name it with its version (`"name 1.2.3"`, written so only when
/// the lock holds several packages of that name).
pub(super) fn normalise(text: &str, renamed: &BTreeSet<(String, String)>) -> String {
    if renamed.is_empty() {
        return text.to_string();
    }
    let mut sections = split_sections(text);
    for section in &mut sections {
        let Some(package) = package_section(&section.lines) else {
            continue;
        };
        let name = package.get("name").and_then(toml::Value::as_str);
        let version = package.get("version").and_then(toml::Value::as_str);
        section.name = name.map(str::to_string);
        if let (Some(name), Some(version)) = (name, version) {
            section.renamed = !package.contains_key("source")
                && renamed.contains(&(name.to_string(), version.to_string()));
        }
        if section.renamed {
            set_version(&mut section.lines);
        }
        rewrite_dependencies(&mut section.lines, renamed);
    }
    // Blank lines separate sections wherever they are: they stay in place
    // while the sections move.
    let separators: Vec<Vec<String>> = sections
        .iter_mut()
        .map(|section| {
            let content = section
                .lines
                .iter()
                .rposition(|line| !line.trim().is_empty())
                .map_or(0, |last| last + 1);
            section.lines.split_off(content)
        })
        .collect();
    sort_renamed_first(&mut sections);
    sections
        .into_iter()
        .zip(separators)
        .flat_map(|(section, separator)| section.lines.into_iter().chain(separator))
        .collect()
}

/// The lines of `text` (with their line endings) grouped into sections,
/// each starting at a `[header]` line; the lines before the first header
/// form a section of their own.
fn split_sections(text: &str) -> Vec<Item> {
    let mut sections: Vec<Item> = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') || sections.is_empty() {
            sections.push(Item {
                lines: Vec::new(),
                name: None,
                renamed: false,
            });
        }
        if let Some(section) = sections.last_mut() {
            section.lines.push(line.to_string());
        }
    }
    sections
}

/// The keys of a `[[package]]` section, or `None` for other sections and
/// for sections that do not parse (left as they are).
fn package_section(lines: &[String]) -> Option<Table> {
    let (header, body) = lines.split_first()?;
    if header.trim() != "[[package]]" {
        return None;
    }
    toml::from_str(&body.concat()).ok()
}

/// The key of a `key = value` line.
fn key(line: &str) -> Option<&str> {
    line.split_once('=').map(|(key, _)| key.trim())
}

/// The line ending `line` ends with.
fn ending(line: &str) -> &'static str {
    if line.ends_with("\r\n") {
        "\r\n"
    } else if line.ends_with('\n') {
        "\n"
    } else {
        ""
    }
}

/// Sets the `version` line of a package section.
fn set_version(lines: &mut [String]) {
    if let Some(line) = lines.iter_mut().find(|line| key(line) == Some("version")) {
        let (key, _) = line.split_once('=').unwrap_or_default();
        *line = format!("{key}= \"{NORMAL_VERSION}\"{}", ending(line));
    }
}

/// Rewrites the renamed package ids in the `dependencies` list of a package
/// section, keeping the list in cargo's order.
fn rewrite_dependencies(lines: &mut Vec<String>, renamed: &BTreeSet<(String, String)>) {
    let Some(start) = lines
        .iter()
        .position(|line| key(line) == Some("dependencies"))
    else {
        return;
    };
    let Some(length) = lines[start..].iter().position(|line| line.contains(']')) else {
        return;
    };
    let end = start + length;
    let mut entries = Vec::new();
    for (index, line) in lines[start..=end].iter_mut().enumerate() {
        let (rewritten, changed) = rewrite_ids(line, renamed);
        *line = rewritten;
        // Cargo writes one entry per line between the opening and the
        // closing line; only those lines can be reordered.
        if index > 0 && start + index < end {
            entries.push(Item {
                name: first_id(line).map(|id| id.split(' ').next().unwrap_or(id).to_string()),
                lines: vec![line.clone()],
                renamed: changed,
            });
        }
    }
    if entries.iter().any(|entry| entry.renamed) {
        sort_renamed_first(&mut entries);
        let reordered = entries.into_iter().flat_map(|entry| entry.lines);
        lines.splice(start + 1..end, reordered);
    }
}

/// The first quoted string of `line`.
fn first_id(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once('"')?;
    rest.split_once('"').map(|(id, _)| id)
}

/// `line` with each quoted package id `"name version"` of a renamed package
/// given the normal version, and whether anything changed. Ids naming a
/// source (`"name version (source)"`) are never path packages.
fn rewrite_ids(line: &str, renamed: &BTreeSet<(String, String)>) -> (String, bool) {
    let mut rewritten = String::with_capacity(line.len());
    let mut changed = false;
    let mut rest = line;
    while let Some((before, after)) = rest.split_once('"') {
        let Some((id, after_id)) = after.split_once('"') else {
            break;
        };
        rewritten.push_str(before);
        rewritten.push('"');
        let mut parts = id.split(' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(name), Some(version), None)
                if renamed.contains(&(name.to_string(), version.to_string())) =>
            {
                rewritten.push_str(&format!("{name} {NORMAL_VERSION}"));
                changed = true;
            }
            _ => rewritten.push_str(id),
        }
        rewritten.push('"');
        rest = after_id;
    }
    rewritten.push_str(rest);
    (rewritten, changed)
}

/// Moves each renamed item to just before the first other item about a
/// package of the same name. Cargo orders packages of one name by version,
/// and 0.0.0 comes before any other (pre-releases of 0.0.0 aside), so this
/// restores cargo's order without having to compare versions.
fn sort_renamed_first(items: &mut Vec<Item>) {
    for index in 0..items.len() {
        if !items[index].renamed {
            continue;
        }
        let first = items[..index]
            .iter()
            .position(|item| item.name.is_some() && item.name == items[index].name);
        if let Some(first) = first {
            let item = items.remove(index);
            items.insert(first, item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
        pairs
            .iter()
            .map(|(name, version)| (name.to_string(), version.to_string()))
            .collect()
    }

    /// What cargo 1.95 wrote for a workspace member `dup` 2.0.0 next to a
    /// path package `dup` 1.0.0 outside it.
    const BEFORE: &str = "# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 4

[[package]]
name = \"a\"
version = \"0.1.0\"
dependencies = [
 \"dup 1.0.0\",
 \"dup 2.0.0\",
 \"serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\",
]

[[package]]
name = \"dup\"
version = \"1.0.0\"

[[package]]
name = \"dup\"
version = \"2.0.0\"
";

    /// What cargo wrote once `dup` 2.0.0 had become 0.0.0.
    const AFTER: &str = "# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 4

[[package]]
name = \"a\"
version = \"0.1.0\"
dependencies = [
 \"dup 0.0.0\",
 \"dup 1.0.0\",
 \"serde 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\",
]

[[package]]
name = \"dup\"
version = \"0.0.0\"

[[package]]
name = \"dup\"
version = \"1.0.0\"
";

    #[test]
    fn renamed_packages_move_to_cargo_order() {
        assert_eq!(normalise(BEFORE, &renamed(&[("dup", "2.0.0")])), AFTER);
    }

    #[test]
    fn packages_with_a_source_are_left_alone() {
        let text = "[[package]]\nname = \"dup\"\nversion = \"2.0.0\"\nsource = \"registry+x\"\n";
        assert_eq!(normalise(text, &renamed(&[("dup", "2.0.0")])), text);
    }

    #[test]
    fn line_endings_and_inline_lists_survive() {
        let text = "[[package]]\r\nname = \"a\"\r\nversion = \"1.0.0\"\r\ndependencies = [\"b 2.0.0\", \"b 3.0.0\"]\r\n";
        let expected = "[[package]]\r\nname = \"a\"\r\nversion = \"0.0.0\"\r\ndependencies = [\"b 2.0.0\", \"b 0.0.0\"]\r\n";
        let pairs = renamed(&[("a", "1.0.0"), ("b", "3.0.0")]);
        assert_eq!(normalise(text, &pairs), expected);
    }

    #[test]
    fn unparsable_sections_are_kept() {
        let text = "[[package]]\nname = \"a\nversion = \"1.0.0\"\n";
        assert_eq!(normalise(text, &renamed(&[("a", "1.0.0")])), text);
    }
}
