//! A wasm module exporting one function.

/// How many decimal digits `n` has.
#[no_mangle]
pub extern "C" fn digits(n: u32) -> u32 {
    itoa::Buffer::new().format(n).len() as u32
}
