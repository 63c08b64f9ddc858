use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=data.txt");
    let data = fs::read_to_string("data.txt").expect("data.txt is in the source");
    println!("cargo:rustc-env=FILESET_DATA={}", data.trim());
}
