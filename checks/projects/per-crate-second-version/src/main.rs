fn main() {
    let value: serde_json::Value = serde_json::from_str("[1, 2, 3]").unwrap();
    let mut buffer = Vec::new();
    itoa04::write(&mut buffer, 42u8).unwrap();
    println!("{} {}", value[2], String::from_utf8(buffer).unwrap());
}
