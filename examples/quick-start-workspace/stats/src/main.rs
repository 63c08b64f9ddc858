fn main() {
    let count = std::env::args().count() - 1;
    println!("{} arguments", itoa::Buffer::new().format(count));
}
