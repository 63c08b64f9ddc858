fn main() {
    println!("fileset-build-script: {}", env!("FILESET_DATA"));
}
