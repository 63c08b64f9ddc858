fn main() {
    let value: serde_json::Value = serde_json::from_str("[1, 2, 3]").unwrap();
    println!("{}", value[2]);
}
