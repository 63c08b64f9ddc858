/// The greeting the app prints.
pub fn greeting(to: &str) -> String {
    format!("hello {to} from greeting")
}
