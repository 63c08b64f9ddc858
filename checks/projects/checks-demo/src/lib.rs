//! Formats and doubles numbers: the fixture of gantry's check builders.

/// Formats `n` in decimal.
///
/// ```
/// assert_eq!(checks_demo::decimal(42), "42");
/// ```
pub fn decimal(n: u64) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

/// Doubles `n`. (Clippy's pedantic lints want `#[must_use]` here.)
pub fn double(n: u64) -> u64 {
    n * 2
}

#[cfg(test)]
mod tests {
    use super::{decimal, double};

    /// Leaves a file named after the test in $GANTRY_TEST_RECORD, when set: the checks count
    /// which tests ran where.
    fn record(name: &str) {
        if let Ok(dir) = std::env::var("GANTRY_TEST_RECORD") {
            std::fs::write(std::path::Path::new(&dir).join(name), "").unwrap();
        }
    }

    #[test]
    fn decimal_zero() {
        record("decimal_zero");
        assert_eq!(decimal(0), "0");
    }

    #[test]
    fn decimal_large() {
        record("decimal_large");
        assert_eq!(decimal(1_234_567), "1234567");
    }

    #[test]
    fn double_zero() {
        record("double_zero");
        assert_eq!(double(0), 0);
    }

    #[test]
    fn double_one() {
        record("double_one");
        assert_eq!(double(1), 2);
    }

    #[test]
    fn double_then_decimal() {
        record("double_then_decimal");
        assert_eq!(decimal(double(21)), "42");
    }

    #[test]
    fn decimal_max() {
        record("decimal_max");
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
    }

    #[cfg(feature = "broken")]
    #[test]
    fn broken() {
        record("broken");
        assert_eq!(double(2), 5, "the `broken` feature adds this failing test");
    }
}
