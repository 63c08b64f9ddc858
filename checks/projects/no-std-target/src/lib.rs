//! Geometry without the standard library.
#![no_std]

/// The length of the hypotenuse of a right triangle with legs `a` and `b`.
pub fn hypotenuse(a: f64, b: f64) -> f64 {
    libm::sqrt(a * a + b * b)
}

/// `n` in decimal, written at the end of `buf`; the digits written.
pub fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}
