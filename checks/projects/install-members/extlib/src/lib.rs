#[no_mangle]
pub extern "C" fn extlib() -> u32 {
    1
}
