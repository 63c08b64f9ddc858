macros::answer_fn!();

fn main() {
    let mut buffer = itoa::Buffer::new();
    println!("{} {}", gen::GENERATED, buffer.format(answer()));
}
