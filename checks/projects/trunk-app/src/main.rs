//! A web app: `main` runs when the page loads the module (wasm-bindgen's start) and writes
//! to the browser's console through an imported JavaScript function.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(message: &str);
}

fn main() {
    let mut buffer = itoa::Buffer::new();
    log(&format!("trunk-app {}", buffer.format(6 * 7)));
}
