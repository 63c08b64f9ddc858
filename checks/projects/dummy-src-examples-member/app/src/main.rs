fn main() {
    println!("app beside examples {}", itoa::Buffer::new().format(2));
}
