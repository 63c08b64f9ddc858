/// A greeting for `name`, shouted with the feature `loud`.
pub fn greet(name: &str) -> String {
    let letters = itoa::Buffer::new().format(name.len()).to_string();
    let greeting = format!("hello {name} ({letters} letters)");
    if cfg!(feature = "loud") {
        shout::shout(&greeting)
    } else {
        greeting
    }
}
