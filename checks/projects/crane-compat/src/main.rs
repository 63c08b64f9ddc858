//! Prints `plain`, or with the `extra` feature `extra 42` (formatted by itoa).

fn message() -> String {
    #[cfg(feature = "extra")]
    {
        let mut buffer = itoa::Buffer::new();
        format!("extra {}", buffer.format(42))
    }
    #[cfg(not(feature = "extra"))]
    {
        "plain".to_string()
    }
}

fn main() {
    println!("{}", message());
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_with_the_dev_dependency() {
        let mut buffer = ryu::Buffer::new();
        assert_eq!(buffer.format(1.5), "1.5");
        assert!(!super::message().is_empty());
    }
}
