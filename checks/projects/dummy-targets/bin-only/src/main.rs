mod words;

fn main() {
    println!("{} {}", words::GREETING, itoa::Buffer::new().format(7));
}
