//! rustc for the dummy workspace members of a dependency-only build.
//!
//! `buildDepsOnly` compiles the workspace's members from stubs (`fn main() {}`)
//! only so that cargo sees the same unit graph as the real build, which is what
//! decides the dependencies' flags. The stubs' outputs are thrown away: the
//! real build compiles every member again. Yet a member binary of a project
//! with `lto = true` is linked with LTO, which optimises the whole standard
//! library again: about three seconds per binary (measured on a trivial
//! `fn main() {}` with `lto = true`, `codegen-units = 1`), for nothing.
//!
//! Run as cargo's `RUSTC_WORKSPACE_WRAPPER`, which cargo uses for the
//! workspace's members only and keeps out of the dependencies' fingerprints,
//! this turns LTO off for members' linked outputs. The dependencies are
//! compiled exactly as before, so the real build finds them fresh.

use std::ffi::OsString;

/// Crate types rustc links into a final artifact, where LTO happens.
const LINKED_CRATE_TYPES: [&str; 4] = ["bin", "cdylib", "dylib", "staticlib"];

/// The arguments to run rustc with instead of `args`: `-C lto=off` appended
/// when they link a final artifact with LTO, else `args` unchanged. rustc
/// takes the last value of a codegen option, so the appended one wins.
pub fn member_args(mut args: Vec<OsString>) -> Vec<OsString> {
    if links_with_lto(&args) {
        args.push("-C".into());
        args.push("lto=off".into());
    }
    args
}

/// Whether `args` make rustc link a final artifact with LTO on.
fn links_with_lto(args: &[OsString]) -> bool {
    let mut linked = false;
    let mut lto = false;
    for (flag, value) in options(args) {
        match flag {
            "--crate-type" => {
                linked |= value
                    .split(',')
                    .any(|kind| LINKED_CRATE_TYPES.contains(&kind));
            }
            "-C" => {
                if let Some(setting) = value.strip_prefix("lto") {
                    lto = match setting.strip_prefix('=') {
                        Some(choice) => !matches!(choice, "n" | "no" | "off" | "false"),
                        // `-C lto` alone means fat LTO.
                        None => setting.is_empty() || lto,
                    };
                }
            }
            _ => {}
        }
    }
    linked && lto
}

/// The `--crate-type` and `-C` options of `args` with their values, whether
/// written as two arguments, joined by `=` or (for `-C`) attached.
fn options(args: &[OsString]) -> Vec<(&'static str, &str)> {
    let mut found = Vec::new();
    let mut args = args.iter().map(|arg| arg.to_str().unwrap_or(""));
    while let Some(arg) = args.next() {
        if let Some((name, value)) = option(arg) {
            let value = value.or_else(|| args.next()).unwrap_or("");
            found.push((name, value));
        }
    }
    found
}

/// The option `arg` starts (`-C` for `--codegen` too), with its value if
/// `arg` holds it.
fn option(arg: &str) -> Option<(&'static str, Option<&str>)> {
    for (spelling, name) in [
        ("--crate-type", "--crate-type"),
        ("--codegen", "-C"),
        ("-C", "-C"),
    ] {
        if arg == spelling {
            return Some((name, None));
        }
        if let Some(rest) = arg.strip_prefix(spelling) {
            if let Some(value) = rest.strip_prefix('=') {
                return Some((name, Some(value)));
            }
            if spelling == "-C" {
                return Some((name, Some(rest)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    fn rewritten(line: &str) -> String {
        member_args(args(line))
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_binary_with_lto_is_linked_without() {
        let line = "--crate-name hexyl --crate-type bin -C opt-level=3 -C lto -C codegen-units=1";
        assert_eq!(rewritten(line), format!("{line} -C lto=off"));
        for line in [
            "--crate-type=bin -C lto=fat",
            "--crate-type cdylib -Clto=thin",
            "--crate-type staticlib --codegen lto=true",
            "--crate-type rlib,cdylib -C lto=yes",
        ] {
            assert!(rewritten(line).ends_with("-C lto=off"), "{line}");
        }
    }

    #[test]
    fn everything_else_is_left_alone() {
        for line in [
            // A library is not linked: cargo passes no `-C lto` to it anyway.
            "--crate-type lib -C lto",
            "--crate-type proc-macro -C opt-level=3",
            "--crate-type bin -C opt-level=3 -C codegen-units=1",
            "--crate-type bin -C lto=off",
            "--crate-type bin -C lto -C lto=no",
            // A value that only looks like the option.
            "--crate-type bin --cfg lto",
            "-vV",
        ] {
            assert_eq!(rewritten(line), line);
        }
    }
}
