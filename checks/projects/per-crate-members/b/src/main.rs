use smallvec::SmallVec;
use std::io::Write;

fn main() {
    // `impl Write for SmallVec<[u8; _]>` exists only with smallvec's `write` feature.
    let mut v: SmallVec<[u8; 16]> = SmallVec::new();
    write!(v, "b: written").unwrap();
    println!("{}", String::from_utf8_lossy(&v));
}
