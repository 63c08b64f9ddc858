/// The package's version, formatted through a dependency.
pub fn describe(major: u32) -> String {
    format!("release {}", itoa::Buffer::new().format(major))
}
