fn main() {
    println!("{}", hello::hello());
}
