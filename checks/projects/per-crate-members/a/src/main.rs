use smallvec::SmallVec;

/// 37 elements inline: smallvec supports that array size only with `const_generics`.
pub fn inline_37() -> SmallVec<[u8; 37]> {
    (0..37).collect()
}

fn main() {
    let v = inline_37();
    println!("a: {} inline={}", v.len(), !v.spilled());
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    #[test]
    fn dev_dependencies_and_test_features() {
        // `write` is a feature only the dev-dependency asks for; itoa is a dev-dependency.
        let mut v: smallvec::SmallVec<[u8; 8]> = smallvec::SmallVec::new();
        v.write_all(itoa::Buffer::new().format(super::inline_37().len()).as_bytes())
            .unwrap();
        assert_eq!(&v[..], b"37");
    }
}
