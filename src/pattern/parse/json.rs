//! `{ $.selector OP value && ... }`.

use super::cursor::Cursor;
use super::expr::parse_expr;
use super::syntax;
use super::value::{at_logical, parse_value};
use crate::pattern::ast::{Comparison, JsonPattern, Op, Selector, Span, Step, Test, Value};
use crate::pattern::diagnostic::PatternDiagnostic;

pub fn parse(cursor: &mut Cursor) -> Result<JsonPattern, PatternDiagnostic> {
    let start = cursor.pos();
    let open = cursor.here();
    cursor.bump();
    cursor.skip_ws();
    if cursor.peek() == Some('}') {
        return Err(syntax(cursor.span_from(start).to(cursor.here()), "empty JSON pattern")
            .with_help("write a condition inside the braces, e.g. `{ $.eventName = \"ConsoleLogin\" }`, or use the empty pattern to match every event"));
    }
    let expr = parse_expr(cursor, &mut |c: &mut Cursor| comparison(c))?;
    cursor.skip_ws();
    match cursor.peek() {
        Some('}') => {
            cursor.bump();
        }
        None => {
            // The condition is complete: only the brace is missing (the lint offers the fix).
            let mut error = syntax(open, "JSON pattern is missing its closing `}`")
                .with_label("opened here")
                .with_help("end the pattern with `}`");
            error.code = "missing-brace";
            return Err(error);
        }
        Some(')') => {
            return Err(syntax(
                cursor.here(),
                "unbalanced parentheses: this `)` closes nothing",
            )
            .with_label("no matching `(`")
            .with_help("remove it, or add the missing `(`"));
        }
        Some(_) => {
            return Err(syntax(
                cursor.here(),
                format!(
                    "expected `&&`, `||` or `}}`, found {}",
                    cursor.describe_here()
                ),
            )
            .with_label("unexpected")
            .with_help("join conditions with `&&` or `||`"));
        }
    }
    let span = cursor.span_from(start);
    cursor.skip_ws();
    if !cursor.at_end() {
        return Err(syntax(
            Span::new(cursor.pos(), cursor.src().len()),
            "unexpected text after the closing `}`",
        )
        .with_label("outside the JSON pattern")
        .with_help("move it inside the braces, or remove it"));
    }
    Ok(JsonPattern { expr, span })
}

fn comparison(cursor: &mut Cursor) -> Result<Comparison, PatternDiagnostic> {
    cursor.skip_ws();
    let start = cursor.pos();
    let selector = selector(cursor)?;
    cursor.skip_ws();
    let test = test(cursor)?;
    Ok(Comparison {
        selector,
        test,
        span: cursor.span_from(start),
    })
}

/// True for characters read as part of a dotted property name (wider than what
/// CloudWatch accepts, so a refusal can point at the character and offer the fix).
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | ':' | '#' | '/' | '+')
}

/// The characters of a dotted property name CloudWatch accepts: "Property selectors are
/// alphanumeric strings that support hyphen ("-") and underscore ("_") characters."
/// Other keys are written in bracket notation, `$.['cluster.name']`.
pub fn is_plain_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

fn selector(cursor: &mut Cursor) -> Result<Selector, PatternDiagnostic> {
    let start = cursor.pos();
    if cursor.peek() != Some('$') {
        let mut err = syntax(
            cursor.here(),
            format!(
                "expected a selector starting with `$.`, found {}",
                cursor.describe_here()
            ),
        )
        .with_label("selector expected");
        err = if cursor.peek().is_some_and(is_name_char) {
            err.with_help("JSON selectors start with `$.`, e.g. `$.eventName`")
        } else {
            err.with_help("write a condition such as `$.eventName = \"ConsoleLogin\"`")
        };
        return Err(err);
    }
    cursor.bump();
    let mut steps = Vec::new();
    loop {
        match cursor.peek() {
            Some('.') if cursor.rest().starts_with(".['") => {
                cursor.bump();
            }
            Some('[') if cursor.rest().starts_with("['") => {
                let open = cursor.here();
                cursor.eat("['");
                let name_start = cursor.pos();
                while cursor.peek().is_some_and(|c| c != '\'') {
                    cursor.bump();
                }
                let name = cursor.src()[name_start..cursor.pos()].to_string();
                if name.is_empty() || !cursor.eat("']") {
                    return Err(syntax(
                        open.to(cursor.here()),
                        "bracketed property name must be written `['name']`",
                    )
                    .with_label("unclosed or empty")
                    .with_help("write e.g. `$.['cluster.name']`"));
                }
                steps.push(Step::Field(name));
            }
            Some('.') => {
                cursor.bump();
                if cursor.eat("*") {
                    steps.push(Step::Any);
                    continue;
                }
                let name_start = cursor.pos();
                while cursor.peek().is_some_and(is_name_char) {
                    cursor.bump();
                }
                if cursor.pos() == name_start {
                    return Err(syntax(
                        cursor.here(),
                        format!(
                            "expected a property name after `.`, found {}",
                            cursor.describe_here()
                        ),
                    )
                    .with_label("property name expected")
                    .with_help("selectors look like `$.userIdentity.type`"));
                }
                let name = &cursor.src()[name_start..cursor.pos()];
                if let Some((i, c)) = name.char_indices().find(|(_, c)| !is_plain_name_char(*c)) {
                    let src = cursor.src();
                    let fixed = format!("{}['{name}']{}", &src[..name_start], &src[cursor.pos()..]);
                    return Err(PatternDiagnostic::refusal(
                        "needs-brackets",
                        Span::new(name_start + i, name_start + i + c.len_utf8()),
                        format!(
                            "`{}` in a property name: CloudWatch selectors are letters, digits, `-` and `_`",
                            c.escape_debug()
                        ),
                    )
                    .with_label("not allowed here")
                    .with_help(format!("write the key in bracket notation: `$.['{name}']`"))
                    .with_fix(fixed));
                }
                steps.push(Step::Field(name.to_string()));
            }
            Some('[') => {
                let open = cursor.here();
                cursor.bump();
                if cursor.eat("*]") {
                    steps.push(Step::Any);
                    continue;
                }
                let digits_start = cursor.pos();
                while cursor.peek().is_some_and(|c| c.is_ascii_digit()) {
                    cursor.bump();
                }
                let index = cursor.src()[digits_start..cursor.pos()].parse::<usize>();
                match (index, cursor.peek()) {
                    (Ok(index), Some(']')) => {
                        cursor.bump();
                        steps.push(Step::Index(index));
                    }
                    _ => {
                        return Err(syntax(
                            open.to(cursor.here()),
                            "array index must be a whole number or `*`, closed by `]`",
                        )
                        .with_label("bad index")
                        .with_help("write `$.resources[0].ARN` or `$.resources[*].ARN`"));
                    }
                }
            }
            _ => break,
        }
    }
    if steps.is_empty() {
        return Err(syntax(
            cursor.span_from(start),
            "a selector needs at least one property after `$`",
        )
        .with_label("bare `$`")
        .with_help("write e.g. `$.eventName`"));
    }
    Ok(Selector {
        steps,
        span: cursor.span_from(start),
    })
}

fn test(cursor: &mut Cursor) -> Result<Test, PatternDiagnostic> {
    let start = cursor.pos();
    if cursor.eat_keyword("IS") {
        cursor.skip_ws();
        return if cursor.eat_keyword("NULL") {
            Ok(Test::IsNull)
        } else if cursor.eat_keyword("TRUE") {
            Ok(Test::IsTrue)
        } else if cursor.eat_keyword("FALSE") {
            Ok(Test::IsFalse)
        } else {
            Err(syntax(
                cursor.span_from(start).to(cursor.here()),
                "expected `NULL`, `TRUE` or `FALSE` after `IS`",
            )
            .with_label("here")
            .with_help("keywords are upper case: `IS NULL`, `IS TRUE`, `IS FALSE`"))
        };
    }
    if cursor.eat_keyword("NOT") {
        cursor.skip_ws();
        if cursor.eat_keyword("EXISTS") {
            return Ok(Test::NotExists);
        }
        return Err(syntax(
            cursor.span_from(start).to(cursor.here()),
            "expected `EXISTS` after `NOT`",
        )
        .with_label("here")
        .with_help("write `$.field NOT EXISTS`"));
    }
    if cursor.eat_keyword("EXISTS") {
        return Err(syntax(
            cursor.span_from(start),
            "CloudWatch does not support `EXISTS`",
        )
        .with_label("not supported")
        .with_help(
            "use `$.field = \"*\"` to require the field, or `$.field NOT EXISTS` for its absence",
        ));
    }
    let op = operator(cursor)?;
    let op_span = cursor.span_from(start);
    cursor.skip_ws();
    let value = parse_value(cursor, |c| {
        at_logical(c) || matches!(c.peek(), Some(')' | '}'))
    })?;
    check_operand(op, &value, op_span)?;
    Ok(Test::Compare { op, value, op_span })
}

/// Reads a comparison operator (shared with space-delimited patterns).
pub fn operator(cursor: &mut Cursor) -> Result<Op, PatternDiagnostic> {
    let start = cursor.pos();
    if cursor.starts_with("==") {
        return Err(syntax(
            Span::new(start, start + 2),
            "`==` is not a filter-pattern operator",
        )
        .with_label("use `=`")
        .with_help("equality is a single `=`: `$.eventName = \"ConsoleLogin\"`"));
    }
    let op = if cursor.eat("!=") {
        Op::Ne
    } else if cursor.eat("<=") {
        Op::Le
    } else if cursor.eat(">=") {
        Op::Ge
    } else if cursor.eat("=") {
        Op::Eq
    } else if cursor.eat("<") {
        Op::Lt
    } else if cursor.eat(">") {
        Op::Gt
    } else {
        return Err(syntax(
            cursor.here(),
            format!("expected an operator (`=`, `!=`, `<`, `<=`, `>`, `>=`, `IS`, `NOT EXISTS`), found {}", cursor.describe_here()),
        )
        .with_label("operator expected"));
    };
    Ok(op)
}

/// Ordering operators take numbers; regexes go with `=` and `!=` only.
pub fn check_operand(op: Op, value: &Value, op_span: Span) -> Result<(), PatternDiagnostic> {
    let ordering = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    match value {
        Value::Number { .. } => Ok(()),
        Value::Str { span, .. } if ordering => Err(syntax(
            *span,
            format!(
                "`{}` compares numbers, but this value is not a number",
                op.as_str()
            ),
        )
        .with_label("not a number")
        .with_help("use `=` or `!=` for strings; numbers are written unquoted, e.g. `> 5`")),
        Value::Regex { .. } if ordering => Err(syntax(
            op_span,
            format!(
                "a regular expression cannot be compared with `{}`",
                op.as_str()
            ),
        )
        .with_label("use `=` or `!=`")),
        _ => Ok(()),
    }
}
