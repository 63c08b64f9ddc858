//! Says which architecture it was built for.

fn greeting() -> String {
    format!("hello from {}", std::env::consts::ARCH)
}

fn main() {
    println!("{}", greeting());
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_on_aarch64() {
        assert_eq!(super::greeting(), "hello from aarch64");
    }
}
