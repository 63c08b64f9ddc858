pub fn hello() -> String {
    format!("hello from a workspace below the root {}", itoa::Buffer::new().format(3))
}
