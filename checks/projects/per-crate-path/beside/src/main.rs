fn main() {
    println!("{}", greet::greet("beside"));
}
