fn main() {
    println!("{}", greet::greet("per-crate-path"));
}
