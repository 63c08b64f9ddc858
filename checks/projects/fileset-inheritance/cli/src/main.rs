fn main() {
    let mut buffer = itoa::Buffer::new();
    println!(
        "fileset-inheritance {}: {}",
        env!("CARGO_PKG_VERSION"),
        buffer.format(numbers::answer())
    );
}
