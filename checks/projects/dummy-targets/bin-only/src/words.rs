pub const GREETING: &str = "bin-only";
