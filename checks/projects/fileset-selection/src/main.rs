fn main() {
    println!("{}", member::WORD);
}
