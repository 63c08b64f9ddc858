/// What the fixture's binary prints.
pub const WORD: &str = "selected";
