//! `[field, field = value, ..., field != x*]`.

use super::cursor::Cursor;
use super::expr::parse_expr;
use super::json::{check_operand, operator};
use super::value::{at_logical, parse_value};
use super::{MAX_FIELDS, syntax};
use crate::pattern::ast::{Comparison, DelimitedPattern, Expr, Field, Selector, Span, Step, Test};
use crate::pattern::diagnostic::PatternDiagnostic;

pub fn parse(cursor: &mut Cursor) -> Result<DelimitedPattern, PatternDiagnostic> {
    let start = cursor.pos();
    let open = cursor.here();
    cursor.bump();
    let mut fields = Vec::new();
    'fields: loop {
        cursor.skip_ws();
        if cursor.at_end() {
            return Err(
                syntax(open, "space-delimited pattern is missing its closing `]`")
                    .with_label("opened here")
                    .with_help("end the field list with `]`"),
            );
        }
        if fields.len() >= MAX_FIELDS {
            return Err(too_many_fields(cursor.here()));
        }
        fields.push(field(cursor)?);
        cursor.skip_ws();
        match cursor.peek() {
            Some(',') => {
                cursor.bump();
                cursor.skip_ws();
                // An empty slot is an unnamed field: the 2018–2020 documentation's
                // `[..., request=*.html*, status_code=4*,]` extracts a seventh field
                // `$7` through its trailing comma.
                while let Some(next @ (',' | ']')) = cursor.peek() {
                    if fields.len() >= MAX_FIELDS {
                        return Err(too_many_fields(cursor.here()));
                    }
                    fields.push(Field::Named {
                        name: String::new(),
                        condition: None,
                        span: cursor.span_from(cursor.pos()),
                    });
                    cursor.bump();
                    if next == ']' {
                        break 'fields;
                    }
                    cursor.skip_ws();
                }
            }
            Some(']') => {
                cursor.bump();
                break;
            }
            None => {
                return Err(
                    syntax(open, "space-delimited pattern is missing its closing `]`")
                        .with_label("opened here")
                        .with_help("end the field list with `]`"),
                );
            }
            Some(_) => {
                return Err(syntax(
                    cursor.here(),
                    format!(
                        "expected `,` or `]` after a field, found {}",
                        cursor.describe_here()
                    ),
                )
                .with_label("unexpected")
                .with_help("separate fields with commas: `[ip, user, status = 404]`"));
            }
        }
    }
    let span = cursor.span_from(start);
    cursor.skip_ws();
    if !cursor.at_end() {
        return Err(syntax(
            Span::new(cursor.pos(), cursor.src().len()),
            "unexpected text after the closing `]`",
        )
        .with_label("outside the field list"));
    }
    check_condition_names(&fields)?;
    Ok(DelimitedPattern { fields, span })
}

fn too_many_fields(at: Span) -> PatternDiagnostic {
    syntax(
        at,
        format!("more than {MAX_FIELDS} fields in a space-delimited pattern"),
    )
    .with_label("one field too many")
    .with_help(
        "CloudWatch's 1,024-character limit leaves room for no more; remove fields or use `...`",
    )
}

fn is_field_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn field(cursor: &mut Cursor) -> Result<Field, PatternDiagnostic> {
    let start = cursor.pos();
    if cursor.eat("...") {
        return Ok(Field::Ellipsis(cursor.span_from(start)));
    }
    if cursor.peek() == Some('(') {
        // A slot that starts with a group, `(status = 4* || status = 5*) && ...`: its
        // field is the one its first comparison names.
        let condition = parse_expr(cursor, &mut |c: &mut Cursor| comparison(c))?;
        let mut name = String::new();
        visit_comparisons(&condition, &mut |cmp| {
            if let (true, Some(Step::Field(first))) = (name.is_empty(), cmp.selector.steps.first())
            {
                name = first.clone();
            }
        });
        return Ok(Field::Named {
            name,
            condition: Some(condition),
            span: cursor.span_from(start),
        });
    }
    let name = field_name(cursor)?;
    cursor.skip_ws();
    if matches!(cursor.peek(), Some(',' | ']') | None) {
        return Ok(Field::Named {
            name,
            condition: None,
            span: cursor.span_from(start),
        });
    }
    cursor.reset(start);
    let condition = parse_expr(cursor, &mut |c: &mut Cursor| comparison(c))?;
    Ok(Field::Named {
        name,
        condition: Some(condition),
        span: cursor.span_from(start),
    })
}

fn field_name(cursor: &mut Cursor) -> Result<String, PatternDiagnostic> {
    let start = cursor.pos();
    while cursor.peek().is_some_and(is_field_char) {
        cursor.bump();
    }
    if cursor.pos() == start {
        return Err(syntax(
            cursor.here(),
            format!(
                "expected a field name or `...`, found {}",
                cursor.describe_here()
            ),
        )
        .with_label("field name expected")
        .with_help(
            "name each field with letters, digits and `_`, e.g. `[ip, user, status = 404]`",
        ));
    }
    Ok(cursor.src()[start..cursor.pos()].to_string())
}

fn comparison(cursor: &mut Cursor) -> Result<Comparison, PatternDiagnostic> {
    cursor.skip_ws();
    let start = cursor.pos();
    let name = field_name(cursor)?;
    let selector = Selector {
        steps: vec![Step::Field(name)],
        span: cursor.span_from(start),
    };
    cursor.skip_ws();
    let op_start = cursor.pos();
    let op = operator(cursor)?;
    let op_span = cursor.span_from(op_start);
    cursor.skip_ws();
    let value = parse_value(cursor, |c| {
        at_logical(c) || matches!(c.peek(), Some(',' | ']' | ')'))
    })?;
    check_operand(op, &value, op_span)?;
    Ok(Comparison {
        selector,
        test: Test::Compare { op, value, op_span },
        span: cursor.span_from(start),
    })
}

/// Every condition in a slot names that slot's own field: CloudWatch answers
/// `[..., status = 4* && bytes > 1000]` with "Invalid filter pattern".
fn check_condition_names(fields: &[Field]) -> Result<(), PatternDiagnostic> {
    for field in fields {
        if let Field::Named {
            name,
            condition: Some(condition),
            ..
        } = field
        {
            let mut other = None;
            visit_comparisons(condition, &mut |cmp| {
                if let Some(Step::Field(used)) = cmp.selector.steps.first()
                    && used != name
                    && other.is_none()
                {
                    other = Some((used.clone(), cmp.selector.span));
                }
            });
            if let Some((used, span)) = other {
                return Err(syntax(span, format!("a condition in the `{name}` field names `{used}`; each field's conditions may only test that field"))
                    .with_label("other field")
                    .with_help(format!("move this condition to the `{used}` field's own slot")));
            }
        }
    }
    Ok(())
}

pub fn visit_comparisons<'a>(expr: &'a Expr, visit: &mut impl FnMut(&'a Comparison)) {
    match expr {
        Expr::And(items, _) | Expr::Or(items, _) => {
            for item in items {
                visit_comparisons(item, visit);
            }
        }
        Expr::Cmp(cmp) => visit(cmp),
    }
}
