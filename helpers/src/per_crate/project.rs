//! The synthetic project a piece is built from.
//!
//! Its manifest lists the piece's crate and every crate of its closure with
//! `=version`, `default-features = false` and exactly the features of the
//! project's units, as normal dependencies (target units) or build
//! dependencies (host units), so cargo's feature resolution gives each the
//! unit the project's own build gives (a git crate as a dependency on its
//! repository, following the ref its lock source names). Its Cargo.lock
//! holds the lock lines of the piece's crate and everything reachable from
//! it (platform-specific crates included, which resolution needs even when
//! nothing compiles them), and its vendored sources are exactly those
//! crates, linked below the constant vendor path (see `vendor_config`).
//!
//! A path package outside the workspace is copied to its place in the
//! final build (the project is then written at the place of the final
//! build's workspace, excluding it as that workspace does), with its files'
//! times kept: cargo's fingerprints of path packages hold their paths, and
//! a build script's the newest file time of its package.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{FileTimes, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use serde::Deserialize;

use super::pieces::CrateUnit;
use crate::cargo_ids::{is_git, registry_index, short, vendored_source, CrateId, CRATES_IO};
use crate::error::{Context, Error, Result};
use crate::paths;
use crate::vendor_config;
use crate::vendor_lock::{git_config, registries_config, GitSource};
use crate::write_toml;

/// Name of the synthetic project's own package; `collect` leaves its units
/// out of the piece.
pub const ROOT_PACKAGE: &str = "gantry-piece";

/// Name of the project's proc-macro member that depends on the host crates,
/// present when the piece holds check units and has host crates: `cargo
/// check` checks a workspace's own proc-macros, compiling their dependencies
/// in check mode for the host, which a build script's dependencies never
/// are. `collect` leaves its units out too.
pub const HOST_PACKAGE: &str = "gantry-piece-host";

/// The synthetic project's packages.
pub const PROJECT_PACKAGES: [&str; 2] = [ROOT_PACKAGE, HOST_PACKAGE];

/// What the Nix side knows of a piece, written by `buildDepsPerCrate`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PieceSpec {
    /// The piece's id in the plan.
    pub id: String,
    /// The piece's crate and those of its closure.
    pub crates: Vec<CrateUnit>,
    /// Cargo.lock entries, each with the store path of its sources.
    pub lock: Vec<LockEntry>,
    #[serde(default)]
    pub profile: Option<serde_json::Value>,
    #[serde(default)]
    pub cargo_config: Option<String>,
    /// Whether the piece's build also runs `cargo check` (the project then
    /// has the proc-macro member HOST_PACKAGE when there are host crates).
    #[serde(default)]
    pub check_units: bool,
}

impl PieceSpec {
    /// Reads the piece description `buildDepsPerCrate` wrote at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        serde_json::from_str(&paths::read_text(path)?)
            .map_err(|error| Error::new(format!("invalid piece description: {error}")))
            .with_path(path)
    }

    /// Whether the piece holds `krate`'s check unit: there is a check pass
    /// and it checks the crate (`CrateUnit::check`).
    fn checks(&self, krate: &CrateUnit) -> bool {
        self.check_units && krate.check
    }
}

#[derive(Debug, Deserialize)]
pub struct LockEntry {
    pub name: String,
    pub version: String,
    /// Empty for a path package.
    pub source: String,
    pub checksum: Option<String>,
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// The unpacked crate in the store (a path package's directory).
    pub path: PathBuf,
    /// A path package's place, relative to the build directory.
    #[serde(default)]
    pub dir: Option<String>,
}

/// Where a piece's project puts what is not in its own directory.
pub struct Places<'a> {
    /// The constant path the vendored sources are linked below.
    pub vendor_at: &'a Path,
    /// The build directory ($NIX_BUILD_TOP), which path packages' places
    /// are relative to.
    pub build_top: &'a Path,
}

/// Writes the piece's project into `dir` (Cargo.toml, Cargo.lock, lib.rs,
/// and .cargo/config.toml when the project had one), its vendored sources
/// below `places.vendor_at` and its path packages at their places. Returns
/// the cargo configuration that replaces the registries by those sources,
/// for $CARGO_HOME/config.toml.
pub fn write_project(spec: &PieceSpec, dir: &Path, places: &Places<'_>) -> Result<String> {
    let vendor_at = places.vendor_at;
    let in_dir = |name: &str| dir.join(name);
    let project = paths::canonicalize(dir)?;
    let manifests =
        manifests(spec, places, &project).map_err(|error| error.with_crate(spec.id.clone()))?;
    write(&in_dir("Cargo.toml"), &manifests.root)?;
    write(&in_dir("Cargo.lock"), &lock_file(spec)?)?;
    write(&in_dir("lib.rs"), "")?;
    // Cargo compiles build dependencies only for a package's build script; without host
    // crates there is none, and no script to compile, link and run in every piece.
    if has_host_crates(spec) {
        write(&in_dir("build.rs"), "fn main() {}\n")?;
    }
    if let Some(host) = &manifests.host {
        paths::create_dir_all(in_dir("host"))?;
        write(&in_dir("host/Cargo.toml"), host)?;
        write(&in_dir("host/lib.rs"), "")?;
    }
    if let Some(config) = &spec.cargo_config {
        paths::create_dir_all(in_dir(".cargo"))?;
        write(&in_dir(".cargo/config.toml"), config)?;
    }
    let mut registries: BTreeSet<String> = BTreeSet::from([CRATES_IO.to_string()]);
    let mut git_sources = BTreeMap::new();
    for entry in &spec.lock {
        if let Some(place) = &entry.dir {
            copy_package(&entry.path, &places.build_top.join(place))?;
            continue;
        }
        // A registry's crates are vendored by source, a git source's by checkout
        // (URL#COMMIT), as vendorCargoDeps names them.
        let dir = if is_git(&entry.source) {
            let git = parse_git(&entry.source, &entry.name, &entry.version)?;
            let dir = short(&git.checkout_key());
            git_sources.insert(entry.source.clone(), git);
            dir
        } else {
            registries.insert(entry.source.clone());
            short(&entry.source)
        };
        let source_dir = vendor_config::source_dir(vendor_at, &vendored_source(&dir));
        paths::create_dir_all(&source_dir)?;
        let link = source_dir.join(format!("{}-{}", entry.name, entry.version));
        paths::symlink(&entry.path, &link)?;
    }
    let root = vendor_at
        .to_str()
        .ok_or_else(|| Error::new("the vendor location is not valid UTF-8").with_path(vendor_at))?;
    let mut sections = registries_config(&registries, root);
    sections.extend(git_config(&git_sources, root));
    Ok(sections.join("\n"))
}

/// Copies the path package at `from` to `to` (which must not exist), files
/// owner-writable as stdenv unpacks a source, with their times kept.
fn copy_package(from: &Path, to: &Path) -> Result<()> {
    for entry in WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|error| paths::walk_error(from, error))?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .map_err(|_| Error::new("walked outside the package").with_path(entry.path()))?;
        let dest = to.join(relative);
        let metadata = paths::entry_metadata(&entry)?;
        if metadata.is_dir() {
            paths::create_dir_all(&dest)?;
        } else if metadata.is_symlink() {
            paths::symlink(paths::read_link(entry.path())?, &dest)?;
            continue;
        } else {
            paths::copy(entry.path(), &dest)?;
        }
        let mode = metadata.permissions().mode() | 0o200;
        std::fs::set_permissions(&dest, Permissions::from_mode(mode))
            .map_err(paths::error_at("cannot set the mode of", &dest))?;
        if metadata.is_dir() {
            // Its time changes with every entry copied into it; cargo reads files' times only.
            continue;
        }
        let modified = metadata
            .modified()
            .map_err(paths::error_at("cannot read the time of", entry.path()))?;
        std::fs::File::open(&dest)
            .and_then(|file| file.set_times(FileTimes::new().set_modified(modified)))
            .map_err(paths::error_at("cannot set the time of", &dest))?;
    }
    Ok(())
}

/// The git source `source` of the crate `name version`, parsed.
fn parse_git(source: &str, name: &str, version: &str) -> Result<GitSource> {
    GitSource::parse(source).map_err(|error| error.with_crate(format!("{name} {version}")))
}

/// What a piece's cargo runs compile: the `cargo build` command line
/// after `cargo` (subcommand and arguments), and the `cargo check` one when
/// the piece holds check units.
#[derive(Debug, PartialEq, Eq)]
pub struct Selection {
    pub build: Vec<String>,
    pub check: Option<Vec<String>>,
}

/// The selection for the piece whose own crates are `own`. When they are
/// all target units, cargo is asked for their libraries by name
/// (`-p NAME@VERSION --lib`): it then compiles none of the project's own
/// packages, whose empty library (once built, once checked) is a third of
/// a trivial piece's cargo time; features still come from the project's
/// manifest, which cargo resolves whole. A host unit exists only as what
/// the project's build script depends on, and a proc-macro named on the
/// command line is another unit than the one its dependents use
/// (`CrateUnit::proc_macro`), so a piece holding either builds the project,
/// whose packages depend on them as the final build's do. Only the own
/// crates the project's check pass checks (see `CrateUnit::check`) are
/// checked: by name, or for the host through the proc-macro member
/// HOST_PACKAGE; with none, the piece runs no `cargo check` at all.
pub fn selection(spec: &PieceSpec, own: &[CrateId]) -> Selection {
    let own_units: Vec<&CrateUnit> = spec
        .crates
        .iter()
        .filter(|krate| {
            own.iter()
                .any(|id| id.name == krate.name && id.version == krate.version)
        })
        .collect();
    // --lib: a package's binaries are no unit a dependency needs (and may not even build
    // with the features the piece gives it).
    let mut build = vec!["build".to_string()];
    if !own_units.iter().any(|krate| krate.host || krate.proc_macro) {
        build.extend(by_name(own_units.iter().copied()));
        build.push("--lib".to_string());
    }
    let checked: Vec<&CrateUnit> = own_units
        .into_iter()
        .filter(|krate| spec.checks(krate))
        .collect();
    let check = (!checked.is_empty()).then(|| {
        let mut check = vec!["check".to_string()];
        if checked.iter().any(|krate| krate.host) {
            check.extend(["-p".to_string(), HOST_PACKAGE.to_string()]);
        }
        check.extend(by_name(
            checked.iter().copied().filter(|krate| krate.target),
        ));
        check.push("--lib".to_string());
        check
    });
    Selection { build, check }
}

/// `-p NAME@VERSION` for each package of `units`, once (a crate can be
/// there in both roles).
fn by_name<'a>(units: impl Iterator<Item = &'a CrateUnit>) -> Vec<String> {
    let names: BTreeSet<String> = units
        .map(|krate| format!("{}@{}", krate.name, krate.version))
        .collect();
    names
        .into_iter()
        .flat_map(|name| ["-p".to_string(), name])
        .collect()
}

/// The crates the project's proc-macro member HOST_PACKAGE depends on: the
/// host crates its check pass checks. The member exists when there is one.
fn host_checked(spec: &PieceSpec) -> impl Iterator<Item = &CrateUnit> {
    spec.crates
        .iter()
        .filter(|krate| krate.host && spec.checks(krate))
}

/// Whether the piece lists a crate in the host role: its project then has a
/// build script, whose build dependencies those crates are.
fn has_host_crates(spec: &PieceSpec) -> bool {
    spec.crates.iter().any(|krate| krate.host)
}

/// The project's manifests, as TOML.
struct Manifests {
    root: String,
    /// HOST_PACKAGE's, when the project has it.
    host: Option<String>,
}

/// The manifests: the root package's, and HOST_PACKAGE's when the piece
/// holds check units and has host crates. `project` is the project's
/// directory, which excludes the path packages below it.
fn manifests(spec: &PieceSpec, places: &Places<'_>, project: &Path) -> Result<Manifests> {
    // Path packages' places, by name and version.
    let path_places: BTreeMap<(&str, &str), PathBuf> = spec
        .lock
        .iter()
        .filter_map(|entry| {
            let place = places.build_top.join(entry.dir.as_ref()?);
            Some(((entry.name.as_str(), entry.version.as_str()), place))
        })
        .collect();
    let mut dependencies = serde_json::Map::new();
    let mut build_dependencies = serde_json::Map::new();
    // One name per package: cargo refuses a package listed under two names, even as a
    // normal and a build dependency (its host and target units).
    let packages: BTreeSet<(&str, &str, &str)> = spec
        .crates
        .iter()
        .map(|krate| {
            (
                krate.name.as_str(),
                krate.version.as_str(),
                krate.source.as_str(),
            )
        })
        .collect();
    let alias = |krate: &CrateUnit| {
        let key = (
            krate.name.as_str(),
            krate.version.as_str(),
            krate.source.as_str(),
        );
        format!(
            "c{}",
            packages
                .iter()
                .position(|package| *package == key)
                .unwrap_or_default()
        )
    };
    for krate in &spec.crates {
        let mut dependency = serde_json::json!({
            "package": krate.name,
            "version": format!("={}", krate.version),
            "default-features": false,
            "features": krate.features,
        });
        if krate.source.is_empty() {
            let place = path_places
                .get(&(krate.name.as_str(), krate.version.as_str()))
                .ok_or_else(|| {
                    Error::new(format!(
                        "the piece lists the path package {} {} without its place",
                        krate.name, krate.version
                    ))
                })?;
            dependency["path"] = serde_json::Value::from(place.to_string_lossy());
        } else if is_git(&krate.source) {
            // The repository and the ref the lock followed; the lock pins the commit.
            let git = parse_git(&krate.source, &krate.name, &krate.version)?;
            dependency["git"] = serde_json::Value::from(git.url);
            if let Some(reference) = &git.reference {
                dependency[reference.key()] = serde_json::Value::from(reference.value());
            }
        } else if krate.source != CRATES_IO {
            dependency["registry-index"] = serde_json::Value::from(registry_index(&krate.source));
        }
        let alias = alias(krate);
        for (table, used) in [
            (&mut dependencies, krate.target),
            (&mut build_dependencies, krate.host),
        ] {
            if used && table.insert(alias.clone(), dependency.clone()).is_some() {
                return Err(Error::new(format!(
                    "the piece lists {} {} twice in one role: the plan is inconsistent",
                    krate.name, krate.version
                )));
            }
        }
    }
    let package = |name: &str, build: serde_json::Value| {
        serde_json::json!({
            "name": name,
            "version": "0.0.0",
            "edition": "2021",
            "publish": false,
            "build": build,
        })
    };
    let has_host = has_host_crates(spec);
    let host_member = host_checked(spec).next().is_some();
    let host = if host_member {
        let checked: BTreeSet<String> = host_checked(spec).map(&alias).collect();
        let mut dependencies = build_dependencies.clone();
        dependencies.retain(|alias, _| checked.contains(alias));
        let document = serde_json::json!({
            "package": package(HOST_PACKAGE, serde_json::Value::from(false)),
            "lib": { "path": "lib.rs", "proc-macro": true },
            "dependencies": dependencies,
        });
        Some(render(&document)?)
    } else {
        None
    };
    let build = if has_host {
        serde_json::Value::from("build.rs")
    } else {
        serde_json::Value::from(false)
    };
    let members: Vec<&str> = if host_member { vec!["host"] } else { vec![] };
    // Path packages below the project would be its members: excluded, as the final build's
    // workspace excludes them.
    let exclude: Vec<String> = path_places
        .values()
        .filter_map(|place| place.strip_prefix(project).ok())
        .map(|relative| relative.to_string_lossy().into_owned())
        .collect();
    let mut document = serde_json::json!({
        "package": package(ROOT_PACKAGE, build),
        "lib": { "path": "lib.rs" },
        "workspace": { "members": members, "exclude": exclude },
        "dependencies": dependencies,
        "build-dependencies": build_dependencies,
    });
    if let Some(profile) = &spec.profile {
        document["profile"] = profile.clone();
    }
    Ok(Manifests {
        root: render(&document)?,
        host,
    })
}

fn render(document: &serde_json::Value) -> Result<String> {
    write_toml::render(&write_toml::json_to_toml(document)?)
}

/// The lock file: the entries given, sorted as cargo sorts them.
fn lock_file(spec: &PieceSpec) -> Result<String> {
    let mut entries: BTreeMap<(&str, &str, &str), &LockEntry> = BTreeMap::new();
    for entry in &spec.lock {
        entries.insert((&entry.name, &entry.version, &entry.source), entry);
    }
    let packages: Vec<serde_json::Value> = entries
        .values()
        .map(|entry| {
            let mut package = serde_json::json!({
                "name": entry.name,
                "version": entry.version,
            });
            if !entry.source.is_empty() {
                package["source"] = serde_json::Value::from(entry.source.as_str());
            }
            if let Some(checksum) = &entry.checksum {
                package["checksum"] = serde_json::Value::from(checksum.as_str());
            }
            if !entry.dependencies.is_empty() {
                package["dependencies"] = serde_json::Value::from(entry.dependencies.clone());
            }
            package
        })
        .collect();
    render(&serde_json::json!({ "version": 3, "package": packages }))
}

fn write(path: &Path, text: &str) -> Result<()> {
    paths::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn spec() -> PieceSpec {
        serde_json::from_value(serde_json::json!({
            "id": "serde-1.0.0-abc",
            "crates": [
                {"name": "serde", "version": "1.0.0", "source": CRATES_IO, "features": ["derive", "std"], "host": false, "target": true},
                {"name": "syn", "version": "2.0.0", "source": CRATES_IO, "features": ["full"], "host": true, "target": false},
                {"name": "syn", "version": "2.0.0", "source": CRATES_IO, "features": [], "host": false, "target": true},
            ],
            "lock": [
                {"name": "syn", "version": "2.0.0", "source": CRATES_IO, "checksum": "aa", "path": "/nix/store/x-syn"},
                {"name": "serde", "version": "1.0.0", "source": CRATES_IO, "checksum": "bb", "dependencies": ["syn"], "path": "/nix/store/x-serde"},
            ],
            "profile": {"release": {"opt-level": 2}},
        }))
        .unwrap()
    }

    fn places<'a>(build_top: &'a Path, vendor_at: &'a Path) -> Places<'a> {
        Places {
            vendor_at,
            build_top,
        }
    }

    /// A scratch directory for a test (emptied) and the project directory in it.
    fn scratch(test: &str) -> (PathBuf, PathBuf) {
        let root = std::env::temp_dir().join(format!("gantry-piece-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let dir = root.join("project");
        fs::create_dir_all(&dir).unwrap();
        (root, dir)
    }

    fn read_toml(path: &Path) -> toml::Table {
        fs::read_to_string(path).unwrap().parse().unwrap()
    }

    #[test]
    fn a_piece_of_target_crates_names_them_and_one_with_a_host_crate_builds_the_project() {
        let mut spec = spec();
        let id = |text: &str| text.parse::<CrateId>().unwrap();
        let named = selection(&spec, &[id("serde@1.0.0")]);
        assert_eq!(named.build, ["build", "-p", "serde@1.0.0", "--lib"]);
        // Without a check pass, nothing is checked.
        assert_eq!(named.check, None);
        // syn 2.0.0 is in the spec in both roles: its piece needs the project.
        assert_eq!(selection(&spec, &[id("syn@2.0.0")]).build, ["build"]);

        spec.check_units = true;
        let checked = selection(&spec, &[id("serde@1.0.0")]).check;
        assert_eq!(checked.unwrap(), ["check", "-p", "serde@1.0.0", "--lib"]);
        // syn's host unit is checked through the proc-macro member, its target unit by name.
        let both = selection(&spec, &[id("syn@2.0.0")]).check;
        assert_eq!(
            both.unwrap(),
            ["check", "-p", HOST_PACKAGE, "-p", "syn@2.0.0", "--lib"]
        );
        // What the project's check pass never checks (here: syn as a host crate, as when the
        // workspace has no proc-macro of its own) is not checked in its piece.
        for krate in &mut spec.crates {
            krate.check = !krate.host;
        }
        let target_only = selection(&spec, &[id("syn@2.0.0")]).check;
        assert_eq!(target_only.unwrap(), ["check", "-p", "syn@2.0.0", "--lib"]);
        spec.crates
            .retain(|krate| krate.host || krate.name == "serde");
        assert_eq!(selection(&spec, &[id("syn@2.0.0")]).check, None);
    }

    #[test]
    fn a_piece_of_a_proc_macro_builds_the_project() {
        let mut spec = spec();
        for krate in &mut spec.crates {
            krate.proc_macro = krate.name == "serde";
        }
        let serde = "serde@1.0.0".parse::<CrateId>().unwrap();
        assert_eq!(selection(&spec, &[serde]).build, ["build"]);
    }

    #[test]
    fn the_project_pins_every_crate_with_its_features_and_role() {
        let (root, dir) = scratch("project");
        let config = write_project(&spec(), &dir, &places(&root, &root.join("vendor"))).unwrap();

        let manifest = read_toml(&dir.join("Cargo.toml"));
        let serde = &manifest["dependencies"]["c0"];
        assert_eq!(serde["package"].as_str(), Some("serde"));
        assert_eq!(serde["version"].as_str(), Some("=1.0.0"));
        assert_eq!(serde["default-features"].as_bool(), Some(false));
        // syn's host and target units: one name in both tables, each with its features.
        let syn = |table: &str| &manifest[table]["c1"];
        assert_eq!(syn("build-dependencies")["package"].as_str(), Some("syn"));
        assert_eq!(
            syn("build-dependencies")["features"][0].as_str(),
            Some("full")
        );
        assert_eq!(syn("dependencies")["package"].as_str(), Some("syn"));
        assert_eq!(
            syn("dependencies")["features"].as_array().map(Vec::len),
            Some(0)
        );
        assert_eq!(
            manifest["profile"]["release"]["opt-level"].as_integer(),
            Some(2)
        );
        // A host crate: the build script whose build dependency it is.
        assert_eq!(manifest["package"]["build"].as_str(), Some("build.rs"));
        assert!(dir.join("build.rs").is_file());
        // No check units: no proc-macro member.
        assert!(!dir.join("host").exists());

        let lock = fs::read_to_string(dir.join("Cargo.lock")).unwrap();
        assert!(lock.find("name = \"serde\"").unwrap() < lock.find("name = \"syn\"").unwrap());
        let link = root.join("vendor").join(short(CRATES_IO)).join("syn-2.0.0");
        assert_eq!(
            fs::read_link(link).unwrap(),
            PathBuf::from("/nix/store/x-syn")
        );
        assert!(config.contains("[source.crates-io]"), "{config}");
        assert!(config.contains(&format!(
            "directory = \"{}/vendor/{}\"",
            root.display(),
            short(CRATES_IO)
        )));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn without_host_crates_the_project_has_no_build_script() {
        let (root, dir) = scratch("target");
        let mut spec = spec();
        spec.crates.retain(|krate| !krate.host);
        write_project(&spec, &dir, &places(&root, &root.join("vendor"))).unwrap();

        let manifest = read_toml(&dir.join("Cargo.toml"));
        assert_eq!(manifest["package"]["build"].as_bool(), Some(false));
        assert!(!dir.join("build.rs").exists());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn with_check_units_a_proc_macro_member_depends_on_the_host_crates() {
        let (root, dir) = scratch("check");
        let mut spec = spec();
        spec.check_units = true;
        write_project(&spec, &dir, &places(&root, &root.join("vendor"))).unwrap();

        let manifest = read_toml(&dir.join("Cargo.toml"));
        assert_eq!(manifest["workspace"]["members"][0].as_str(), Some("host"));
        let host = read_toml(&dir.join("host/Cargo.toml"));
        assert_eq!(host["package"]["name"].as_str(), Some(HOST_PACKAGE));
        assert_eq!(host["lib"]["proc-macro"].as_bool(), Some(true));
        // The host crates, as the root's build dependencies list them.
        assert_eq!(host["dependencies"], manifest["build-dependencies"]);
        assert!(dir.join("host/lib.rs").is_file());

        // Only the host crates the check pass checks: a build script's dependency (cc) is
        // built, never checked.
        fs::remove_dir_all(&dir).unwrap();
        fs::create_dir_all(&dir).unwrap();
        let mut cc = spec.crates[1].clone();
        (cc.name, cc.check) = ("cc".to_string(), false);
        spec.crates.push(cc);
        spec.lock.push(
            serde_json::from_value(serde_json::json!(
                {"name": "cc", "version": "2.0.0", "source": CRATES_IO, "checksum": "cc", "path": "/nix/store/x-cc"}
            ))
            .unwrap(),
        );
        write_project(&spec, &dir, &places(&root, &root.join("vendor-cc"))).unwrap();
        let manifest = read_toml(&dir.join("Cargo.toml"));
        let host = read_toml(&dir.join("host/Cargo.toml"));
        let packages = |table: &toml::Value| -> Vec<String> {
            let table = table.as_table().unwrap();
            table
                .values()
                .map(|dep| dep["package"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(packages(&manifest["build-dependencies"]), ["syn", "cc"]);
        assert_eq!(packages(&host["dependencies"]), ["syn"]);
        // With no host crate checked there is no member.
        fs::remove_dir_all(&dir).unwrap();
        fs::create_dir_all(&dir).unwrap();
        for krate in &mut spec.crates {
            krate.check = false;
        }
        write_project(&spec, &dir, &places(&root, &root.join("vendor-none"))).unwrap();
        assert!(!dir.join("host").exists());
        spec.crates.pop();
        spec.lock.pop();
        for krate in &mut spec.crates {
            krate.check = true;
        }

        // Without host crates there is nothing to check for the host.
        fs::remove_dir_all(&dir).unwrap();
        fs::create_dir_all(&dir).unwrap();
        spec.crates.retain(|krate| !krate.host);
        write_project(&spec, &dir, &places(&root, &root.join("vendor-2"))).unwrap();
        assert!(!dir.join("host").exists());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn git_crates_are_dependencies_on_their_repository_and_vendored_by_checkout() {
        let (root, dir) = scratch("git");
        let source =
            "git+file:///r/shapes.git?branch=feature%2Fx#abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930";
        let spec: PieceSpec = serde_json::from_value(serde_json::json!({
            "id": "core-1.1.0-abc",
            "crates": [
                {"name": "core", "version": "1.1.0", "source": source, "features": [], "host": false, "target": true},
            ],
            "lock": [
                {"name": "core", "version": "1.1.0", "source": source, "path": "/nix/store/x-checkout/core-1.1.0"},
            ],
        }))
        .unwrap();
        let config = write_project(&spec, &dir, &places(&root, &root.join("vendor"))).unwrap();

        let manifest = read_toml(&dir.join("Cargo.toml"));
        let core = &manifest["dependencies"]["c0"];
        assert_eq!(core["git"].as_str(), Some("file:///r/shapes.git"));
        // Percent-decoded, as cargo wants it in a manifest.
        assert_eq!(core["branch"].as_str(), Some("feature/x"));
        assert!(core.get("registry-index").is_none());
        let lock = read_toml(&dir.join("Cargo.lock"));
        assert_eq!(lock["package"][0]["source"].as_str(), Some(source));

        let checkout = short("file:///r/shapes.git#abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930");
        let link = root.join("vendor").join(&checkout).join("core-1.1.0");
        assert_eq!(
            fs::read_link(link).unwrap(),
            PathBuf::from("/nix/store/x-checkout/core-1.1.0")
        );
        assert!(
            config.contains(&format!("[source.gantry-git-{}]", short(source))),
            "{config}"
        );
        assert!(config.contains("branch = \"feature/x\""), "{config}");
        assert!(
            config.contains(&format!(
                "replace-with = \"{}\"",
                vendored_source(&checkout)
            )),
            "{config}"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn path_packages_are_copied_to_their_places_and_excluded() {
        let (root, dir) = scratch("path");
        // The package as the store holds it: read-only, time 1.
        let store = root.join("store-greet");
        fs::create_dir_all(store.join("src")).unwrap();
        fs::write(store.join("Cargo.toml"), "[package]\nname = \"greet\"\n").unwrap();
        fs::write(store.join("src/lib.rs"), "").unwrap();
        let one = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        for file in ["Cargo.toml", "src/lib.rs"] {
            let file = fs::File::open(store.join(file)).unwrap();
            file.set_times(FileTimes::new().set_modified(one)).unwrap();
            file.set_permissions(Permissions::from_mode(0o444)).unwrap();
        }
        let spec: PieceSpec = serde_json::from_value(serde_json::json!({
            "id": "greet-0.1.0-abc",
            "crates": [
                {"name": "greet", "version": "0.1.0", "source": "", "features": ["loud"], "host": false, "target": true},
            ],
            "lock": [
                {"name": "greet", "version": "0.1.0", "source": "", "dependencies": ["itoa"], "path": store, "dir": "project/libs/greet"},
                {"name": "itoa", "version": "1.0.0", "source": CRATES_IO, "checksum": "aa", "path": "/nix/store/x-itoa"},
            ],
        }))
        .unwrap();
        write_project(&spec, &dir, &places(&root, &root.join("vendor"))).unwrap();

        let copy = dir.join("libs/greet/src/lib.rs");
        let metadata = fs::metadata(&copy).unwrap();
        assert_eq!(metadata.modified().unwrap(), one);
        assert_ne!(metadata.permissions().mode() & 0o200, 0, "owner-writable");
        let manifest = read_toml(&dir.join("Cargo.toml"));
        let greet = &manifest["dependencies"]["c0"];
        let place = fs::canonicalize(&dir).unwrap().join("libs/greet");
        assert_eq!(greet["path"].as_str(), Some(place.to_str().unwrap()));
        assert_eq!(greet["features"][0].as_str(), Some("loud"));
        assert_eq!(
            manifest["workspace"]["exclude"][0].as_str(),
            Some("libs/greet")
        );
        // The lock lists the path package without a source, as cargo writes it.
        let lock = read_toml(&dir.join("Cargo.lock"));
        assert!(lock["package"][0].get("source").is_none());
        assert_eq!(lock["package"][0]["name"].as_str(), Some("greet"));
        fs::remove_dir_all(&root).unwrap();
    }
}
