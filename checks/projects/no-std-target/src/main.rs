//! A bare-metal program: no standard library, no `main`; its entry point `_start` prints the
//! hypotenuse of (3, 4) and exits through Linux system calls (x86-64 ABI).
#![no_std]
#![no_main]

use core::arch::asm;

fn write(bytes: &[u8]) {
    // SAFETY: write(1, bytes, len) reads `bytes` only; rcx and r11 are clobbered by syscall.
    unsafe {
        asm!("syscall", inlateout("rax") 1usize => _, in("rdi") 1usize, in("rsi") bytes.as_ptr(),
             in("rdx") bytes.len(), lateout("rcx") _, lateout("r11") _, options(nostack));
    }
}

fn exit(code: usize) -> ! {
    // SAFETY: exit(code) does not return.
    unsafe { asm!("syscall", in("rax") 60usize, in("rdi") code, options(noreturn, nostack)) }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut buf = [0u8; 20];
    write(b"hypotenuse ");
    write(no_std_target::decimal(no_std_target::hypotenuse(3.0, 4.0) as u64, &mut buf));
    write(b"\n");
    exit(0)
}
