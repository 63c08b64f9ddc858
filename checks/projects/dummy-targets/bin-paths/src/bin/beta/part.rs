pub const NAME: &str = "beta";
