/// A file of the repository outside the Cargo workspace.
const SHARED: &str = include_str!("../../shared/greeting.txt");

fn main() {
    let mut buffer = itoa::Buffer::new();
    println!(
        "fileset-not-at-root {}: {}",
        buffer.format(209),
        SHARED.trim()
    );
}
