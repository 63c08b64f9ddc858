/* bcryptprimitives.dll for Debian bookworm's Wine 8.0, which lacks it (nixpkgs' Wine has
 * it): Rust's standard library for Windows (since Rust 1.78) imports ProcessPrng from it to
 * seed its hash maps, so no Rust program starts without it. ProcessPrng fills the buffer
 * with random bytes and always succeeds; this one asks advapi32's RtlGenRandom (exported as
 * SystemFunction036), which Wine has. Built by checks/offline-pkgs/host-tools.nix (wine64). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
