fn main() {
    println!("fileset-broken-manifest: broken/Cargo.toml left out");
}
