use std::{env, fs, path::Path};

fn main() {
    let mut buffer = itoa::Buffer::new();
    let text = format!("pub const GENERATED: &str = \"generated-{}\";\n", buffer.format(7));
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("generated.rs");
    fs::write(out, text).unwrap();
}
