// The punctuation shout appends: punctuation.txt's when the package has it, else "!". No
// rerun-if-changed: cargo runs this again when any file of the package is newer.
use std::{env, fs, path::Path};

fn main() {
    let punctuation = fs::read_to_string("punctuation.txt").unwrap_or_else(|_| "!".to_string());
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("punctuation.rs");
    fs::write(out, format!("const PUNCTUATION: &str = {:?};\n", punctuation.trim())).unwrap();
}
