fn main() {
    println!("{}", lib_only::render("gamma", 3));
}
