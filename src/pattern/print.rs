//! Prints a pattern in one canonical form: single spaces around operators, string values
//! always quoted, parentheses wherever `&&` and `||` meet. `parse(print(p)) == p`.

use std::fmt::Write;

use super::ast::{Comparison, Expr, Field, Pattern, Step, Term, TermKind, TermText, Test, Value};
use super::parse::{is_plain_name_char, quote, terms_is_bare};

pub fn print(pattern: &Pattern) -> String {
    let mut out = String::new();
    match pattern {
        Pattern::MatchAll => {}
        Pattern::Terms(terms) => {
            for (i, term) in terms.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_term(&mut out, term);
            }
        }
        Pattern::Json(json) => {
            out.push_str("{ ");
            print_expr(&mut out, &json.expr, true);
            out.push_str(" }");
        }
        Pattern::Delimited(pattern) => {
            out.push('[');
            for (i, field) in pattern.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match field {
                    Field::Ellipsis(_) => out.push_str("..."),
                    Field::Named {
                        name,
                        condition: None,
                        ..
                    } => out.push_str(name),
                    Field::Named {
                        condition: Some(condition),
                        ..
                    } => print_expr(&mut out, condition, false),
                }
            }
            out.push(']');
        }
    }
    out
}

fn print_term(out: &mut String, term: &Term) {
    match term.kind {
        TermKind::Required => {}
        TermKind::Optional => out.push('?'),
        TermKind::Excluded => out.push('-'),
    }
    match &term.text {
        TermText::Literal { text, quoted } => {
            if !quoted && !text.is_empty() && text.chars().all(terms_is_bare) {
                out.push_str(text);
            } else {
                push_quoted(out, text);
            }
        }
        TermText::Regex(source) => {
            let _ = write!(out, "%{source}%");
        }
    }
}

fn push_quoted(out: &mut String, text: &str) {
    out.push_str(&quote(text));
}

/// `json` selects `$.a.b` selectors; space-delimited conditions use bare field names.
fn print_expr(out: &mut String, expr: &Expr, json: bool) {
    match expr {
        Expr::And(items, _) => print_list(out, items, " && ", json),
        Expr::Or(items, _) => print_list(out, items, " || ", json),
        Expr::Cmp(cmp) => print_comparison(out, cmp, json),
    }
}

fn print_list(out: &mut String, items: &[Expr], separator: &str, json: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        // Children are never of the parent's kind (the parser flattens), so any
        // nested And/Or is the other operator: always parenthesise it.
        if matches!(item, Expr::Cmp(_)) {
            print_expr(out, item, json);
        } else {
            out.push('(');
            print_expr(out, item, json);
            out.push(')');
        }
    }
}

fn print_comparison(out: &mut String, cmp: &Comparison, json: bool) {
    if json {
        out.push('$');
        for step in &cmp.selector.steps {
            match step {
                Step::Field(name) if !name.is_empty() && name.chars().all(is_plain_name_char) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Field(name) => {
                    let _ = write!(out, ".['{name}']");
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Step::Any => out.push_str("[*]"),
            }
        }
    } else if let Some(Step::Field(name)) = cmp.selector.steps.first() {
        out.push_str(name);
    }
    match &cmp.test {
        Test::IsNull => out.push_str(" IS NULL"),
        Test::IsTrue => out.push_str(" IS TRUE"),
        Test::IsFalse => out.push_str(" IS FALSE"),
        Test::NotExists => out.push_str(" NOT EXISTS"),
        Test::Compare { op, value, .. } => {
            let _ = write!(out, " {} ", op.as_str());
            print_value(out, value);
        }
    }
}

fn print_value(out: &mut String, value: &Value) {
    match value {
        Value::Str { text, .. } => push_quoted(out, text),
        Value::Number { text, .. } => out.push_str(text),
        Value::Regex { source, .. } => {
            let _ = write!(out, "%{source}%");
        }
    }
}
