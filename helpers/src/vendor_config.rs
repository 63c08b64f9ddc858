//! Presenting vendored sources at one constant path.
//!
//! Cargo hashes the absolute path of a vendored crate into the crate's
//! fingerprint (not into its output names), so a unit compiled with the
//! sources under one path is stale under another. A vendor directory is a
//! store path that changes with every Cargo.lock change, while per-crate
//! artifacts must stay fresh across such changes. Every build therefore sees
//! its vendored sources below the same directory of its own build dir
//! (`/build/gantry-vendor` in the sandbox): one subdirectory per replacing
//! source, named after the `[source.gantry-vendored-<name>]` table, either a
//! symlink to the store directory or (for a piece) a farm of per-crate links.
//! Cargo does not canonicalise these paths, so symlinks are enough.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use crate::cargo_ids::VENDORED_PREFIX;
use crate::error::{Context, Error, Result};
use crate::paths;

/// The source a vendor directory without a config.toml replaces crates.io
/// with, named as crane names it.
const PLAIN_SOURCE: &str = "nix-sources";

/// The cargo configuration that makes cargo use the vendor directory
/// `vendor_dir`, relocated below `at` (see [`relocate`]). A directory made
/// by vendorCargoDeps says in its config.toml which sources it replaces; a
/// plain `cargo vendor` directory (or `/dev/null`, for a project without
/// dependencies) has none and replaces crates.io, as crane configures it.
pub fn vendor_config(vendor_dir: &Path, at: &Path) -> Result<String> {
    let path = vendor_dir.join("config.toml");
    if path.exists() {
        return relocate(&paths::read_text(&path)?, at).with_path(&path);
    }
    if fs::metadata(vendor_dir).is_err() {
        return Err(Error::new(
            "cargoVendorDir does not exist: give the output of vendorCargoDeps or a directory \
             made by `cargo vendor`",
        )
        .with_path(vendor_dir));
    }
    let directory = vendor_dir
        .to_str()
        .ok_or_else(|| Error::new("not valid UTF-8").with_path(vendor_dir))?;
    let plain = format!(
        "[source.crates-io]\nreplace-with = \"{PLAIN_SOURCE}\"\n\n\
         [source.{PLAIN_SOURCE}]\ndirectory = {}\n",
        Value::from(directory)
    );
    relocate(&plain, at)
}

/// Rewrites the vendor configuration `config` (the text of a vendor
/// directory's config.toml) so that every `directory` of a
/// `[source.<name>]` table points below `at`, and creates the links
/// `at/<dir> -> original directory`. `<dir>` is the table's name without
/// `gantry-vendored-`. `at` must not exist yet or be a directory of earlier
/// links, which are replaced.
pub fn relocate(config: &str, at: &Path) -> Result<String> {
    let mut document: DocumentMut = config
        .parse()
        .map_err(|error| Error::new(format!("invalid vendor configuration: {error}")))?;
    paths::create_dir_all(at)?;
    let Some(sources) = document.get_mut("source").and_then(Item::as_table_like_mut) else {
        return Ok(document.to_string());
    };
    for (name, table) in sources.iter_mut() {
        let Some(directory) = table
            .as_table_like_mut()
            .and_then(|table| table.get_mut("directory"))
        else {
            continue;
        };
        let Some(original) = directory.as_str().map(PathBuf::from) else {
            return Err(Error::new(format!(
                "`source.{name}.directory` is not a string in the vendor configuration"
            )));
        };
        let dir = name.strip_prefix(VENDORED_PREFIX).unwrap_or(&name);
        let link = at.join(dir);
        replace_link(&original, &link)?;
        let relocated = link
            .to_str()
            .ok_or_else(|| Error::new("the vendor location is not valid UTF-8").with_path(&link))?;
        *directory = Item::Value(Value::from(relocated));
    }
    Ok(document.to_string())
}

/// The directory of the vendored sources for the source `name` below `at`
/// (the inverse of `relocate`'s naming): `at/<name without prefix>`.
pub fn source_dir(at: &Path, name: &str) -> PathBuf {
    at.join(name.strip_prefix(VENDORED_PREFIX).unwrap_or(name))
}

/// Makes `link` a symlink to `target`, replacing an earlier symlink.
fn replace_link(target: &Path, link: &Path) -> Result<()> {
    if fs::symlink_metadata(link).is_ok_and(|metadata| metadata.is_symlink()) {
        paths::remove_file(link)?;
    }
    paths::symlink(target, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gantry-vendor-config-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn directories_move_below_the_constant_path_and_links_lead_back() {
        let dir = scratch("move");
        let store = dir.join("store-registry");
        fs::create_dir_all(store.join("itoa-1.0.0")).unwrap();
        let config = format!(
            "[source.crates-io]\nreplace-with = \"gantry-vendored-c19b7c6f923b\"\n\n\
             [source.gantry-vendored-c19b7c6f923b]\ndirectory = \"{}\"\n",
            store.display()
        );
        let at = dir.join("build/gantry-vendor");
        let relocated = relocate(&config, &at).unwrap();
        let expected = at.join("c19b7c6f923b");
        assert!(relocated.contains(&format!("directory = \"{}\"", expected.display())));
        assert!(relocated.contains("replace-with = \"gantry-vendored-c19b7c6f923b\""));
        assert!(expected.join("itoa-1.0.0").is_dir());
        assert_eq!(source_dir(&at, "gantry-vendored-c19b7c6f923b"), expected);
        // A second run (another hook invocation) replaces the links.
        relocate(&config, &at).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn plain_directories_replace_crates_io() {
        let dir = scratch("plain");
        let vendored = dir.join("vendor");
        fs::create_dir_all(vendored.join("itoa-1.0.0")).unwrap();
        let at = dir.join("build/gantry-vendor");
        let config = vendor_config(&vendored, &at).unwrap();
        let link = at.join("nix-sources");
        assert_eq!(
            config,
            format!(
                "[source.crates-io]\nreplace-with = \"nix-sources\"\n\n\
                 [source.nix-sources]\ndirectory = \"{}\"\n",
                link.display()
            )
        );
        assert!(link.join("itoa-1.0.0").is_dir());
        // /dev/null, crane's "no dependencies", is taken too.
        assert!(vendor_config(Path::new("/dev/null"), &at).is_ok());
        let error = vendor_config(&dir.join("missing"), &at).unwrap_err();
        assert!(
            error.to_string().contains("cargoVendorDir does not exist"),
            "{error}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tables_without_a_directory_stay_and_bad_ones_are_named() {
        let dir = scratch("bad");
        let unchanged = "[source.crates-io]\nreplace-with = \"x\"\n";
        assert_eq!(relocate(unchanged, &dir).unwrap(), unchanged);
        let error = relocate("[source.x]\ndirectory = 3\n", &dir).unwrap_err();
        assert!(error.to_string().contains("source.x.directory"), "{error}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
