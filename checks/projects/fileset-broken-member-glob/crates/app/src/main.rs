fn main() { println!("glob-app: crates/broken left out"); }
