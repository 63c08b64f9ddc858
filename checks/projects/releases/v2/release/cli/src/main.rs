fn main() {
    let major = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap();
    println!("{} {}", release_core::describe(major), env!("CARGO_PKG_VERSION"));
}
