//! Prints the version of each C library as the running binary sees it, one per line:
//! `openssl 3.0.x`, `curl 7.88.1 http2`, `libgit2 1.5.1`, `sqlite 3.40.1`, `zlib 1.2.13`.

use std::ffi::{c_char, c_int, CStr};

/// The text of a static C string a library returned.
fn text(ptr: *const c_char) -> String {
    assert!(!ptr.is_null(), "a library returned no version");
    // SAFETY: the libraries return pointers to static NUL-terminated strings.
    unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned()
}

fn main() {
    // SAFETY: OpenSSL_version_num only reads a constant.
    let n = unsafe { openssl_sys::OpenSSL_version_num() };
    println!("openssl {}.{}.{}", (n >> 28) & 0xf, (n >> 20) & 0xff, (n >> 4) & 0xff);

    // SAFETY: curl_version_info returns a pointer to static data (or null, checked).
    let info = unsafe { curl_sys::curl_version_info(curl_sys::CURLVERSION_NOW) };
    assert!(!info.is_null(), "curl_version_info returned nothing");
    // SAFETY: non-null, pointing to curl's static version record.
    let (version, features) = unsafe { ((*info).version, (*info).features) };
    let http2 = if features & curl_sys::CURL_VERSION_HTTP2 != 0 { " http2" } else { "" };
    println!("curl {}{http2}", text(version));

    let (mut major, mut minor, mut rev): (c_int, c_int, c_int) = (0, 0, 0);
    // SAFETY: the three pointers are to live integers the call writes.
    let rc = unsafe { libgit2_sys::git_libgit2_version(&mut major, &mut minor, &mut rev) };
    assert_eq!(rc, 0, "git_libgit2_version failed");
    println!("libgit2 {major}.{minor}.{rev}");

    // SAFETY: sqlite3_libversion returns a static string.
    println!("sqlite {}", text(unsafe { libsqlite3_sys::sqlite3_libversion() }));

    // SAFETY: zlibVersion returns a static string.
    println!("zlib {}", text(unsafe { libz_sys::zlibVersion() }));
}
