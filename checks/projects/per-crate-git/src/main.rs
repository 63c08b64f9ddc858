fn main() {
    println!("{}", shapes_draw::draw(2, 3));
    println!("{}", greeting::greet("per-crate-git"));
    println!("itoa {}", itoa::Buffer::new().format(12345));
}
