//! The plan: which dependency units go into which piece, read from cargo's
//! unit graph of the final project.
//!
//! A piece is one library unit of a registry or git crate (a lib or proc-macro
//! compiled in `build` mode) together with the build-script units of the
//! same package it depends on. Its identity is what cargo hashes into the
//! unit: package, features, resolved profile (which tells host units, built
//! with `build-override`, from target ones). The plan is derived from the
//! project's own unit graph, so features are exactly the unified ones cargo
//! uses for the project: a piece built from a synthetic project asking for
//! these features gives the same unit as the project's own build.
//!
//! Path packages outside the workspace are pieces too, built from their
//! own sources at the place the final build sees them: cargo checks a path
//! package by its files' mtimes, which Nix sets alike for every store path,
//! so the piece's derivation must change with the package's contents (the
//! Nix side gives it them, see `Workspace`).
//!
//! Left to the final build, never put in a piece: workspace members, and
//! every unit depending on one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::lock::Lock;
use crate::cargo_ids::{short, PackageId};
use crate::error::{Error, Result};

/// The plan format this gantry writes and reads.
pub const FORMAT: u32 = 1;

/// `cargo build --unit-graph` output, the parts the plan needs.
#[derive(Debug, Deserialize)]
pub struct UnitGraph {
    pub version: u32,
    pub units: Vec<Unit>,
}

#[derive(Debug, Deserialize)]
pub struct Unit {
    pub pkg_id: String,
    pub target: UnitTarget,
    pub profile: serde_json::Value,
    pub mode: String,
    pub features: Vec<String>,
    pub dependencies: Vec<UnitDependency>,
}

#[derive(Debug, Deserialize)]
pub struct UnitTarget {
    pub kind: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct UnitDependency {
    pub index: usize,
}

/// The plan, as written to plan.json for the Nix side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub format: u32,
    /// What the Nix side computed of the Cargo.lock's dependencies when
    /// it asked for the plan: a committed plan is stale when it differs.
    pub lock_hash: String,
    /// The root manifest's `[profile]` table, which every piece's project
    /// repeats so its units get the profile the project's own build gives.
    pub profile: Option<serde_json::Value>,
    /// The project's `.cargo/config.toml`, repeated likewise (rustflags,
    /// linker settings).
    pub cargo_config: Option<String>,
    /// By piece id.
    pub pieces: BTreeMap<String, Piece>,
    /// Where the workspace and the path packages outside it are: a piece
    /// with a path package is built at the place of the final build's
    /// workspace, and a committed plan is checked against the workspace the
    /// Nix side reads manifests from. None in a plan by an older gantry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<Workspace>,
}

/// The workspace's place and the path packages outside it, from `cargo
/// metadata` of the project, with directories relative to the build
/// directory (`$NIX_BUILD_TOP`, where the plan is made as the final build
/// is): its first component is the source's directory, the rest the place
/// in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// The workspace root.
    pub dir: String,
    /// Path packages that are no workspace member, by name: their
    /// directories. A name two of them share, or a package outside the
    /// build directory, is left out (built in the final step).
    pub outside: BTreeMap<String, String>,
}

/// `cargo metadata --format-version 1` output, the parts the plan needs.
#[derive(Deserialize)]
struct Metadata {
    packages: Vec<MetadataPackage>,
    workspace_members: Vec<String>,
    workspace_root: String,
}

#[derive(Deserialize)]
struct MetadataPackage {
    name: String,
    id: String,
    source: Option<String>,
    manifest_path: String,
}

impl Workspace {
    /// Reads `cargo metadata` output made in the build directory `build_top`.
    pub fn from_metadata(text: &str, build_top: &Path) -> Result<Self> {
        let metadata: Metadata = serde_json::from_str(text)
            .map_err(|error| Error::new(format!("invalid cargo metadata output: {error}")))?;
        let relative = |path: &Path| -> Option<String> {
            path.strip_prefix(build_top)
                .ok()
                .and_then(Path::to_str)
                .map(str::to_string)
        };
        // A workspace outside the build directory (not a Nix build): no path package is a
        // piece, as none could be placed as the final build has it.
        let Some(dir) = relative(Path::new(&metadata.workspace_root)) else {
            return Ok(Workspace::default());
        };
        let mut outside: BTreeMap<String, Option<String>> = BTreeMap::new();
        for package in metadata.packages.iter().filter(|package| {
            package.source.is_none() && !metadata.workspace_members.contains(&package.id)
        }) {
            let place = Path::new(&package.manifest_path)
                .parent()
                .and_then(relative);
            outside
                .entry(package.name.clone())
                .and_modify(|known| *known = None)
                .or_insert(place);
        }
        Ok(Workspace {
            dir,
            outside: outside
                .into_iter()
                .filter_map(|(name, place)| Some((name, place?)))
                .collect(),
        })
    }
}

/// A crate as a piece compiles it: which one, with which features, in
/// which role. What the plan gives per piece, and what a piece's project
/// lists per crate of its closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrateUnit {
    pub name: String,
    pub version: String,
    pub source: String,
    /// Exactly the features cargo unified for this unit.
    pub features: Vec<String>,
    /// Reached from a build script or proc-macro: a build dependency of
    /// the piece's project.
    pub host: bool,
    /// Reached from the project's own targets without passing a build
    /// script or proc-macro: a normal dependency.
    pub target: bool,
    /// The project's `cargo check` pass checks the crate in one of those
    /// roles (a library's metadata unit): its piece holds that unit too.
    /// Proc-macros and what only build scripts or proc-macros use are
    /// built, never checked, unless the workspace has a proc-macro of its
    /// own. A plan made without the check pass's unit graph (older
    /// gantry) has none: every crate is taken as checked.
    #[serde(default = "checked_by_default")]
    pub check: bool,
    /// The crate's library is a proc-macro. Cargo compiles a proc-macro
    /// named on its command line with the profile of the crates it is
    /// asked for (e.g. `opt-level = 3`), and one that is a dependency with
    /// the host profile (`build-override`): another unit. Its piece builds
    /// it as a dependency, as its dependents and the final build do. A
    /// plan made by an older gantry says nothing: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub proc_macro: bool,
}

fn checked_by_default() -> bool {
    true
}

/// One piece: a library unit and its package's build-script units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Piece {
    #[serde(flatten)]
    pub unit: CrateUnit,
    /// Leaf crates built in this piece too (see `merge_private_leaves`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<CrateUnit>,
    /// The pieces its units depend on directly.
    pub deps: Vec<String>,
    /// Every piece below it, direct or not: what its build starts from.
    pub closure: Vec<String>,
    /// The lock packages resolving its project needs (`name version
    /// source`), reachable in Cargo.lock from its package: its vendored
    /// sources and the lines of its project's Cargo.lock.
    pub lock: Vec<String>,
}

/// Inputs besides the unit graphs.
pub struct PlanInputs<'a> {
    pub lock_text: &'a str,
    pub lock_hash: String,
    pub profile: Option<serde_json::Value>,
    pub cargo_config: Option<String>,
    /// Whether leaf pieces with a single dependent piece are built in it.
    pub merge_private_leaves: bool,
    /// The unit graphs of the project's `cargo check` pass (none without
    /// one): which crates the pieces check.
    pub check_graphs: &'a [UnitGraph],
    /// The path packages that can be pieces.
    pub workspace: Workspace,
}

/// Makes the plan from the unit graphs of the commands the dependencies
/// are built for (`cargo build`, `cargo test --no-run`): the union of their
/// pieces.
pub fn plan(graphs: &[UnitGraph], inputs: PlanInputs<'_>) -> Result<Plan> {
    let lock = Lock::parse(inputs.lock_text)?;
    let outside: BTreeSet<String> = inputs.workspace.outside.keys().cloned().collect();
    let mut checked = HashSet::new();
    for graph in inputs.check_graphs {
        validate(graph)?;
        checked.extend(checked_crates(graph));
    }
    let mut pieces = BTreeMap::new();
    for graph in graphs {
        validate(graph)?;
        GraphPlanner::new(graph, &lock, &outside).add_pieces(&mut pieces, &checked)?;
    }
    if inputs.merge_private_leaves {
        merge_private_leaves(&mut pieces);
    }
    fill_closures(&mut pieces);
    Ok(Plan {
        format: FORMAT,
        lock_hash: inputs.lock_hash,
        profile: inputs.profile,
        cargo_config: inputs.cargo_config,
        pieces,
        workspace: Some(inputs.workspace),
    })
}

/// Refuses a unit graph this gantry cannot read: another format version,
/// or a dependency on a unit that does not exist.
fn validate(graph: &UnitGraph) -> Result<()> {
    if graph.version != 1 {
        return Err(Error::new(format!(
            "unit graph version {} is not supported (this gantry reads version 1)",
            graph.version
        )));
    }
    for unit in &graph.units {
        if let Some(dependency) = unit
            .dependencies
            .iter()
            .find(|d| d.index >= graph.units.len())
        {
            return Err(Error::new(format!(
                "unit graph: a unit of {} depends on unit {}, which does not exist",
                unit.pkg_id, dependency.index
            )));
        }
    }
    Ok(())
}

/// Whether the units below unit `unit` are compiled for the host.
fn makes_host_deps(unit: &Unit) -> bool {
    is_proc_macro(unit) || unit.target.kind.iter().any(|kind| kind == "custom-build")
}

fn is_proc_macro(unit: &Unit) -> bool {
    unit.target.kind.iter().any(|kind| kind == "proc-macro")
}

/// How every unit of `graph` is reached, as (host, target): units below a
/// build script or proc-macro are host units, the others target units.
/// Roots (the units nothing depends on) start as target.
fn roles(graph: &UnitGraph) -> Vec<(bool, bool)> {
    let mut roles = vec![(false, false); graph.units.len()];
    let mut depended: Vec<bool> = vec![false; graph.units.len()];
    for unit in &graph.units {
        for dependency in &unit.dependencies {
            depended[dependency.index] = true;
        }
    }
    let mut stack: Vec<(usize, bool)> = (0..graph.units.len())
        .filter(|&index| !depended[index])
        .map(|index| (index, false))
        .collect();
    while let Some((index, host)) = stack.pop() {
        let role = &mut roles[index];
        let seen = if host { role.0 } else { role.1 };
        if seen {
            continue;
        }
        if host {
            role.0 = true;
        } else {
            role.1 = true;
        }
        let below_host = host || makes_host_deps(&graph.units[index]);
        for dependency in &graph.units[index].dependencies {
            stack.push((dependency.index, below_host));
        }
    }
    roles
}

/// The packages a check pass's unit graph checks (mode `check`), each with
/// the role it is checked in: (package id, host).
fn checked_crates(graph: &UnitGraph) -> impl Iterator<Item = (String, bool)> + '_ {
    graph
        .units
        .iter()
        .zip(roles(graph))
        .filter(|(unit, _)| unit.mode == "check")
        .flat_map(|(unit, (host, target))| {
            [(host, true), (target, false)]
                .into_iter()
                .filter(|(reached, _)| *reached)
                .map(|(_, host)| (unit.pkg_id.clone(), host))
        })
}

/// A library unit's piece as one graph gives it: its id and the pieces
/// its units depend on directly.
#[derive(Clone)]
struct Planned {
    id: String,
    deps: Vec<String>,
}

/// Works out the pieces of one unit graph.
struct GraphPlanner<'a> {
    graph: &'a UnitGraph,
    lock: &'a Lock,
    /// The names of the path packages outside the workspace.
    outside: &'a BTreeSet<String>,
    packages: Vec<PackageId>,
    /// Per unit: reached as (host, target).
    roles: Vec<(bool, bool)>,
    /// The piece of each library unit that can make one, by unit index;
    /// `None` once known not to.
    planned: HashMap<usize, Option<Planned>>,
    /// The lock closure of each package, `None` when not all registry.
    lock_closures: HashMap<PackageId, Option<Vec<String>>>,
}

impl<'a> GraphPlanner<'a> {
    /// A planner of `graph`, which [`validate`] accepted.
    fn new(graph: &'a UnitGraph, lock: &'a Lock, outside: &'a BTreeSet<String>) -> Self {
        let packages = graph
            .units
            .iter()
            .map(|unit| PackageId::parse(&unit.pkg_id))
            .collect();
        GraphPlanner {
            graph,
            lock,
            outside,
            packages,
            roles: roles(graph),
            planned: HashMap::new(),
            lock_closures: HashMap::new(),
        }
    }

    fn is_library(&self, index: usize) -> bool {
        let unit = &self.graph.units[index];
        unit.mode == "build"
            && !unit.target.kind.iter().any(|kind| {
                matches!(
                    kind.as_str(),
                    "custom-build" | "bin" | "test" | "bench" | "example"
                )
            })
    }

    /// The units of the library unit `index`'s piece: itself and the units
    /// of its own package reachable from it (build script, its run).
    fn members(&self, index: usize) -> Vec<usize> {
        let package = &self.packages[index];
        let mut members = vec![index];
        let mut next = 0;
        while next < members.len() {
            for dependency in &self.graph.units[members[next]].dependencies {
                let below = dependency.index;
                if self.packages[below] == *package
                    && !self.is_library(below)
                    && !members.contains(&below)
                {
                    members.push(below);
                }
            }
            next += 1;
        }
        members
    }

    /// The piece of library unit `index`, if it can be one: a registry or
    /// git package, or a path package outside the workspace, whose
    /// dependencies are all pieces.
    fn planned(&mut self, index: usize) -> Result<Option<Planned>> {
        if let Some(known) = self.planned.get(&index) {
            return Ok(known.clone());
        }
        // Settled before recursing: the graph has no cycles through
        // libraries of registry or git packages, and a cycle must not loop here.
        self.planned.insert(index, None);
        let package = &self.packages[index];
        let outside = package.local()
            && package
                .name
                .as_ref()
                .is_some_and(|name| self.outside.contains(name));
        let vendorable = package.from_registry() || package.from_git() || outside;
        let planned = if vendorable && self.lock_closure(index)?.is_some() {
            self.deps_of(index)?.map(|deps| Planned {
                id: self.identify(index, &deps),
                deps: deps.into_iter().collect(),
            })
        } else {
            None
        };
        self.planned.insert(index, planned.clone());
        Ok(planned)
    }

    /// The lock closure of unit `index`'s package (see `Lock::closure`).
    fn lock_closure(&mut self, index: usize) -> Result<Option<Vec<String>>> {
        let package = &self.packages[index];
        if let Some(known) = self.lock_closures.get(package) {
            return Ok(known.clone());
        }
        let (Some(name), Some(version)) = (&package.name, &package.version) else {
            return Ok(None);
        };
        let closure = self
            .lock
            .closure(name, version, &package.source, self.outside)?;
        self.lock_closures.insert(package.clone(), closure.clone());
        Ok(closure)
    }

    /// The pieces the units of `index`'s piece depend on, or `None` when one
    /// of those units depends on something that cannot be a piece.
    fn deps_of(&mut self, index: usize) -> Result<Option<BTreeSet<String>>> {
        let package = self.packages[index].clone();
        let mut deps = BTreeSet::new();
        for member in self.members(index) {
            let below: Vec<usize> = self.graph.units[member]
                .dependencies
                .iter()
                .map(|dependency| dependency.index)
                .filter(|&below| self.packages[below] != package)
                .collect();
            for below in below {
                let owner = if self.is_library(below) {
                    Some(below)
                } else {
                    // A build-script run of another package (its `links`
                    // metadata): part of the piece of a library of that
                    // package depending on it.
                    self.library_owning(below)
                };
                match owner {
                    Some(owner) => match self.planned(owner)? {
                        Some(planned) => {
                            deps.insert(planned.id);
                        }
                        None => return Ok(None),
                    },
                    None => return Ok(None),
                }
            }
        }
        Ok(Some(deps))
    }

    /// A library unit whose piece holds the non-library unit `index`.
    fn library_owning(&self, index: usize) -> Option<usize> {
        (0..self.graph.units.len()).find(|&candidate| {
            self.is_library(candidate)
                && self.packages[candidate] == self.packages[index]
                && self.members(candidate).contains(&index)
        })
    }

    /// The id of library unit `index`: name, version and a hash of what
    /// makes the unit (package, features, profile, role, and the pieces it
    /// depends on, whose metadata cargo hashes into the unit's: the unit
    /// graphs of `cargo build` and `cargo test` can give one crate the same
    /// features over dependencies with different ones, two units).
    fn identify(&self, index: usize, deps: &BTreeSet<String>) -> String {
        let unit = &self.graph.units[index];
        let package = &self.packages[index];
        let (host, target) = self.roles[index];
        let key = serde_json::json!([unit.pkg_id, unit.features, unit.profile, host, target, deps]);
        let digest = short(&key.to_string());
        format!(
            "{}-{}-{digest}",
            package.name.as_deref().unwrap_or_default(),
            package.version.as_deref().unwrap_or_default()
        )
    }

    /// Adds this graph's pieces to `pieces`; `checked` is what the check
    /// pass checks (see [`checked_crates`]).
    fn add_pieces(
        mut self,
        pieces: &mut BTreeMap<String, Piece>,
        checked: &HashSet<(String, bool)>,
    ) -> Result<()> {
        let libraries: Vec<usize> = (0..self.graph.units.len())
            .filter(|&index| self.is_library(index))
            .collect();
        for index in libraries {
            let Some(Planned { id, deps }) = self.planned(index)? else {
                continue;
            };
            let lock = self.lock_closure(index)?.unwrap_or_default();
            let package = &self.packages[index];
            let (host, target) = self.roles[index];
            let pkg_id = &self.graph.units[index].pkg_id;
            let check = [(host, true), (target, false)]
                .into_iter()
                .any(|(reached, role)| reached && checked.contains(&(pkg_id.clone(), role)));
            let name = package.name.clone().unwrap_or_default();
            let version = package.version.clone().unwrap_or_default();
            // A git source with its commit: what the piece's project depends on; none for a
            // path package.
            let source = self
                .lock
                .locked_source(&name, &version, &package.source)?
                .to_string();
            let piece = Piece {
                unit: CrateUnit {
                    name,
                    version,
                    source,
                    features: self.graph.units[index].features.clone(),
                    host,
                    target,
                    check,
                    proc_macro: is_proc_macro(&self.graph.units[index]),
                },
                merged: Vec::new(),
                deps,
                closure: Vec::new(),
                lock,
            };
            if let Some(known) = pieces.get(&id) {
                if *known != piece {
                    return Err(Error::new(format!(
                        "the unit graphs disagree about piece {id}"
                    )));
                }
            }
            pieces.insert(id, piece);
        }
        Ok(())
    }
}

/// Moves every leaf piece (one depending on no other piece) that exactly
/// one other piece depends on into that piece: a derivation fewer, and as
/// precise, since a change to the leaf rebuilds its only dependent anyway.
/// Its siblings merged into the same piece are rebuilt with it, the price of
/// the saved derivations; the rule is one level deep, so the price stays a
/// few leaf crates. (A leaf that only workspace members use keeps its own.)
fn merge_private_leaves(pieces: &mut BTreeMap<String, Piece>) {
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, piece) in pieces.iter() {
        for dep in &piece.deps {
            dependents.entry(dep).or_default().push(id);
        }
    }
    let merges: Vec<(String, String)> = pieces
        .iter()
        .filter(|(_, piece)| piece.deps.is_empty())
        .filter_map(
            |(id, _)| match dependents.get(id.as_str()).map(Vec::as_slice) {
                Some([holder]) => Some((id.clone(), (*holder).to_string())),
                _ => None,
            },
        )
        .collect();
    for (leaf, holder) in merges {
        let Some(leaf_piece) = pieces.remove(&leaf) else {
            continue;
        };
        if let Some(holder) = pieces.get_mut(&holder) {
            holder.deps.retain(|dep| *dep != leaf);
            holder.merged.push(leaf_piece.unit);
            holder
                .merged
                .sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
            let lock: BTreeSet<String> = holder.lock.drain(..).chain(leaf_piece.lock).collect();
            holder.lock = lock.into_iter().collect();
        }
    }
}

/// Sets every piece's closure: the pieces below it, direct or not, sorted.
fn fill_closures(pieces: &mut BTreeMap<String, Piece>) {
    let closures: BTreeMap<String, Vec<String>> = pieces
        .keys()
        .map(|id| {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&str> = vec![id];
            while let Some(next) = stack.pop() {
                for dep in pieces
                    .get(next)
                    .map(|piece| &piece.deps[..])
                    .unwrap_or_default()
                {
                    if seen.insert(dep.clone()) {
                        stack.push(dep);
                    }
                }
            }
            (id.clone(), seen.into_iter().collect())
        })
        .collect();
    for (id, closure) in closures {
        if let Some(piece) = pieces.get_mut(&id) {
            piece.closure = closure;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cargo_ids::CRATES_IO;

    fn unit(
        pkg: &str,
        kind: &str,
        mode: &str,
        features: &[&str],
        opt: &str,
        deps: &[usize],
    ) -> serde_json::Value {
        serde_json::json!({
            "pkg_id": if pkg.contains('+') { pkg.to_string() } else { format!("{CRATES_IO}#{pkg}") },
            "target": { "kind": [kind], "crate_types": [kind], "name": "x", "src_path": "/x" },
            "profile": { "name": "release", "opt_level": opt },
            "platform": null,
            "mode": mode,
            "features": features,
            "dependencies": deps.iter().map(|d| serde_json::json!({"index": d})).collect::<Vec<_>>(),
        })
    }

    const LOCK: &str = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "serde_derive", "local"]

[[package]]
name = "local"
version = "0.1.0"
dependencies = ["itoa"]

[[package]]
name = "itoa"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"
dependencies = ["serde_derive"]

[[package]]
name = "serde_derive"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"
dependencies = ["syn"]

[[package]]
name = "syn"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"
dependencies = ["windows-sys"]

[[package]]
name = "windows-sys"
version = "0.59.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"
"#;

    fn graph() -> UnitGraph {
        serde_json::from_value(serde_json::json!({
            "version": 1,
            "roots": [0],
            "units": [
                unit("path+file:///build/app#0.1.0", "bin", "build", &[], "3", &[1, 6]),
                unit("serde@1.0.0", "lib", "build", &["derive", "std"], "3", &[2, 5]),
                unit("serde@1.0.0", "custom-build", "run-custom-build", &["derive", "std"], "3", &[3]),
                unit("serde@1.0.0", "custom-build", "build", &["derive", "std"], "0", &[]),
                unit("syn@2.0.0", "lib", "build", &["full"], "0", &[]),
                unit("serde_derive@1.0.0", "proc-macro", "build", &[], "0", &[4]),
                unit("path+file:///build/app/local#local@0.1.0", "lib", "build", &[], "3", &[7]),
                unit("itoa@1.0.0", "lib", "build", &[], "3", &[]),
            ],
        }))
        .unwrap()
    }

    fn inputs(merge_private_leaves: bool) -> PlanInputs<'static> {
        PlanInputs {
            lock_text: LOCK,
            lock_hash: "h".to_string(),
            profile: None,
            cargo_config: None,
            merge_private_leaves,
            check_graphs: &[],
            workspace: Workspace::default(),
        }
    }

    fn make() -> Plan {
        plan(&[graph()], inputs(false)).unwrap()
    }

    fn by_name<'a>(plan: &'a Plan, name: &str) -> Vec<(&'a String, &'a Piece)> {
        plan.pieces
            .iter()
            .filter(|(_, piece)| piece.unit.name == name)
            .collect()
    }

    #[test]
    fn libraries_of_registry_crates_become_pieces_with_their_roles() {
        let plan = make();
        let names: BTreeSet<&str> = plan.pieces.values().map(|p| p.unit.name.as_str()).collect();
        // The path dependency `local` stays out, but itoa below it is a piece.
        assert_eq!(
            names,
            BTreeSet::from(["itoa", "serde", "serde_derive", "syn"])
        );
        let (_, serde) = by_name(&plan, "serde")[0];
        assert_eq!(serde.unit.features, ["derive", "std"]);
        assert!(serde.unit.target && !serde.unit.host);
        let (derive_id, derive) = by_name(&plan, "serde_derive")[0];
        assert!(
            derive.unit.target && !derive.unit.host,
            "reached from serde, a target lib"
        );
        assert!(derive.unit.proc_macro && !serde.unit.proc_macro);
        let (syn_id, syn) = by_name(&plan, "syn")[0];
        assert!(
            syn.unit.host && !syn.unit.target,
            "below a proc-macro: host only"
        );
        assert_eq!(serde.deps, std::slice::from_ref(derive_id));
        assert_eq!(serde.closure, [derive_id.clone(), syn_id.clone()]);
        // The lock closure follows Cargo.lock, target-specific crates included.
        assert_eq!(
            syn.lock,
            [
                format!("syn 2.0.0 {CRATES_IO}"),
                format!("windows-sys 0.59.0 {CRATES_IO}")
            ]
        );
        assert_eq!(plan.lock_hash, "h");
    }

    /// `cargo check`'s unit graph of the project `graph` is of: its own
    /// code and the target libraries checked; build scripts, proc-macros
    /// and what they use built. With `proc_macro_member`, the workspace has
    /// a proc-macro of its own (using syn), checked with its dependencies.
    fn check_graph(proc_macro_member: bool) -> UnitGraph {
        let mut units = vec![
            unit(
                "path+file:///build/app#0.1.0",
                "bin",
                "check",
                &[],
                "3",
                &[1, 6],
            ),
            unit(
                "serde@1.0.0",
                "lib",
                "check",
                &["derive", "std"],
                "3",
                &[2, 5],
            ),
            unit(
                "serde@1.0.0",
                "custom-build",
                "run-custom-build",
                &["derive", "std"],
                "3",
                &[3],
            ),
            unit(
                "serde@1.0.0",
                "custom-build",
                "build",
                &["derive", "std"],
                "0",
                &[],
            ),
            unit("syn@2.0.0", "lib", "build", &["full"], "0", &[]),
            unit("serde_derive@1.0.0", "proc-macro", "build", &[], "0", &[4]),
            unit(
                "path+file:///build/app/local#local@0.1.0",
                "lib",
                "check",
                &[],
                "3",
                &[7],
            ),
            unit("itoa@1.0.0", "lib", "check", &[], "3", &[]),
        ];
        if proc_macro_member {
            units.push(unit(
                "path+file:///build/app/macros#0.1.0",
                "proc-macro",
                "check",
                &[],
                "0",
                &[9],
            ));
            units.push(unit("syn@2.0.0", "lib", "check", &["full"], "0", &[]));
        }
        serde_json::from_value(serde_json::json!({ "version": 1, "roots": [0], "units": units }))
            .unwrap()
    }

    #[test]
    fn pieces_check_what_the_check_pass_checks_in_the_role_it_checks_it() {
        let checked = |proc_macro_member: bool| -> BTreeMap<String, bool> {
            let graphs = [check_graph(proc_macro_member)];
            let plan = plan(
                &[graph()],
                PlanInputs {
                    check_graphs: &graphs,
                    ..inputs(false)
                },
            )
            .unwrap();
            plan.pieces
                .values()
                .map(|piece| (piece.unit.name.clone(), piece.unit.check))
                .collect()
        };
        // serde and itoa are checked; serde_derive (a proc-macro) and syn (below it) are
        // built only.
        let without = checked(false);
        assert_eq!(
            without,
            BTreeMap::from([
                ("itoa".to_string(), true),
                ("serde".to_string(), true),
                ("serde_derive".to_string(), false),
                ("syn".to_string(), false),
            ])
        );
        // A proc-macro member of the workspace is checked with its dependencies, for the
        // host: syn's host piece checks them.
        assert!(checked(true)["syn"]);
        // Without the check pass's graph, nothing is checked.
        assert!(make().pieces.values().all(|piece| !piece.unit.check));
        // A plan written before pieces knew (no "check") takes every crate as checked.
        let mut old = serde_json::to_value(make()).unwrap();
        for piece in old["pieces"].as_object_mut().unwrap().values_mut() {
            piece.as_object_mut().unwrap().remove("check");
        }
        let old: Plan = serde_json::from_value(old).unwrap();
        assert!(old.pieces.values().all(|piece| piece.unit.check));
    }

    #[test]
    fn a_leaf_with_one_dependent_piece_is_built_in_it() {
        let plan = plan(&[graph()], inputs(true)).unwrap();
        let names: BTreeSet<&str> = plan.pieces.values().map(|p| p.unit.name.as_str()).collect();
        // syn serves serde_derive alone; itoa serves only the path package.
        assert_eq!(names, BTreeSet::from(["itoa", "serde", "serde_derive"]));
        let (derive_id, derive) = by_name(&plan, "serde_derive")[0];
        assert_eq!(derive.merged.len(), 1);
        assert_eq!(derive.merged[0].name, "syn");
        assert!(derive.merged[0].host);
        assert!(derive.deps.is_empty() && derive.closure.is_empty());
        assert!(derive
            .lock
            .iter()
            .any(|key| key.starts_with("windows-sys ")));
        let (_, serde) = by_name(&plan, "serde")[0];
        assert_eq!(serde.closure, std::slice::from_ref(derive_id));
    }

    #[test]
    fn ids_change_with_features_and_stay_for_the_same_unit() {
        let a = make();
        let mut other = graph();
        other.units[7].features = vec!["std".to_string()];
        let b = plan(&[other], inputs(false)).unwrap();
        assert_ne!(by_name(&a, "itoa")[0].0, by_name(&b, "itoa")[0].0);
        assert_eq!(by_name(&a, "serde")[0].0, by_name(&b, "serde")[0].0);
    }

    #[test]
    fn one_crate_over_dependencies_with_other_features_is_two_pieces() {
        // As cargo's test graph against its build graph (cargo 0.89.0's gix-protocol):
        // serde_derive has the same features in both, over a syn with more.
        let mut test_graph = graph();
        test_graph.units[4].features = vec!["extra-traits".to_string(), "full".to_string()];
        let plan = plan(&[graph(), test_graph], inputs(false)).unwrap();
        let derives = by_name(&plan, "serde_derive");
        assert_eq!(derives.len(), 2);
        assert_ne!(derives[0].1.deps, derives[1].1.deps);
        assert_eq!(by_name(&plan, "serde").len(), 2);
        assert_eq!(by_name(&plan, "itoa").len(), 1);
    }

    #[test]
    fn a_registry_crate_depending_on_a_path_package_is_left_out() {
        let mut graph = graph();
        // syn now depends on the path package.
        graph.units[4]
            .dependencies
            .push(UnitDependency { index: 6 });
        let plan = plan(&[graph], inputs(false)).unwrap();
        let names: BTreeSet<&str> = plan.pieces.values().map(|p| p.unit.name.as_str()).collect();
        assert_eq!(names, BTreeSet::from(["itoa"]));
    }

    #[test]
    fn git_crates_become_pieces_pinned_at_their_locked_commit() {
        const COMMIT: &str = "abee7773f1ea9d3c98d9a5b7a8bd736a7a1a9930";
        const REPO: &str = "git+file:///r/shapes.git?branch=feature%2Fx";
        let lock = format!(
            r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["draw"]

[[package]]
name = "draw"
version = "1.1.0"
source = "{REPO}#{COMMIT}"
dependencies = ["core", "itoa"]

[[package]]
name = "core"
version = "1.1.0"
source = "{REPO}#{COMMIT}"

[[package]]
name = "itoa"
version = "1.0.0"
source = "{CRATES_IO}"
checksum = "0000000000000000000000000000000000000000000000000000000000000000"
"#
        );
        // Package ids leave the commit out.
        let graph: UnitGraph = serde_json::from_value(serde_json::json!({
            "version": 1,
            "roots": [0],
            "units": [
                unit("path+file:///build/app#0.1.0", "bin", "build", &[], "3", &[1]),
                unit(&format!("{REPO}#draw@1.1.0"), "lib", "build", &[], "3", &[2, 3]),
                unit(&format!("{REPO}#core@1.1.0"), "lib", "build", &[], "3", &[]),
                unit("itoa@1.0.0", "lib", "build", &[], "3", &[]),
            ],
        }))
        .unwrap();
        let plan = plan(
            &[graph],
            PlanInputs {
                lock_text: &lock,
                ..inputs(false)
            },
        )
        .unwrap();
        let (core_id, core) = by_name(&plan, "core")[0];
        let (_, draw) = by_name(&plan, "draw")[0];
        let pinned = format!("{REPO}#{COMMIT}");
        assert_eq!(draw.unit.source, pinned);
        assert!(draw.deps.contains(core_id));
        assert_eq!(core.lock, [format!("core 1.1.0 {pinned}")]);
        assert!(draw.lock.contains(&format!("itoa 1.0.0 {CRATES_IO}")));
    }

    #[test]
    fn path_packages_outside_the_workspace_are_pieces_with_their_places() {
        let workspace = Workspace {
            dir: "app".to_string(),
            outside: BTreeMap::from([("local".to_string(), "app/local".to_string())]),
        };
        let plan = plan(
            &[graph()],
            PlanInputs {
                workspace: workspace.clone(),
                ..inputs(false)
            },
        )
        .unwrap();
        let (itoa_id, _) = by_name(&plan, "itoa")[0];
        let (_, local) = by_name(&plan, "local")[0];
        // The lock gives a path package no source.
        assert_eq!(local.unit.source, "");
        assert_eq!(local.deps, std::slice::from_ref(itoa_id));
        assert_eq!(
            local.lock,
            [
                format!("itoa 1.0.0 {CRATES_IO}"),
                "local 0.1.0 ".to_string()
            ]
        );
        assert_eq!(plan.workspace, Some(workspace));
        // Without path pieces the plan still says where the workspace is.
        assert_eq!(make().workspace, Some(Workspace::default()));
    }

    #[test]
    fn the_workspace_is_read_from_cargo_metadata() {
        let metadata = serde_json::json!({
            "packages": [
                {"name": "app", "id": "path+file:///build/src/app#0.1.0", "source": null, "manifest_path": "/build/src/app/Cargo.toml"},
                {"name": "greet", "id": "path+file:///build/src/libs/greet#0.1.0", "source": null, "manifest_path": "/build/src/libs/greet/Cargo.toml"},
                {"name": "twice", "id": "path+file:///build/src/a/twice#0.1.0", "source": null, "manifest_path": "/build/src/a/twice/Cargo.toml"},
                {"name": "twice", "id": "path+file:///build/src/b/twice#0.2.0", "source": null, "manifest_path": "/build/src/b/twice/Cargo.toml"},
                {"name": "far", "id": "path+file:///elsewhere/far#0.1.0", "source": null, "manifest_path": "/elsewhere/far/Cargo.toml"},
                {"name": "itoa", "id": format!("{CRATES_IO}#itoa@1.0.0"), "source": CRATES_IO, "manifest_path": "/v/itoa/Cargo.toml"},
            ],
            "workspace_members": ["path+file:///build/src/app#0.1.0"],
            "workspace_root": "/build/src",
        });
        let workspace =
            Workspace::from_metadata(&metadata.to_string(), Path::new("/build")).unwrap();
        assert_eq!(workspace.dir, "src");
        // Not the member, not the name two share, not the one outside the build directory.
        assert_eq!(
            workspace.outside,
            BTreeMap::from([("greet".to_string(), "src/libs/greet".to_string())])
        );
        let elsewhere =
            Workspace::from_metadata(&metadata.to_string(), Path::new("/tmp/x")).unwrap();
        assert_eq!(elsewhere, Workspace::default());
    }
}
