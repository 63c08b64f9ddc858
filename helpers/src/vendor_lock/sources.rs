//! What vendoring a lock file takes, worked out from the lock file and the
//! registries alone: which crates to download from where, which git
//! checkouts to make, and the cargo configuration pointing at the result.
//! Nothing here touches the network or the file system, so every rule the
//! Nix implementation (`lib/vendorCargoDeps.nix`) follows can be checked
//! on its own.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::cargo_ids::{
    is_registry, percent_decode, registry_index, short, vendored_source, CrateId, CRATES_IO,
};
use crate::error::{Error, Position, Result};

/// A registry as the registries file describes it; what else Nix keeps
/// about it (`fetchurlExtraArgs`) has no meaning outside Nix and is
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    /// The download template, the `dl` of the registry's `config.json`.
    pub download_url: String,
}

/// The known registries, by the source string a lock file gives their
/// crates (`registry+URL` or `sparse+URL`).
pub type Registries = BTreeMap<String, Registry>;

/// Parses the registries file the Nix side writes from its
/// `crateRegistries`.
pub fn parse_registries(text: &str) -> Result<Registries> {
    serde_json::from_str(text).map_err(|error| {
        // serde_json counts lines and columns from 1, as editors do, but
        // renders them into its message; the position goes apart instead.
        let position = Position {
            line: error.line(),
            column: error.column(),
        };
        let message = error.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(message, _)| message);
        Error::new(format!(
            "invalid registries file (expected a JSON object of {{\"downloadUrl\": TEMPLATE}} \
             by source): {message}"
        ))
        .at(position)
    })
}

/// The part of a lock file (versions 2 to 4) that vendoring needs.
#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
}

/// A registry crate to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub id: CrateId,
    pub url: String,
    /// The sha256 of the `.crate` file, in lowercase hex, as the lock file
    /// records it.
    pub checksum: String,
    /// The directory of the crate's registry in the output.
    pub dir: String,
}

/// The ref a git source follows, as its lock file entry records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GitReference {
    Branch(String),
    Tag(String),
    Rev(String),
}

impl GitReference {
    /// The key naming this kind of ref in a cargo source (and in a lock
    /// file's query).
    pub fn key(&self) -> &'static str {
        match self {
            GitReference::Branch(_) => "branch",
            GitReference::Tag(_) => "tag",
            GitReference::Rev(_) => "rev",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            GitReference::Branch(value) | GitReference::Tag(value) | GitReference::Rev(value) => {
                value
            }
        }
    }
}

/// A lock file's git source: `git+URL?(branch|tag|rev)=VALUE#COMMIT`, the
/// query optional.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GitSource {
    pub url: String,
    /// The ref, percent-decoded (lock files version 4 encode it); `None`
    /// for the default branch and for queries cargo would not write.
    pub reference: Option<GitReference>,
    pub commit: String,
}

impl GitSource {
    /// Parses a lock file's git source, as `lib/vendorGitDeps.nix` does.
    pub fn parse(source: &str) -> Result<Self> {
        let unpinned = || {
            Error::new(format!(
                "comes from {source}, which pins no commit (`#<commit>`): regenerate \
                 Cargo.lock with a current cargo"
            ))
        };
        let rest = source
            .strip_prefix("git+")
            .ok_or_else(|| Error::new(format!("{source} is not a git source")))?;
        let (location, commit) = rest.split_once('#').ok_or_else(unpinned)?;
        if commit.is_empty() {
            return Err(unpinned());
        }
        if !is_commit_id(commit) {
            return Err(Error::new(format!(
                "comes from {source}, whose `#{commit}` is not a commit id (40 or 64 hex digits)"
            )));
        }
        let (url, query) = match location.split_once('?') {
            Some((url, query)) => (url, Some(query)),
            None => (location, None),
        };
        if url.is_empty() {
            return Err(Error::new(format!(
                "comes from {source}, which names no URL"
            )));
        }
        let reference = match query.and_then(|query| query.split_once('=')) {
            Some(("branch", value)) => Some(GitReference::Branch(percent_decode(value)?)),
            Some(("tag", value)) => Some(GitReference::Tag(percent_decode(value)?)),
            Some(("rev", value)) => Some(GitReference::Rev(percent_decode(value)?)),
            _ => None,
        };
        Ok(GitSource {
            url: url.to_string(),
            reference,
            commit: commit.to_string(),
        })
    }

    /// What identifies the checkout: sources differing only in the ref
    /// they followed to the same commit share it.
    pub fn checkout_key(&self) -> String {
        format!("{}#{}", self.url, self.commit)
    }
}

/// One git checkout to make, and the locked crates to vendor from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitCheckout {
    pub url: String,
    pub commit: String,
    /// The directory of the checkout's crates in the output.
    pub dir: String,
    /// Sorted, without repetitions.
    pub crates: Vec<CrateId>,
}

/// Everything vendoring a lock file does, each list sorted so that the
/// work, and so the output, depends on nothing but the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// By directory, then crate.
    pub downloads: Vec<Download>,
    /// By `URL#COMMIT`.
    pub checkouts: Vec<GitCheckout>,
    /// The registry sources the lock file uses.
    registries: BTreeSet<String>,
    /// The git sources the lock file uses, as written there.
    git_sources: BTreeMap<String, GitSource>,
}

/// Works out the plan for the lock file `text`. Packages without a source
/// (workspace members, path dependencies) need nothing; a package listed
/// twice is fetched once.
pub fn plan(text: &str, registries: &Registries) -> Result<Plan> {
    let lock: LockFile =
        toml::from_str(text).map_err(|error| Error::toml("lock file", text, &error))?;
    let mut downloads = BTreeMap::new();
    let mut checkouts: BTreeMap<String, GitCheckout> = BTreeMap::new();
    let mut used_registries = BTreeSet::new();
    let mut git_sources = BTreeMap::new();
    for package in lock.package {
        let Some(source) = &package.source else {
            continue;
        };
        let id = CrateId {
            name: package.name.clone(),
            version: package.version.clone(),
        };
        let in_context = |error: Error| error.with_crate(id.to_string());
        check_id(&id).map_err(in_context)?;
        if is_registry(source) {
            let download =
                registry_download(&id, source, &package, registries).map_err(in_context)?;
            match downloads.entry((download.dir.clone(), id.clone())) {
                Entry::Vacant(entry) => {
                    entry.insert(download);
                }
                Entry::Occupied(entry) if entry.get().checksum != download.checksum => {
                    return Err(in_context(Error::new(format!(
                        "listed twice for {source}, with different checksums"
                    ))));
                }
                Entry::Occupied(_) => {}
            }
            used_registries.insert(source.clone());
        } else if source.starts_with("git+") {
            let git = GitSource::parse(source).map_err(in_context)?;
            let key = git.checkout_key();
            let checkout = checkouts.entry(key).or_insert_with_key(|key| GitCheckout {
                url: git.url.clone(),
                commit: git.commit.clone(),
                dir: short(key),
                crates: Vec::new(),
            });
            checkout.crates.push(id);
            git_sources.insert(source.clone(), git);
        } else {
            return Err(in_context(Error::new(format!(
                "comes from {source}, a kind of source gantry cannot vendor (registry+, \
                 sparse+ and git+ sources are supported)"
            ))));
        }
    }
    let checkouts = checkouts
        .into_values()
        .map(|mut checkout| {
            checkout.crates.sort();
            checkout.crates.dedup();
            checkout
        })
        .collect();
    Ok(Plan {
        downloads: downloads.into_values().collect(),
        checkouts,
        registries: used_registries,
        git_sources,
    })
}

/// The download of the registry crate `id` from `source`.
fn registry_download(
    id: &CrateId,
    source: &str,
    package: &LockPackage,
    registries: &Registries,
) -> Result<Download> {
    let checksum = package.checksum.as_deref().ok_or_else(|| {
        Error::new(format!(
            "comes from {source} but has no checksum in the lock file; a registry crate \
             always has one: regenerate the lock file with `cargo generate-lockfile`"
        ))
    })?;
    if checksum.len() != 64 || !checksum.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(Error::new(format!(
            "has the checksum `{checksum}`, which is not a sha256 (64 hex digits)"
        )));
    }
    let registry = registries.get(source).ok_or_else(|| {
        Error::new(format!(
            "comes from the registry {}, which gantry does not know; add it with \
             `appendCrateRegistries` or vendorCargoDeps' `registries` attribute",
            registry_index(source)
        ))
    })?;
    let checksum = checksum.to_ascii_lowercase();
    Ok(Download {
        id: id.clone(),
        url: download_url(&registry.download_url, id, &checksum),
        checksum,
        dir: short(source),
    })
}

/// Rejects names and versions that could not be a crate's, which could
/// otherwise lead paths made from them out of the output.
fn check_id(id: &CrateId) -> Result<()> {
    let name_ok = !id.name.is_empty()
        && id
            .name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    let version_ok = id.version.starts_with(|c: char| c.is_ascii_digit())
        && id
            .version
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b".+-".contains(&byte));
    if name_ok && version_ok {
        Ok(())
    } else {
        Err(Error::new("is not a valid crate name and version"))
    }
}

/// The placeholders of a download template, as cargo knows them.
const MARKERS: [&str; 5] = [
    "{crate}",
    "{version}",
    "{prefix}",
    "{lowerprefix}",
    "{sha256-checksum}",
];

/// The URL of crate `id` from a registry's download `template`, as
/// `lib/urlForCargoPackage.nix` makes it: the placeholders are replaced.
/// The template is complete (`lib/registryFromDownloadUrl.nix` appends
/// cargo's `/{crate}/{version}/download` to a `dl` without placeholders).
pub fn download_url(template: &str, id: &CrateId, checksum: &str) -> String {
    let prefix = prefix(&id.name);
    let values = [
        id.name.as_str(),
        id.version.as_str(),
        prefix.as_str(),
        &prefix.to_lowercase(),
        checksum,
    ];
    // One pass from left to right, as Nix's replaceStrings: replaced text
    // is never searched again.
    let mut url = String::with_capacity(template.len());
    let mut rest = template;
    'scan: while let Some(c) = rest.chars().next() {
        for (marker, value) in MARKERS.iter().zip(values) {
            if let Some(after) = rest.strip_prefix(marker) {
                url.push_str(value);
                rest = after;
                continue 'scan;
            }
        }
        url.push(c);
        rest = &rest[c.len_utf8()..];
    }
    url
}

/// The directory of a crate in a registry index, which `{prefix}` stands
/// for: `1`, `2`, `3/a` or `ab/cd` by the length of the name.
fn prefix(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        length @ 0..=2 => length.to_string(),
        3 => format!("3/{}", chars[0]),
        _ => format!(
            "{}/{}",
            chars[..2].iter().collect::<String>(),
            chars[2..4].iter().collect::<String>()
        ),
    }
}

/// Whether `text` is a full git object id, SHA-1 or SHA-256. A lock file
/// records nothing shorter; checking also keeps it from reading as an
/// option to git.
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

impl Plan {
    /// The cargo configuration replacing every source of the lock file by
    /// its directory below `root`, the output's absolute path: the
    /// sections `lib/vendorCargoDeps.nix` writes, registries first (each
    /// followed by its directory), then git sources, then their
    /// directories, each group sorted.
    pub fn config(&self, root: &str) -> String {
        let root = root.trim_end_matches('/');
        let mut sections = registries_config(&self.registries, root);
        sections.extend(git_config(&self.git_sources, root));
        sections.join("\n")
    }
}

/// The `[source]` sections replacing each git source of `git_sources`
/// (lock source strings, parsed) by the directory of its checkout,
/// `<root>/<short(URL#COMMIT)>`: the sources first, then the directories,
/// each sorted. Sources following different refs to one commit share the
/// directory.
pub fn git_config(git_sources: &BTreeMap<String, GitSource>, root: &str) -> Vec<String> {
    let mut sections = Vec::new();
    let mut checkouts = BTreeSet::new();
    for (source, git) in git_sources {
        let mut section = format!(
            "[source.gantry-git-{}]\ngit = {}\n",
            short(source),
            quote(&git.url)
        );
        if let Some(reference) = &git.reference {
            section.push_str(&format!(
                "{} = {}\n",
                reference.key(),
                quote(reference.value())
            ));
        }
        let key = git.checkout_key();
        section.push_str(&format!(
            "replace-with = \"{}\"\n",
            vendored_source(&short(&key))
        ));
        sections.push(section);
        checkouts.insert(key);
    }
    for key in checkouts {
        sections.push(directory_section(root, &short(&key)));
    }
    sections
}

/// The `[source]` sections replacing each registry of `registries` (lock
/// source strings) by the directory `<root>/<short(source)>`, crates.io
/// always among them.
pub fn registries_config<'a>(
    registries: impl IntoIterator<Item = &'a String>,
    root: &str,
) -> Vec<String> {
    let mut sections = Vec::new();
    for source in registries {
        let dir = short(source);
        let replaced = if source == CRATES_IO {
            "[source.crates-io]\n".to_string()
        } else {
            format!(
                "[source.gantry-registry-{dir}]\nregistry = {}\n",
                quote(registry_index(source))
            )
        };
        sections.push(format!(
            "{replaced}replace-with = \"{}\"\n",
            vendored_source(&dir)
        ));
        sections.push(directory_section(root, &dir));
    }
    sections
}

/// The section of the directory source `gantry-vendored-<dir>`.
fn directory_section(root: &str, dir: &str) -> String {
    format!(
        "[source.{}]\ndirectory = {}\n",
        vendored_source(dir),
        quote(&format!("{root}/{dir}"))
    )
}

/// `text` as a TOML basic string.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";
    const CHECKSUM: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    fn id(name: &str, version: &str) -> CrateId {
        CrateId {
            name: name.to_string(),
            version: version.to_string(),
        }
    }

    fn registries() -> Registries {
        parse_registries(
            r#"{
              "registry+https://github.com/rust-lang/crates.io-index": {
                "downloadUrl": "https://static.crates.io/crates/{crate}/{crate}-{version}.crate",
                "fetchurlExtraArgs": { "curlOpts": "-v" }
              },
              "sparse+https://example.com/index/": {
                "downloadUrl": "https://example.com/api/v1/crates/{crate}/{version}/download",
                "fetchurlExtraArgs": {}
              }
            }"#,
        )
        .unwrap()
    }

    /// The error planning `lock` gives, as reported for a file named
    /// Cargo.lock.
    fn plan_error(lock: &str) -> String {
        plan(lock, &registries())
            .unwrap_err()
            .with_path("Cargo.lock")
            .to_string()
    }

    #[test]
    fn templates_replace_every_placeholder() {
        let url = download_url(
            "https://dl.example/{prefix}/{lowerprefix}/{crate}/{version}/{sha256-checksum}/{other}",
            &id("AbCdef", "1.0.0-rc.1+meta"),
            CHECKSUM,
        );
        assert_eq!(
            url,
            format!("https://dl.example/Ab/Cd/ab/cd/AbCdef/1.0.0-rc.1+meta/{CHECKSUM}/{{other}}")
        );
        // Repeated placeholders are all replaced.
        assert_eq!(
            download_url(
                "{crate}/{crate}-{version}.crate",
                &id("serde", "1.0.1"),
                CHECKSUM
            ),
            "serde/serde-1.0.1.crate"
        );
    }

    #[test]
    fn templates_without_placeholders_are_used_as_they_are() {
        // registryFromDownloadUrl completes a `dl` without placeholders; a
        // template that still has none names one file for every crate.
        assert_eq!(
            download_url(
                "https://example.com/api/v1/crates",
                &id("serde", "1.0.1"),
                CHECKSUM
            ),
            "https://example.com/api/v1/crates"
        );
        // An unknown placeholder is no placeholder.
        assert_eq!(
            download_url("https://x/{name}", &id("a", "0.1.0"), CHECKSUM),
            "https://x/{name}"
        );
    }

    #[test]
    fn prefixes_follow_the_index_layout() {
        let prefixes =
            |name: &str| download_url("{prefix} {lowerprefix}", &id(name, "1.0.0"), CHECKSUM);
        assert_eq!(prefixes("a"), "1 1");
        assert_eq!(prefixes("ab"), "2 2");
        assert_eq!(prefixes("Abc"), "3/A 3/a");
        assert_eq!(prefixes("abcd"), "ab/cd ab/cd");
        assert_eq!(prefixes("Serde_JSON"), "Se/rd se/rd");
    }

    #[test]
    fn git_sources_parse_with_and_without_a_ref() {
        let parse = |source: &str| GitSource::parse(source).unwrap();
        let source = parse(&format!("git+https://example.com/repo#{COMMIT}"));
        assert_eq!(
            source,
            GitSource {
                url: "https://example.com/repo".to_string(),
                reference: None,
                commit: COMMIT.to_string(),
            }
        );
        assert_eq!(
            source.checkout_key(),
            format!("https://example.com/repo#{COMMIT}")
        );
        let reference = |query: &str| {
            parse(&format!("git+https://example.com/repo?{query}#{COMMIT}")).reference
        };
        assert_eq!(
            reference("branch=main"),
            Some(GitReference::Branch("main".into()))
        );
        assert_eq!(
            reference("tag=v1.0"),
            Some(GitReference::Tag("v1.0".into()))
        );
        assert_eq!(
            reference("rev=abc123"),
            Some(GitReference::Rev("abc123".into()))
        );
        // Queries cargo does not write name no ref.
        assert_eq!(reference("other=x"), None);
        assert_eq!(reference("branch"), None);
        assert_eq!(reference(""), None);
        let source = parse(&format!(
            "git+ssh://git@example.com/repo.git?tag=v1#{COMMIT}"
        ));
        assert_eq!(source.url, "ssh://git@example.com/repo.git");
        assert_eq!(
            source.reference.as_ref().map(GitReference::key),
            Some("tag")
        );
    }

    #[test]
    fn git_refs_are_percent_decoded() {
        let reference = |query: &str| {
            GitSource::parse(&format!("git+https://example.com/repo?{query}#{COMMIT}"))
                .unwrap()
                .reference
                .unwrap()
        };
        assert_eq!(
            reference("branch=feature%2Fx"),
            GitReference::Branch("feature/x".into())
        );
        assert_eq!(
            reference("branch=a%2fb%40c%25d%C3%A9"),
            GitReference::Branch("a/b@c%dé".into())
        );
        // What is no escape stays as it is.
        assert_eq!(
            reference("rev=50%+%zz%4"),
            GitReference::Rev("50%+%zz%4".into())
        );
        let error = GitSource::parse(&format!("git+https://x?branch=%FF#{COMMIT}"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("does not decode to UTF-8"), "{error}");
    }

    #[test]
    fn git_sources_must_pin_a_commit() {
        for source in [
            "git+https://example.com/repo",
            "git+https://example.com/repo?branch=main",
            "git+https://example.com/repo#",
        ] {
            let error = GitSource::parse(source).unwrap_err().to_string();
            assert!(error.contains("pins no commit"), "{error}");
            assert!(error.contains(source), "{error}");
        }
        let error = GitSource::parse("git+https://example.com/repo#--upload-pack=x")
            .unwrap_err()
            .to_string();
        assert!(error.contains("is not a commit id"), "{error}");
        let error = GitSource::parse(&format!("git+?branch=x#{COMMIT}"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("names no URL"), "{error}");
    }

    /// A lock file with a crate of each kind, a workspace member, a crate
    /// listed twice and a checkout reached through two sources.
    fn lock() -> String {
        format!(
            r#"version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "tiny", "gitdep", "other"]

[[package]]
name = "gitdep"
version = "0.2.0"
source = "git+https://example.com/repo?branch=feature%2Fx#{COMMIT}"

[[package]]
name = "gitdep-macros"
version = "0.2.0"
source = "git+https://example.com/repo#{COMMIT}"

[[package]]
name = "other"
version = "1.0.0"
source = "git+https://example.com/other?tag=v1.0#89abcdef0123456789abcdef0123456789abcdef"

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "{CHECKSUM}"

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "{CHECKSUM}"

[[package]]
name = "tiny"
version = "0.3.0"
source = "sparse+https://example.com/index/"
checksum = "{}"
"#,
            CHECKSUM.to_uppercase()
        )
    }

    #[test]
    fn plans_list_each_download_and_checkout_once_in_order() {
        let planned = plan(&lock(), &registries()).unwrap();
        assert_eq!(
            planned.downloads,
            [
                Download {
                    id: id("tiny", "0.3.0"),
                    url: "https://example.com/api/v1/crates/tiny/0.3.0/download".into(),
                    checksum: CHECKSUM.into(),
                    dir: "68b9825a3c7e".into(),
                },
                Download {
                    id: id("serde", "1.0.200"),
                    url: "https://static.crates.io/crates/serde/serde-1.0.200.crate".into(),
                    checksum: CHECKSUM.into(),
                    dir: "c19b7c6f923b".into(),
                },
            ]
        );
        assert_eq!(
            planned.checkouts,
            [
                GitCheckout {
                    url: "https://example.com/other".into(),
                    commit: "89abcdef0123456789abcdef0123456789abcdef".into(),
                    dir: "71875f6e7c36".into(),
                    crates: vec![id("other", "1.0.0")],
                },
                GitCheckout {
                    url: "https://example.com/repo".into(),
                    commit: COMMIT.into(),
                    dir: "5f9342a8e11c".into(),
                    crates: vec![id("gitdep", "0.2.0"), id("gitdep-macros", "0.2.0")],
                },
            ]
        );
    }

    #[test]
    fn the_config_replaces_every_source() {
        let planned = plan(&lock(), &registries()).unwrap();
        assert_eq!(
            planned.config("/nix/store/abc-vendor/"),
            r#"[source.crates-io]
replace-with = "gantry-vendored-c19b7c6f923b"

[source.gantry-vendored-c19b7c6f923b]
directory = "/nix/store/abc-vendor/c19b7c6f923b"

[source.gantry-registry-68b9825a3c7e]
registry = "sparse+https://example.com/index/"
replace-with = "gantry-vendored-68b9825a3c7e"

[source.gantry-vendored-68b9825a3c7e]
directory = "/nix/store/abc-vendor/68b9825a3c7e"

[source.gantry-git-4df7ff6079a2]
git = "https://example.com/other"
tag = "v1.0"
replace-with = "gantry-vendored-71875f6e7c36"

[source.gantry-git-72749fd4fa03]
git = "https://example.com/repo"
replace-with = "gantry-vendored-5f9342a8e11c"

[source.gantry-git-a9adef77ae6d]
git = "https://example.com/repo"
branch = "feature/x"
replace-with = "gantry-vendored-5f9342a8e11c"

[source.gantry-vendored-71875f6e7c36]
directory = "/nix/store/abc-vendor/71875f6e7c36"

[source.gantry-vendored-5f9342a8e11c]
directory = "/nix/store/abc-vendor/5f9342a8e11c"
"#
        );
        // The text is TOML whatever the strings hold.
        assert_eq!(quote("a\"b\\c\nd\u{7f}é"), r#""a\"b\\c\nd\u007Fé""#);
        // Workspace members need nothing.
        let members = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n";
        let empty = plan(members, &Registries::new()).unwrap();
        assert!(empty.downloads.is_empty() && empty.checkouts.is_empty());
        assert_eq!(empty.config("/out"), "");
    }

    #[test]
    fn invalid_lock_files_are_errors_with_a_position() {
        let error = plan_error("version = 4\n\n[[package]]\nname = \"a\"\nversion = \n");
        assert!(
            error.starts_with("Cargo.lock:5:11: invalid lock file: "),
            "{error}"
        );
        let error = plan_error("version = 4\n\n[[package]]\nname = \"a\"\n");
        assert!(error.contains("missing field `version`"), "{error}");
        assert!(error.starts_with("Cargo.lock:3:1: "), "{error}");
    }

    #[test]
    fn registry_crates_need_a_valid_checksum() {
        let package = |checksum: &str| {
            format!(
                "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n\
                 source = \"registry+https://github.com/rust-lang/crates.io-index\"\n{checksum}"
            )
        };
        let error = plan_error(&package(""));
        assert!(
            error.starts_with("crate `serde@1.0.0`: Cargo.lock: "),
            "{error}"
        );
        assert!(error.contains("has no checksum"), "{error}");
        let error = plan_error(&package("checksum = \"abc\"\n"));
        assert!(
            error.starts_with("crate `serde@1.0.0`: Cargo.lock: "),
            "{error}"
        );
        assert!(error.contains("not a sha256"), "{error}");
    }

    #[test]
    fn unknown_registries_name_the_url_and_the_fix() {
        let error = plan_error(&format!(
            "[[package]]\nname = \"private\"\nversion = \"1.0.0\"\n\
             source = \"registry+https://git.example.com/index\"\nchecksum = \"{CHECKSUM}\"\n"
        ));
        assert!(error.starts_with("crate `private@1.0.0`: "), "{error}");
        assert!(
            error.contains("registry https://git.example.com/index, which gantry does not know"),
            "{error}"
        );
        assert!(error.contains("`appendCrateRegistries`"), "{error}");
        assert!(error.contains("`registries`"), "{error}");
    }

    #[test]
    fn other_sources_and_bad_entries_are_errors_naming_the_crate() {
        let error = plan_error(
            "[[package]]\nname = \"local\"\nversion = \"1.0.0\"\n\
             source = \"directory+/somewhere\"\n",
        );
        assert!(error.starts_with("crate `local@1.0.0`: "), "{error}");
        assert!(
            error.contains("a kind of source gantry cannot vendor"),
            "{error}"
        );
        let error = plan_error(
            "[[package]]\nname = \"g\"\nversion = \"1.0.0\"\n\
             source = \"git+https://example.com/g?branch=main\"\n",
        );
        assert!(error.starts_with("crate `g@1.0.0`: "), "{error}");
        assert!(error.contains("pins no commit"), "{error}");
        let error = plan_error(&format!(
            "[[package]]\nname = \"../escape\"\nversion = \"1.0.0\"\n\
             source = \"git+https://example.com/g#{COMMIT}\"\n"
        ));
        assert!(
            error.contains("not a valid crate name and version"),
            "{error}"
        );
        let twice = |checksum: &str| {
            format!(
                "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"{CRATES_IO}\"\n\
                 checksum = \"{CHECKSUM}\"\n\n\
                 [[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"{CRATES_IO}\"\n\
                 checksum = \"{checksum}\"\n"
            )
        };
        let error = plan_error(&twice(&"0".repeat(64)));
        assert!(error.contains("listed twice"), "{error}");
        assert_eq!(
            plan(&twice(CHECKSUM), &registries())
                .unwrap()
                .downloads
                .len(),
            1
        );
    }

    #[test]
    fn invalid_registries_files_are_errors_with_a_position() {
        let error = parse_registries("{\n  \"x\": {}\n}")
            .unwrap_err()
            .with_path("registries.json")
            .to_string();
        assert!(error.starts_with("registries.json:2:"), "{error}");
        assert!(error.contains("missing field `downloadUrl`"), "{error}");
        assert!(!error.contains(" at line "), "{error}");
    }
}
