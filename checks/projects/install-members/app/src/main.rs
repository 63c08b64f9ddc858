fn main() {
    println!("app {}", extlib::extlib());
}
