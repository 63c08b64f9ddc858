fn main() {
    println!("{}", greeter::greet("workspace", 1));
}
