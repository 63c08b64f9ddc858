# cargoAudit: `cargo audit` of the lock file against an advisory database given as
# `advisory-db` (a checkout of the RustSec advisory-db repository, or one in its format).
# The source is reduced to Cargo.lock and audit.toml, so only those invalidate the check.
{
  lib,
  mkCargoDerivation,
  cargo-audit,
}:

args@{
  advisory-db ? throw "cargoAudit: set advisory-db to a checkout of an advisory database (e.g. github:rustsec/advisory-db as a flake input with flake = false)",
  cargoAuditExtraArgs ? "--ignore yanked",
  src,
  ...
}:
let
  isDatabase = builtins.pathExists (toString advisory-db + "/crates") || lib.isDerivation advisory-db;
in
if !isDatabase then
  throw "cargoAudit: advisory-db (${toString advisory-db}) is not an advisory database: it has no crates/ directory"
else
  mkCargoDerivation (
    removeAttrs args [
      "advisory-db"
      "cargoAuditExtraArgs"
    ]
    // {
      src = lib.cleanSourceWith {
        inherit src;
        filter =
          path: type: type == "directory" || lib.hasSuffix "Cargo.lock" path || lib.hasSuffix "audit.toml" path;
      };
      pname = args.pname or "crate";
      version = args.version or "0.0.0";
      cargoArtifacts = null;
      cargoVendorDir = null;
      doInstallCargoArtifacts = false;
      pnameSuffix = "-audit";
      buildPhaseCargoCommand = "cargo audit -n -d ${advisory-db} ${cargoAuditExtraArgs}";
      nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [ cargo-audit ];
    }
  )
