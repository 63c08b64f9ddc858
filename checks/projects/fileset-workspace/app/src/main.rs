fn main() {
    println!("fileset-workspace: {}", greeting::greeting("app"));
}
