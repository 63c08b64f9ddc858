pub fn render(label: &str, n: u32) -> String {
    format!("{label} {}", itoa::Buffer::new().format(n))
}
