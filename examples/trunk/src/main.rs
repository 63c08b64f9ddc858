//! A web app: `main` runs when the page loads the module and writes to the browser's console.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(message: &str);
}

fn main() {
    log("hello from wasm");
}
