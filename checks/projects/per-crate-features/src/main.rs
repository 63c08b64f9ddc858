use serde::Serialize;

#[derive(Serialize)]
struct Report {
    message: &'static str,
    zlib: String,
}

fn main() {
    // SAFETY: zlibVersion returns a pointer to a static NUL-terminated string.
    let zlib = unsafe { std::ffi::CStr::from_ptr(libz_sys::zlibVersion()) };
    let report = Report {
        message: "per-crate pieces",
        zlib: zlib.to_string_lossy().into_owned(),
    };
    println!("{}", serde_json::to_string(&report).unwrap());
}
