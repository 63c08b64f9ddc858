fn main() {
    println!("{}", greeting::greet("lock-precedence"));
}
