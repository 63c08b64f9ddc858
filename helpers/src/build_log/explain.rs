//! Turning cargo's error output into advice for a Nix build.
//!
//! Some cargo failures mean the same thing in every gantry build and have
//! one fix, but cargo words them for an online developer machine (it
//! suggests dropping `--locked`, which would only move the failure to the
//! vendored sources). The advice names the file to change and how.

use std::path::Path;

use crate::error::Result;
use crate::paths;

/// One known failure: what cargo printed that identifies it, and what to
/// do about it in a Nix build.
struct Known {
    /// Any of these in cargo's stderr identifies the failure.
    markers: &'static [&'static str],
    advice: &'static str,
}

const KNOWN: &[Known] = &[
    Known {
        // cargo ≥ 1.84 says "cannot update the lock file … because --locked was
        // passed to prevent this"; older ones "the lock file … needs to be
        // updated but --locked was passed to prevent this".
        markers: &["--locked was passed to prevent this"],
        advice: "Cargo.lock is out of date: it does not match the Cargo.toml files, and \
                 cargo may not change it under --locked. Run `cargo update --workspace` \
                 (or `cargo generate-lockfile`) in the project, commit the new Cargo.lock \
                 and build again; the vendored sources come from Cargo.lock, so dropping \
                 --locked would not help.",
    },
    Known {
        markers: &[
            "location searched: directory source",
            "location searched: `gantry-vendored",
        ],
        advice: "Cargo.lock is out of date: a dependency is missing from the vendored \
                 sources, which hold exactly the packages Cargo.lock lists. Run `cargo \
                 update --workspace` in the project, commit Cargo.lock and build again (or \
                 pass the lock file you meant as cargoLock).",
    },
    Known {
        markers: &[
            "attempting to make an HTTP request, but --offline was specified",
            "you are in the offline mode",
            "Could not resolve host",
        ],
        advice: "cargo tried to reach the network, which Nix builds cannot: a source is \
                 not vendored. Check that cargoVendorDir comes from vendorCargoDeps of \
                 this project's Cargo.lock and that .cargo/config.toml does not replace \
                 crates.io with a registry vendorCargoDeps was not told about.",
    },
];

/// What rustc notes when the toolchain has no standard library for the
/// target it was asked to build for: "the `TARGET` target may not be
/// installed" (rustc's wording since 1.3x, with its rustup hint).
const MISSING_TARGET: (&str, &str) = ("the `", "` target may not be installed");

/// The advice for every known failure whose marker occurs in `stderr`, in
/// a fixed order, without repeats; then one line per target the toolchain
/// lacks, which names it (cross compiling without the target's standard
/// library is the usual cause, and rustc's rustup hint does not reach a
/// Nix-provided toolchain).
pub fn explain_failure(stderr: &str) -> Vec<String> {
    let known = KNOWN
        .iter()
        .filter(|known| known.markers.iter().any(|marker| stderr.contains(marker)))
        .map(|known| known.advice.to_owned());
    let mut targets: Vec<&str> = stderr
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once(MISSING_TARGET.0)?;
            let (target, _) = rest.split_once(MISSING_TARGET.1)?;
            Some(target)
        })
        .collect();
    targets.sort_unstable();
    targets.dedup();
    known
        .chain(targets.into_iter().map(|target| {
            format!(
                "the Rust toolchain has no standard library for the target {target}: add the \
                 target to the toolchain (`rustup target add {target}`; with rust-overlay \
                 overrideToolchain (p: p.rust-bin.stable.latest.default.override {{ targets \
                 = [ \"{target}\" ]; }}); a cross pkgs' own toolchain has it), or build for a \
                 target it has (CARGO_BUILD_TARGET, --target)."
            )
        }))
        .collect()
}

/// [`explain_failure`] of the stderr log at `path`, read as text whatever
/// it holds (cargo's output may hold anything, including invalid UTF-8),
/// as printed: a `gantry: ` line each.
pub fn explain_failure_log(path: &Path) -> Result<String> {
    let bytes = paths::read(path)?;
    Ok(explain_failure(&String::from_utf8_lossy(&bytes))
        .iter()
        .map(|advice| format!("gantry: {advice}\n"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_gives_a_gantry_line_per_advice_whatever_its_bytes() {
        let dir = std::env::temp_dir().join(format!("gantry-explain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("stderr.log");
        let mut bytes = b"\xff\xfe not UTF-8\n".to_vec();
        bytes.extend_from_slice(b"error: Could not resolve host: index.crates.io\n");
        std::fs::write(&log, bytes).unwrap();
        let printed = explain_failure_log(&log).unwrap();
        assert!(
            printed.starts_with("gantry: cargo tried to reach the network"),
            "{printed}"
        );
        assert_eq!(printed.lines().count(), 1);
        std::fs::write(&log, "error: something else\n").unwrap();
        assert_eq!(explain_failure_log(&log).unwrap(), "");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_lock_in_both_wordings() {
        let new = "error: cannot update the lock file /build/x/Cargo.lock because \
                   --locked was passed to prevent this\n";
        let old = "error: the lock file /build/x/Cargo.lock needs to be updated but \
                   --locked was passed to prevent this\n";
        for stderr in [new, old] {
            let advice = explain_failure(stderr);
            assert_eq!(advice.len(), 1);
            assert!(advice[0].starts_with("Cargo.lock is out of date"));
        }
    }

    #[test]
    fn missing_vendored_package() {
        let stderr = "error: no matching package named `itoa` found\n\
                      location searched: directory source `/nix/store/x-vendor/crates-io` \
                      (which is replacing registry `crates-io`)\n";
        let advice = explain_failure(stderr);
        assert_eq!(advice.len(), 1);
        assert!(advice[0].starts_with("Cargo.lock is out of date"));
        assert!(advice[0].contains("missing from the vendored"));
    }

    #[test]
    fn network_access() {
        let stderr = "error: failed to get `x` as a dependency\n\
                      Caused by: attempting to make an HTTP request, but --offline was specified\n";
        assert!(explain_failure(stderr)[0].contains("reach the network"));
    }

    #[test]
    fn missing_target_names_it_once() {
        let stderr = "error[E0463]: can't find crate for `core`\n  |\n  = note: the \
                      `aarch64-unknown-linux-gnu` target may not be installed\n  = help: \
                      consider downloading the target with `rustup target add \
                      aarch64-unknown-linux-gnu`\nerror[E0463]: can't find crate for `std`\n\
                      \x20 = note: the `aarch64-unknown-linux-gnu` target may not be installed\n";
        let advice = explain_failure(stderr);
        assert_eq!(advice.len(), 1, "{advice:?}");
        assert!(advice[0].starts_with(
            "the Rust toolchain has no standard library for the target aarch64-unknown-linux-gnu: "
        ));
        assert!(advice[0].contains("`rustup target add aarch64-unknown-linux-gnu`"));
        assert!(advice[0].contains("targets = [ \"aarch64-unknown-linux-gnu\" ]"));
    }

    #[test]
    fn unknown_failures_get_no_advice() {
        assert!(explain_failure("error[E0425]: cannot find value `x` in this scope\n").is_empty());
        assert!(explain_failure("").is_empty());
    }
}
