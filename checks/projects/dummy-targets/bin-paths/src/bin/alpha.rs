fn main() {
    println!("{}", lib_only::render("alpha", 1));
}
