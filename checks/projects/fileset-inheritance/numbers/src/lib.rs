/// The number the cli prints.
pub fn answer() -> u64 {
    6 * 7
}
