//! Conversion of JSON documents to TOML.
//!
//! Nix can produce JSON (`builtins.toJSON`) but not TOML, so `writeTOML`
//! hands gantry the JSON form of an attribute set. The conversion is done
//! value by value, rather than through serde, so that a value TOML cannot
//! hold is reported with the key path leading to it.

use serde_json::Value as Json;
use toml::{Table, Value};

use crate::error::{Error, Result};

/// One step from the document root to a value.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Converts a JSON object to a TOML table, keeping key order.
pub fn json_to_toml(json: &Json) -> Result<Table> {
    match json {
        Json::Object(entries) => convert_object(entries, &mut Vec::new()),
        other => Err(Error::new(format!(
            "a TOML document is a table, so the JSON input must be an object, not {}",
            kind(other)
        ))),
    }
}

/// The TOML document of the JSON object `input` holds (what `gantry
/// write-toml` reads on stdin).
pub fn json_input_to_toml(input: impl std::io::Read) -> Result<String> {
    let json = serde_json::from_reader(input)
        .map_err(|error| Error::new(format!("invalid JSON on stdin: {error}")))?;
    render(&json_to_toml(&json)?)
}

/// Renders `table` as a TOML document.
pub fn render(table: &Table) -> Result<String> {
    toml::to_string(table).map_err(|error| Error::new(format!("cannot write TOML: {error}")))
}

/// Converts the value found at `path`.
fn convert<'a>(json: &'a Json, path: &mut Vec<Step<'a>>) -> Result<Value> {
    Ok(match json {
        Json::Null => {
            return Err(Error::new(format!(
                "null at {}: TOML has no null; remove the attribute",
                describe(path)
            )))
        }
        Json::Bool(value) => Value::Boolean(*value),
        Json::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::Integer(integer)
            } else if let Some(float) = number.as_f64().filter(|_| number.is_f64()) {
                Value::Float(float)
            } else {
                return Err(Error::new(format!(
                    "{number} at {}: TOML integers are signed 64-bit, this one is too large",
                    describe(path)
                )));
            }
        }
        Json::String(text) => Value::String(text.clone()),
        Json::Array(items) => {
            let mut array = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                array.push(convert(item, path)?);
                path.pop();
            }
            Value::Array(array)
        }
        Json::Object(entries) => Value::Table(convert_object(entries, path)?),
    })
}

/// Converts the object found at `path`, keeping its key order.
fn convert_object<'a>(
    entries: &'a serde_json::Map<String, Json>,
    path: &mut Vec<Step<'a>>,
) -> Result<Table> {
    let mut table = Table::new();
    for (key, item) in entries {
        path.push(Step::Key(key));
        table.insert(key.clone(), convert(item, path)?);
        path.pop();
    }
    Ok(table)
}

/// The name of a JSON value's type, for error messages.
fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Writes `path` the way TOML spells a dotted key, with array indices in
/// brackets: `package.metadata."a.b"[2]`.
fn describe(path: &[Step<'_>]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if bare {
                    text.push_str(key);
                } else {
                    // A JSON string literal is also a valid TOML quoted key.
                    text.push_str(&Json::from(*key).to_string());
                }
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    if text.is_empty() {
        text.push_str("the top level");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_error_names_the_key_path() {
        let input = json!({"package": {"metadata": {"x": null}}});
        let error = json_to_toml(&input).unwrap_err().to_string();
        assert_eq!(
            error,
            "null at package.metadata.x: TOML has no null; remove the attribute"
        );
    }

    #[test]
    fn paths_quote_keys_and_show_indices() {
        let input = json!({"a.b": [{"ok": 1}, {"c d": null}]});
        let error = json_to_toml(&input).unwrap_err().to_string();
        assert!(error.starts_with(r#"null at "a.b"[1]."c d":"#), "{error}");
    }

    #[test]
    fn integers_beyond_i64_are_rejected() {
        let input = json!({"big": u64::MAX});
        let error = json_to_toml(&input).unwrap_err().to_string();
        assert!(error.contains("big"), "{error}");
    }

    #[test]
    fn top_level_must_be_an_object() {
        let error = json_to_toml(&json!([1])).unwrap_err().to_string();
        assert!(error.contains("not an array"), "{error}");
    }
}
