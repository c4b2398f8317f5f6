//! Values shared by JSON and space-delimited patterns: quoted strings, `%regex%`,
//! unquoted words and numbers.

use super::cursor::Cursor;
use super::syntax;
use crate::pattern::ast::Value;
use crate::pattern::diagnostic::PatternDiagnostic;
use crate::pattern::regex;

/// Parses one value; `is_stop` tells where an unquoted value ends.
pub fn parse_value(
    cursor: &mut Cursor,
    is_stop: impl Fn(&Cursor) -> bool,
) -> Result<Value, PatternDiagnostic> {
    let start = cursor.pos();
    match cursor.peek() {
        Some('"') => {
            let text = quoted(cursor)?;
            Ok(Value::Str {
                text,
                span: cursor.span_from(start),
            })
        }
        Some('%') => {
            let source = regex_body(cursor)?;
            Ok(Value::Regex {
                source,
                span: cursor.span_from(start),
            })
        }
        _ => {
            while !cursor.at_end() && !is_stop(cursor) {
                match cursor.peek() {
                    Some(c) if c.is_whitespace() => break,
                    Some(c @ ('"' | '(' | '{' | '[' | '%')) => {
                        return Err(syntax(
                            cursor.here(),
                            format!("unexpected `{c}` inside an unquoted value"),
                        )
                        .with_label("here")
                        .with_help("put the whole value in double quotes"));
                    }
                    Some(c) if must_quote(c) => {
                        return Err(unquoted(cursor, start, c, &is_stop));
                    }
                    _ => {
                        cursor.bump();
                    }
                }
            }
            let span = cursor.span_from(start);
            let text = &cursor.src()[span.range()];
            if text.is_empty() {
                return Err(syntax(
                    cursor.here(),
                    format!("expected a value, found {}", cursor.describe_here()),
                )
                .with_label("value expected here")
                .with_help(
                    "write a value after the operator, e.g. `\"ConsoleLogin\"`, `5` or `%regex%`",
                ));
            }
            Ok(match parse_number(text) {
                Some(value) => Value::Number {
                    text: text.to_string(),
                    value,
                    span,
                },
                None => Value::Str {
                    text: text.to_string(),
                    span,
                },
            })
        }
    }
}

/// Characters an unquoted value may not contain. The 2018–2020 documentation: "Strings
/// that have unicode and other characters such as '@,' '$,' '\\,' etc. must be enclosed in
/// double quotes to be valid". Its own examples leave `.`, `*`, `-` and `:` unquoted
/// (`123.123.*`, `kms.amazonaws.com`), so only the named characters and non-ASCII ones
/// are refused; the "etc." is not guessed at.
fn must_quote(c: char) -> bool {
    matches!(c, '@' | '$' | '\\') || !c.is_ascii()
}

/// The refusal for an unquoted value holding a character that must be quoted, with the
/// pattern rewritten to quote that value.
fn unquoted(
    cursor: &Cursor,
    start: usize,
    c: char,
    is_stop: &impl Fn(&Cursor) -> bool,
) -> PatternDiagnostic {
    let at = cursor.here();
    let mut end = Cursor::new(cursor.src());
    end.reset(cursor.pos());
    while !end.at_end() && !is_stop(&end) && !end.peek().is_some_and(char::is_whitespace) {
        end.bump();
    }
    let src = cursor.src();
    let value = &src[start..end.pos()];
    let fixed = format!("{}{}{}", &src[..start], quote(value), &src[end.pos()..]);
    PatternDiagnostic::refusal(
        "needs-quotes",
        at,
        format!(
            "`{}` in an unquoted value: CloudWatch accepts it only inside double quotes",
            c.escape_debug()
        ),
    )
    .with_label("must be quoted")
    .with_help(format!("quote the value: {}", quote(value)))
    .with_fix(fixed)
}

/// `text` in double quotes, with `"` and `\` escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A number as CloudWatch writes them: an optional `+` or `-` sign (the documentation's
/// `{ $.latency > +1000 }`), digits, fraction, exponent.
pub fn parse_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut chars = body.chars().peekable();
    let mut digits = 0;
    while chars.next_if(char::is_ascii_digit).is_some() {
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    if chars.next_if_eq(&'.').is_some() {
        let mut fraction = 0;
        while chars.next_if(char::is_ascii_digit).is_some() {
            fraction += 1;
        }
        if fraction == 0 {
            return None;
        }
    }
    if chars.next_if(|c| *c == 'e' || *c == 'E').is_some() {
        chars.next_if(|c| *c == '+' || *c == '-');
        let mut exponent = 0;
        while chars.next_if(char::is_ascii_digit).is_some() {
            exponent += 1;
        }
        if exponent == 0 {
            return None;
        }
    }
    if chars.next().is_some() {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `"..."`, with `\"` and `\\` escapes (the documentation is silent on escapes inside
/// quotes; we accept these two, the ones CloudWatch examples use).
pub fn quoted(cursor: &mut Cursor) -> Result<String, PatternDiagnostic> {
    let open = cursor.here();
    cursor.bump();
    let mut text = String::new();
    loop {
        match cursor.bump() {
            None => {
                return Err(syntax(open, "unterminated quoted string")
                    .with_label("this quote is never closed")
                    .with_help("add the closing `\"`"));
            }
            Some('"') => return Ok(text),
            Some('\\') if matches!(cursor.peek(), Some('"' | '\\')) => {
                text.extend(cursor.bump());
            }
            Some(c) => text.push(c),
        }
    }
}

/// `%...%`: the regex body, checked against CloudWatch's supported subset.
pub fn regex_body(cursor: &mut Cursor) -> Result<String, PatternDiagnostic> {
    let open = cursor.here();
    cursor.bump();
    let body_start = cursor.pos();
    loop {
        match cursor.peek() {
            None => {
                return Err(syntax(open, "unterminated regular expression")
                    .with_label("this `%` is never closed")
                    .with_help("end the regular expression with `%`"));
            }
            Some('%') => break,
            Some('\\') => {
                cursor.bump();
                cursor.bump();
            }
            Some(_) => {
                cursor.bump();
            }
        }
    }
    let body = cursor.src()[body_start..cursor.pos()].to_string();
    cursor.bump();
    regex::check_subset(&body, body_start)?;
    Ok(body)
}

/// True when the cursor is at `&&` or `||`.
pub fn at_logical(cursor: &Cursor) -> bool {
    cursor.starts_with("&&") || cursor.starts_with("||")
}
