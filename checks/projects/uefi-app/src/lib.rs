//! Geometry without the standard library.
#![no_std]

/// The length of the hypotenuse of a right triangle with legs `a` and `b`.
pub fn hypotenuse(a: f64, b: f64) -> f64 {
    libm::sqrt(a * a + b * b)
}
