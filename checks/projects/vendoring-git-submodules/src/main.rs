fn main() {
    println!("submodule: {}", outer::words());
}
