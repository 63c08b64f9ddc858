//! JSON to TOML conversion: what goes in must come back out when the TOML
//! is parsed again.

use gantry::write_toml::{json_to_toml, render};
use serde_json::{json, Value};

/// Converts `input` to TOML text, parses that text and returns it as JSON.
fn round_trip(input: &Value) -> Value {
    let text = render(&json_to_toml(input).unwrap()).unwrap();
    let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|error| {
        panic!("invalid TOML written:\n{text}\n{error}");
    });
    serde_json::to_value(parsed).unwrap()
}

fn assert_round_trips(input: Value) {
    assert_eq!(round_trip(&input), input);
}

#[test]
fn nested_tables() {
    assert_round_trips(json!({
        "package": {"name": "x", "metadata": {"deep": {"deeper": {"value": 1}}}},
        "empty": {},
    }));
}

#[test]
fn arrays_of_tables() {
    assert_round_trips(json!({
        "bin": [
            {"name": "a", "path": "src/a.rs", "extra": {"nested": true}},
            {"name": "b", "list": [{"inner": 1}, {"inner": 2}]},
            {},
        ],
    }));
}

#[test]
fn objects_inside_mixed_and_nested_arrays() {
    assert_round_trips(json!({
        "mixed": [1, "a", true, 2.5, {"k": {"deep": [1]}}, [1, 2]],
        "nested": [[1, 2], ["a"], [], [{"x": 1}]],
        "empty": [],
    }));
}

#[test]
fn special_strings_and_keys() {
    assert_round_trips(json!({
        "quotes": "she said \"hi\" and 'bye'",
        "backslashes": "C:\\path\\to\\file \\n is not a newline",
        "newlines": "line one\nline two\r\nline three\n",
        "tab and control": "a\tb\u{1}c\u{7f}",
        "unicode": "é ü 中文 🦀",
        "with.dots": 1,
        "with spaces": 2,
        "\"quoted\"": 3,
        "": 4,
        "table.with.dots": {"and spaces inside": "x"},
    }));
}

#[test]
fn numbers_and_booleans_keep_their_types() {
    let input = json!({
        "zero": 0,
        "negative": -42,
        "max": i64::MAX,
        "min": i64::MIN,
        "float": 0.5,
        "whole float": 1.0,
        "tiny": 1e-300,
        "huge": -1.5e300,
        "yes": true,
        "no": false,
    });
    let output = round_trip(&input);
    assert_eq!(output, input);
    assert!(output["max"].is_i64());
    assert!(output["whole float"].is_f64());
}

#[test]
fn key_order_is_kept() {
    let input = json!({"z": 1, "a": 2, "m": {"y": 3, "b": 4}, "c": {"x": 5}});
    let text = render(&json_to_toml(&input).unwrap()).unwrap();
    assert_eq!(text, "z = 1\na = 2\n\n[m]\ny = 3\nb = 4\n\n[c]\nx = 5\n");
}

#[test]
fn null_is_rejected_with_its_path() {
    let input = json!({"package": {"metadata": {"x": null}}});
    let error = json_to_toml(&input).unwrap_err().to_string();
    assert_eq!(
        error,
        "null at package.metadata.x: TOML has no null; remove the attribute"
    );
    let input = json!({"bin": [{"name": "a"}, {"name": null}]});
    let error = json_to_toml(&input).unwrap_err().to_string();
    assert!(error.starts_with("null at bin[1].name:"), "{error}");
}

#[test]
fn top_level_must_be_an_object() {
    for input in [json!([1, 2]), json!("text"), json!(null), json!(1)] {
        let error = json_to_toml(&input).unwrap_err().to_string();
        assert!(error.contains("must be an object"), "{error}");
    }
}
