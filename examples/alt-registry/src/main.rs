fn main() {
    println!("registry fixture (sparse index): {}", fixture_text::sum_text(2, 3));
}
