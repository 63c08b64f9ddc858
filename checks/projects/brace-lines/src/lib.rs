pub fn answer() -> String {
    itoa::Buffer::new().format(42).to_string()
}

#[test]
fn prints_brace_lines() {
    println!("{{ a line starting with a brace");
    println!("{{\"json\":\"of its own\",\"answer\":{}}}", answer());
}
