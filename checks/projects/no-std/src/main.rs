//! Prints a hypotenuse computed by the no_std library, and the profile's debug assertions.

fn main() {
    let assertions = if cfg!(debug_assertions) { "on" } else { "off" };
    println!("hypotenuse {} debug-assertions {assertions}", no_std::hypotenuse(3.0, 4.0));
}
