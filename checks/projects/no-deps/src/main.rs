fn main() {
    println!("hello from no-deps");
}
