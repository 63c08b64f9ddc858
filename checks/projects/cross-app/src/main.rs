//! Checksums a fixed text with the bundled zlib's crc32 and prints it as JSON, with the
//! architecture it was compiled for.

use serde::Serialize;

#[derive(Serialize)]
struct Report {
    arch: &'static str,
    crc32: String,
}

fn crc32(text: &[u8]) -> u32 {
    let length = u32::try_from(text.len()).expect("short text");
    // SAFETY: crc32 reads `length` bytes from a live slice of that length.
    unsafe { u32::try_from(libz_sys::crc32(0, text.as_ptr(), length)).expect("a 32-bit crc") }
}

fn main() {
    let report = Report {
        arch: std::env::consts::ARCH,
        crc32: format!("{:08x}", crc32(b"hello from cross-app")),
    };
    println!("{}", serde_json::to_string(&report).expect("serializable"));
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_of_a_known_text() {
        // zlib's documented check value: crc32("123456789").
        assert_eq!(super::crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn runs_on_the_target() {
        println!("tests run on {}", std::env::consts::ARCH);
    }
}
