mod part;

fn main() {
    println!("{}", lib_only::render(part::NAME, 2));
}
