//! Encoding functions: `jsonencode` (as Go writes JSON), `jsondecode`, `yamldecode`.

use super::*;

/// Calls the function `name` of this family.
pub(super) fn call(name: &str, args: &[Value]) -> R {
    match name {
        "jsonencode" => {
            arity(name, args, 1, 1)?;
            Ok(Value::str(go_json(&jsonencode(&args[0])?)))
        }
        "jsondecode" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            serde_json::from_str::<serde_json::Value>(&s.text)
                .map(|j| Value::from_json(&j))
                .or_else(|e| err(format!("jsondecode(): {e}")))
        }
        "yamldecode" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            serde_norway::from_str::<serde_json::Value>(&s.text)
                .map(|j| Value::from_json(&j))
                .or_else(|e| err(format!("yamldecode(): {e}")))
        }
        _ => unknown(name),
    }
}

/// JSON text as Go's encoding/json writes it (Terraform's jsonencode): `<`, `>` and `&`
/// escaped as `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 as well. They occur only
/// inside strings, so replacing them in the text is exact.
pub fn go_json(v: &serde_json::Value) -> String {
    let text = v.to_string();
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

pub fn jsonencode(v: &Value) -> Result<serde_json::Value, FnError> {
    Ok(match known(v)? {
        Value::List(l) => {
            serde_json::Value::Array(l.iter().map(jsonencode).collect::<Result<_, _>>()?)
        }
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), jsonencode(v)?)))
                .collect::<Result<_, FnError>>()?,
        ),
        Value::Resource(r) => {
            return Err(FnError::Unknown(format!(
                "{} as a whole is known only after apply",
                r.address
            )));
        }
        v => v.to_json(),
    })
}
