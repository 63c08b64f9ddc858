//! Command-line entry point: parses arguments and dispatches to the library.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gantry::archive;
use gantry::error::{Error, Result};
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
    /// Pack a directory (a cargo target directory) into a deterministic
    /// .tar.zst archive.
    Pack {
        /// Directory whose contents are packed.
        target_dir: PathBuf,
        /// Archive to write.
        archive: PathBuf,
    },
    /// Unpack an archive made by `pack`, merging into the destination.
    Unpack {
        /// Archive to read.
        archive: PathBuf,
        /// Directory to unpack into; created if missing.
        dest_dir: PathBuf,
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
        Command::WriteToml => {
            let json = serde_json::from_reader(io::stdin().lock())
                .map_err(|error| Error::new(format!("invalid JSON on stdin: {error}")))?;
            print(&write_toml::render(&write_toml::json_to_toml(&json)?)?)
        }
        Command::CleanToml {
            aggressive,
            json,
            manifest,
        } => {
            let filter = if aggressive {
                Filter::Aggressive
            } else {
                Filter::Conservative
            };
            let cleaned = toml_clean::clean_manifest_file(&manifest, filter)?;
            if json {
                let text = serde_json::to_string(&cleaned)
                    .map_err(|error| Error::new(format!("cannot write JSON: {error}")))?;
                print(&(text + "\n"))
            } else {
                print(&write_toml::render(&cleaned)?)
            }
        }
        Command::Pack {
            target_dir,
            archive: out,
        } => archive::pack(&target_dir, &out, archive::default_workers()),
        Command::Unpack {
            archive: input,
            dest_dir,
        } => archive::unpack(&input, &dest_dir),
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
