include!(concat!(env!("OUT_DIR"), "/punctuation.rs"));

/// `text` in capitals, with the package's punctuation.
pub fn shout(text: &str) -> String {
    text.to_uppercase() + PUNCTUATION
}
