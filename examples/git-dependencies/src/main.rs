fn main() {
    println!("{}", shapes_draw::draw(2, 3));
    println!("{}", greeting::greet("git-dependencies"));
}
