fn main() {
    println!("built by a custom toolchain");
}
