//! Greetings shared by the workspace's programs.

/// A greeting for `name`, numbered.
pub fn greet(name: &str, number: u32) -> String {
    format!("hello {name} #{}", itoa::Buffer::new().format(number))
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets() {
        assert_eq!(super::greet("nix", 1), "hello nix #1");
    }
}
