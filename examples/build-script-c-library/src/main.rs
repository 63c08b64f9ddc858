//! Checksums a fixed text with zlib's crc32 and prints it.

fn main() {
    let text = b"hello from zlib-user";
    let length = u32::try_from(text.len()).expect("short text");
    // SAFETY: crc32 reads `length` bytes from a live slice of that length.
    let crc = unsafe { libz_sys::crc32(0, text.as_ptr(), length) };
    println!("crc32 {crc:08x}");
}
