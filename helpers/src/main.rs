//! Command-line entry point: parses arguments and dispatches to the library.

use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gantry::archive;
use gantry::build_log;
use gantry::dummy_src::{self, DummyOptions};
use gantry::error::{Error, Result};
use gantry::paths;
use gantry::per_crate;
use gantry::toml_clean::{self, Filter};
use gantry::write_toml;

/// Helper doing the heavy lifting inside gantry's Nix builds.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a JSON object on stdin and write it as TOML to stdout.
    WriteToml,
    /// Print a Cargo manifest without the keys that do not affect building
    /// dependencies.
    CleanToml {
        /// Keep only the keys known to matter, instead of dropping only the
        /// keys known not to.
        #[arg(long)]
        aggressive: bool,
        /// Print the cleaned manifest as JSON instead of TOML.
        #[arg(long)]
        json: bool,
        /// The Cargo.toml to clean.
        manifest: PathBuf,
    },
    /// Pack a cargo target directory into an artifacts directory (a layer):
    /// a manifest of the whole tree, and the files the base lacks.
    Pack {
        /// How the layer stores files: `zstd` (a .tar.zst archive, over a
        /// base only of the changes) or `symlink` (a tree of copies and of
        /// symlinks to files stored before).
        #[arg(long, value_name = "MODE", default_value_t = archive::LayerKind::Zstd)]
        mode: archive::LayerKind,
        /// Artifacts the target directory was unpacked from: a layer, or
        /// a directory holding target.tar.zst, or such an archive.
        #[arg(long, value_name = "ARTIFACTS")]
        base: Option<PathBuf>,
        /// Pack a complete layer that does not depend on the base.
        #[arg(long)]
        full: bool,
        /// zstd command-line options changing the compression (crane's
        /// zstdCompressionExtraArgs), such as `-19` or `--long=27`.
        #[arg(
            long,
            value_name = "ARGS",
            allow_hyphen_values = true,
            default_value = ""
        )]
        zstd_args: String,
        /// Directory whose contents are packed.
        target_dir: PathBuf,
        /// Layer directory to create; may exist if empty.
        out_dir: PathBuf,
    },
    /// Unpack artifacts made by `pack` (or crane), merging into the
    /// destination.
    Unpack {
        /// A layer, a directory holding target.tar.zst, or such an archive.
        artifacts: PathBuf,
        /// Directory to unpack into; created if missing.
        dest_dir: PathBuf,
    },
    /// Write the project's skeleton with every crate root stubbed, for
    /// building only its dependencies (crane's mkDummySrc).
    DummySrc {
        /// Clean manifests with the aggressive filter.
        #[arg(long)]
        aggressive: bool,
        /// Clean manifests by dropping the key paths listed in this JSON file
        /// (an array of arrays of keys), as a user's filter decided.
        #[arg(long, value_name = "FILE", conflicts_with = "aggressive")]
        drop_keys: Option<PathBuf>,
        /// File whose text replaces the stub written at every crate root.
        #[arg(long, value_name = "FILE")]
        dummy_rs: Option<PathBuf>,
        /// File whose text replaces every package's dummy build script.
        #[arg(long, value_name = "FILE")]
        dummy_build_rs: Option<PathBuf>,
        /// The project's directory (the workspace's root Cargo.toml may be in
        /// a subdirectory).
        src_dir: PathBuf,
        /// Directory to create.
        out_dir: PathBuf,
    },
    /// Copy the workspace's executables and shared or static libraries that
    /// cargo's JSON build log names into bin/ and lib/.
    InstallFromLog {
        /// Package id of a workspace member (repeatable); default: the
        /// members `cargo metadata` lists for the current directory.
        #[arg(long = "member", value_name = "PACKAGE_ID")]
        members: Vec<String>,
        /// Cargo's stdout with `--message-format json-render-diagnostics`.
        log: PathBuf,
        /// Directory to install into.
        out_dir: PathBuf,
    },
    /// Copy stdin to stdout line by line, leaving out cargo's JSON messages.
    DropCargoMessages,
    /// Print advice for the cargo failures gantry knows (a stale Cargo.lock,
    /// a source missing from the vendored ones) found in cargo's stderr.
    ExplainCargoFailure {
        /// Cargo's stderr from the failed run.
        stderr_log: PathBuf,
    },
    /// Report how many units cargo found fresh and why each dependency unit
    /// was compiled.
    Freshness {
        /// Fail when any dependency unit was compiled.
        #[arg(long)]
        deny_rebuilt_deps: bool,
        /// Cargo's stdout with `--message-format json-render-diagnostics`.
        log: PathBuf,
        /// Cargo's stderr of the same run, with
        /// `CARGO_LOG=cargo::core::compiler::fingerprint=info`.
        #[arg(long, value_name = "FILE")]
        fingerprint_log: Option<PathBuf>,
        /// The run's own `--message-format` values (comma-separated), when
        /// the caller chose them: a format without JSON leaves nothing to check.
        #[arg(long, value_name = "FORMATS")]
        message_format: Option<String>,
    },
    /// Overwrite the hash part of references to the given store paths with
    /// `e`s in every file of the targets, so Nix does not keep those paths
    /// alive (nixpkgs' remove-references-to).
    RemoveReferences {
        /// The Nix store directory; default: $NIX_STORE, else /nix/store.
        #[arg(long, value_name = "DIR")]
        store_dir: Option<PathBuf>,
        /// Remove references to the store path PATH lies in.
        #[arg(long = "reference", value_name = "PATH")]
        references: Vec<PathBuf>,
        /// Remove references to the store path DIR lies in and to the store
        /// paths of the symlink targets below DIR (such as a vendor
        /// directory's crates).
        #[arg(long, value_name = "DIR")]
        references_of: Vec<PathBuf>,
        /// Files, or directories walked without following symlinks.
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<PathBuf>,
    },
    /// Replace a string with another of the same length in every file of
    /// the targets (crane's fixup after remapping the source path).
    ReplaceInFiles {
        #[arg(long, value_name = "TEXT")]
        from: String,
        #[arg(long, value_name = "TEXT")]
        to: String,
        /// Files, or directories walked without following symlinks.
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<PathBuf>,
    },
    /// Turn a checkout of a git dependency into entries of a cargo
    /// directory source: one NAME-VERSION directory per crate, with the
    /// files `cargo vendor` would copy and a manifest that no longer
    /// inherits from its workspace.
    VendorGit {
        /// Vendor this crate of the lock file (repeatable); default: every
        /// package of the checkout.
        #[arg(long = "crate", value_name = "NAME@VERSION")]
        crates: Vec<gantry::cargo_ids::CrateId>,
        /// The checkout, at the locked revision.
        checkout: PathBuf,
        /// Directory to write the crates' directories into; created if
        /// missing.
        out_dir: PathBuf,
    },
    /// Vendor every crate of a Cargo.lock into one directory, downloading
    /// registry crates with curl and checking git sources out with git,
    /// and write the config.toml that replaces every source by it.
    VendorLock {
        /// JSON object giving each registry's download template by the
        /// source Cargo.lock names it with:
        /// `{ "<source>": { "downloadUrl": "<template>" } }`.
        #[arg(long, value_name = "FILE")]
        registries: PathBuf,
        /// The Cargo.lock to vendor.
        lock: PathBuf,
        /// Directory to create; may exist if empty.
        out_dir: PathBuf,
    },
    /// Write the per-crate plan: cargo's unit graph of the project cut into
    /// pieces, one per dependency library unit, as JSON.
    Plan {
        /// `cargo … --unit-graph` output (repeatable: the union is planned).
        #[arg(long = "unit-graph", value_name = "FILE", required = true)]
        unit_graphs: Vec<PathBuf>,
        /// `cargo check --unit-graph` output of the project's check pass
        /// (repeatable; none without one): the crates pieces check.
        #[arg(long = "check-unit-graph", value_name = "FILE")]
        check_unit_graphs: Vec<PathBuf>,
        /// The project's Cargo.lock.
        #[arg(long, value_name = "FILE")]
        lock: PathBuf,
        /// Recorded in the plan, for checking a committed copy against the
        /// lock file it was made from.
        #[arg(long, value_name = "TEXT")]
        lock_hash: String,
        /// The root Cargo.toml, whose `[profile]` every piece repeats.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// The project's .cargo/config.toml, repeated by every piece.
        #[arg(long, value_name = "FILE")]
        cargo_config: Option<PathBuf>,
        /// `cargo metadata --format-version 1` of the project: its members,
        /// and where the path packages outside the workspace are.
        #[arg(long, value_name = "FILE")]
        metadata: PathBuf,
        /// The build directory the project is in ($NIX_BUILD_TOP), which
        /// the places in the plan are relative to.
        #[arg(long, value_name = "DIR")]
        build_top: PathBuf,
        /// Build a leaf crate that only one piece depends on in that piece.
        #[arg(long)]
        merge_private_leaves: bool,
        /// Where to write plan.json.
        out: PathBuf,
    },
    /// Write the synthetic project of one piece and link its vendored
    /// sources; prints the cargo configuration replacing the registries.
    PieceProject {
        /// Where the vendored sources are linked (a constant path).
        #[arg(long, value_name = "DIR")]
        vendor_at: PathBuf,
        /// The build directory ($NIX_BUILD_TOP): path packages are copied
        /// to their places below it.
        #[arg(long, value_name = "DIR")]
        build_top: PathBuf,
        /// The piece's own crates (repeatable), as piece-collect takes them.
        #[arg(long = "crate", value_name = "NAME@VERSION", required = true)]
        crates: Vec<gantry::cargo_ids::CrateId>,
        /// Where to write the piece's `cargo build` command line after
        /// `cargo` (first line) and its `cargo check` one (second line, empty
        /// when the piece checks nothing).
        #[arg(long, value_name = "FILE")]
        selection: PathBuf,
        /// The piece's JSON description, as buildDepsPerCrate writes it.
        spec: PathBuf,
        /// Directory of the project to write.
        dir: PathBuf,
    },
    /// Restore a piece's closure into its target directory: assembled into
    /// a layer, whose links to the pieces' files become the target
    /// directory when every piece was built in this build directory, and
    /// are copied otherwise.
    PieceRestore {
        /// The build directory ($NIX_BUILD_TOP).
        #[arg(long, value_name = "DIR")]
        build_top: PathBuf,
        /// Layer directory to assemble the closure into; may exist if empty.
        layer_dir: PathBuf,
        /// The target directory to create.
        target_dir: PathBuf,
        /// The closure's pieces.
        pieces: Vec<PathBuf>,
    },
    /// Install a piece: its crate's units from the target directory after
    /// its build, as a symlink layer.
    PieceCollect {
        /// Cargo's stdout of the build, with `--message-format json…`.
        #[arg(long, value_name = "FILE")]
        log: PathBuf,
        /// The layer the target directory was restored from (the closure).
        #[arg(long, value_name = "LAYER")]
        closure: Option<PathBuf>,
        /// The piece's crates (repeatable).
        #[arg(long = "crate", value_name = "NAME@VERSION", required = true)]
        crates: Vec<gantry::cargo_ids::CrateId>,
        /// The build directory ($NIX_BUILD_TOP), recorded in the piece.
        #[arg(long, value_name = "DIR")]
        build_top: PathBuf,
        /// The target directory.
        target_dir: PathBuf,
        /// Layer directory to create.
        out_dir: PathBuf,
    },
    /// Assemble pieces (complete symlink layers) into one symlink layer of
    /// links to their files, usable as cargoArtifacts.
    Assemble {
        /// Layer directory to create; may exist if empty.
        out_dir: PathBuf,
        /// The pieces.
        pieces: Vec<PathBuf>,
    },
    /// Print a vendor directory's config.toml with every source directory
    /// moved below one constant path (linked back to the original), so
    /// fingerprints do not depend on the vendor directory's store path.
    VendorConfig {
        /// Where the sources are to be seen, e.g. $NIX_BUILD_TOP/gantry-vendor.
        #[arg(long, value_name = "DIR")]
        at: PathBuf,
        /// The vendor directory: vendorCargoDeps' output, or a plain
        /// `cargo vendor` directory, which replaces crates.io.
        vendor_dir: PathBuf,
    },
    /// Run rustc for a dummy workspace member of a dependency-only build
    /// (cargo's RUSTC_WORKSPACE_WRAPPER): binaries and shared libraries are
    /// linked without LTO, their output being thrown away.
    DummyRustc {
        /// The rustc cargo would run.
        rustc: PathBuf,
        /// Its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gantry: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::WriteToml => print(&write_toml::json_input_to_toml(io::stdin().lock())?),
        Command::CleanToml {
            aggressive,
            json,
            manifest,
        } => {
            let filter = Filter::from_args(aggressive, None)?;
            print(&toml_clean::clean_manifest_output(
                &manifest, &filter, json,
            )?)
        }
        Command::Pack {
            mode,
            base,
            full,
            zstd_args,
            target_dir,
            out_dir,
        } => {
            let options = archive::PackOptions::from_args(mode, base, full, &zstd_args)?;
            let summary = archive::pack(&target_dir, &out_dir, &options)?;
            eprintln!("gantry: {summary}");
            Ok(())
        }
        Command::Unpack {
            artifacts,
            dest_dir,
        } => archive::unpack(&artifacts, &dest_dir),
        Command::DummySrc {
            aggressive,
            drop_keys,
            dummy_rs,
            dummy_build_rs,
            src_dir,
            out_dir,
        } => {
            let options = DummyOptions::from_args(
                aggressive,
                drop_keys.as_deref(),
                dummy_rs.as_deref(),
                dummy_build_rs.as_deref(),
            )?;
            dummy_src::make_dummy_src(&src_dir, &out_dir, &options)
        }
        Command::InstallFromLog {
            members,
            log,
            out_dir,
        } => {
            let members = build_log::members_or_workspace(members, Path::new("."))?;
            let installed = build_log::install_from_log(&log, &out_dir, &members)?;
            if let Some(warning) = installed.warning() {
                eprintln!("{warning}");
            }
            print(&installed.to_string())
        }
        Command::DropCargoMessages => {
            build_log::drop_cargo_messages(io::stdin().lock(), io::stdout().lock())
                .map_err(|error| Error::io("cannot copy stdin to stdout", error))
        }
        Command::ExplainCargoFailure { stderr_log } => {
            print(&build_log::explain_failure_log(&stderr_log)?)
        }
        Command::Freshness {
            deny_rebuilt_deps,
            log,
            fingerprint_log,
            message_format,
        } => {
            let report =
                build_log::freshness(&log, fingerprint_log.as_deref(), message_format.as_deref())?;
            print(&report.to_string())?;
            if deny_rebuilt_deps {
                report.deny_rebuilt_dependencies()?;
            }
            Ok(())
        }
        Command::RemoveReferences {
            store_dir,
            references,
            references_of,
            targets,
        } => {
            let store_dir = gantry::references::store_dir_or_default(store_dir);
            let references =
                gantry::references::collect_references(&store_dir, &references, &references_of)?;
            let report = gantry::references::remove_references(&store_dir, &references, &targets)?;
            eprint!("{report}");
            Ok(())
        }
        Command::ReplaceInFiles { from, to, targets } => {
            let changed =
                gantry::references::replace_in_files(&targets, from.as_bytes(), to.as_bytes())?;
            eprintln!("gantry: replaced {from} with {to} in {changed} files");
            Ok(())
        }
        Command::VendorGit {
            crates,
            checkout,
            out_dir,
        } => {
            for vendored in gantry::vendor_git::vendor_git(&checkout, &out_dir, &crates)? {
                eprintln!("gantry: {vendored}");
            }
            Ok(())
        }
        Command::VendorLock {
            registries,
            lock,
            out_dir,
        } => {
            let report = |fetch: gantry::vendor_lock::Fetch| eprintln!("gantry: {fetch}");
            let summary = gantry::vendor_lock::vendor_lock(&lock, &registries, &out_dir, &report)?;
            eprintln!("gantry: {summary}");
            Ok(())
        }
        Command::Plan {
            unit_graphs,
            check_unit_graphs,
            lock,
            lock_hash,
            manifest,
            cargo_config,
            metadata,
            build_top,
            merge_private_leaves,
            out,
        } => {
            let files = per_crate::PlanFiles {
                unit_graphs,
                check_unit_graphs,
                lock,
                manifest,
                cargo_config,
                metadata,
                build_top,
                out,
            };
            let plan = per_crate::write_plan(&files, lock_hash, merge_private_leaves)?;
            eprintln!("gantry: planned {} pieces", plan.pieces.len());
            Ok(())
        }
        Command::PieceProject {
            vendor_at,
            build_top,
            crates,
            selection,
            spec,
            dir,
        } => {
            let piece = per_crate::PieceSpec::read(&spec)?;
            let places = per_crate::Places {
                vendor_at: &vendor_at,
                build_top: &build_top,
            };
            let config = per_crate::write_project(&piece, &dir, &places)?;
            let chosen = per_crate::selection(&piece, &crates);
            let check = chosen.check.map(|args| args.join(" ")).unwrap_or_default();
            paths::write(&selection, format!("{}\n{check}\n", chosen.build.join(" ")))?;
            print(&(config + "\n"))
        }
        Command::PieceRestore {
            build_top,
            layer_dir,
            target_dir,
            pieces,
        } => per_crate::restore_closure(&pieces, &build_top, &layer_dir, &target_dir, &|summary| {
            eprintln!("gantry: {summary}")
        }),
        Command::PieceCollect {
            log,
            closure,
            crates,
            build_top,
            target_dir,
            out_dir,
        } => per_crate::collect_piece(
            &log,
            closure.as_deref(),
            &crates,
            &target_dir,
            &build_top,
            &out_dir,
            &|summary| eprintln!("gantry: {summary}"),
        ),
        Command::Assemble { out_dir, pieces } => {
            eprintln!(
                "gantry: {}",
                archive::assemble(&pieces, &out_dir, &per_crate::is_unit_dir)?
            );
            Ok(())
        }
        Command::VendorConfig { at, vendor_dir } => {
            print(&gantry::vendor_config::vendor_config(&vendor_dir, &at)?)
        }
        Command::DummyRustc { rustc, args } => {
            let error = std::process::Command::new(&rustc)
                .args(gantry::dummy_rustc::member_args(args))
                .exec();
            Err(paths::error_at("cannot run", &rustc)(error))
        }
    }
}

/// Writes `text` to stdout, reporting failure (such as a closed pipe) as an
/// error rather than panicking as `print!` would.
fn print(text: &str) -> Result<()> {
    io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|error| Error::io("cannot write to stdout", error))
}
