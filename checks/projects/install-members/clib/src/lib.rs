#[no_mangle]
pub extern "C" fn clib() -> u32 {
    7
}
