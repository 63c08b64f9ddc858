fn main() {
    println!("registry fixture (git index): {}", fixture_text::sum_text(2, 3));
}
