fn main() {
    println!("example {}", itoa::Buffer::new().format(1));
}
