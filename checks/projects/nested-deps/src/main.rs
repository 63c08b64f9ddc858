use serde::Serialize;

#[derive(Serialize)]
struct Greeting {
    message: &'static str,
    answer: u32,
}

fn main() {
    let greeting = Greeting {
        message: "hello from nested-deps",
        answer: 42,
    };
    println!("{}", serde_json::to_string(&greeting).expect("serializable"));
}
