//! Prints a number through itoa and the standard library it was built with.
fn main() {
    let mut buffer = itoa::Buffer::new();
    println!("build-std {}", buffer.format(42u64));
}
