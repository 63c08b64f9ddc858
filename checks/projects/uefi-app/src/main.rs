//! A UEFI application: no standard library, no `main`; the firmware calls `efi_main`.
#![no_std]
#![no_main]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

/// The image's entry point: returns EFI_SUCCESS (0) when the hypotenuse of (3, 4) is 5.
#[unsafe(no_mangle)]
pub extern "efiapi" fn efi_main(_image: *mut core::ffi::c_void, _system_table: *mut core::ffi::c_void) -> usize {
    if uefi_app::hypotenuse(3.0, 4.0) == 5.0 {
        0
    } else {
        1
    }
}
