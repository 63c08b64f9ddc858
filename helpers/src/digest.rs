//! sha256 digests as gantry writes them, in lowercase hex: a vendored
//! crate's, checked against the checksum Cargo.lock records; a layer's
//! files', in its manifest; and the short names of vendored sources
//! (`cargo_ids::short`). One definition, so they are written alike.

use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::paths;

/// `bytes` in lowercase hex, as sha256 sums are written.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|byte| {
            [
                DIGITS[usize::from(byte >> 4)],
                DIGITS[usize::from(byte & 0xf)],
            ]
        })
        .map(char::from)
        .collect()
}

/// The sha256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The sha256 of the file at `path`, in hex, and how many bytes it read,
/// reading through `buffer` (its size sets how much each read asks for).
pub fn sha256_of_file(path: &Path, buffer: &mut [u8]) -> Result<(String, u64)> {
    let mut file = paths::open(path)?;
    let mut hasher = Sha256::new();
    let mut total = 0;
    loop {
        let read = match file.read(buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(paths::error_at("cannot read", path)(error)),
        };
        hasher.update(&buffer[..read]);
        total += read as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits() {
        assert_eq!(hex(&[0x00, 0x0f, 0x9f, 0xff]), "000f9fff");
    }

    #[test]
    fn file_digest_and_length_through_a_small_buffer() {
        let dir = std::env::temp_dir().join(format!("gantry-digest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("file");
        std::fs::write(&path, "abc".repeat(10)).unwrap();
        let mut buffer = [0; 4];
        let (digest, length) = sha256_of_file(&path, &mut buffer).unwrap();
        assert_eq!(digest, sha256("abc".repeat(10).as_bytes()));
        assert_eq!(length, 30);
        // printf abc | sha256sum
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let missing = sha256_of_file(&dir.join("missing"), &mut buffer).unwrap_err();
        assert!(
            missing.to_string().contains("missing: cannot open"),
            "{missing}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
