fn main() {
    println!("branch main: {}", shapes_draw::draw(2, 3));
    println!("tag v1.0.0: {}", shapes_core::REVISION);
    println!("branch feature/x: {}", shapes_feature::REVISION);
    println!("rev: {}", greeting::greet("vendoring-git"));
    println!("crates.io: itoa {}", itoa::Buffer::new().format(12345));
}
