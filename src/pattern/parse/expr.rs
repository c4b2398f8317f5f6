//! `&&`, `||` and parentheses over comparisons, shared by JSON and space-delimited
//! patterns. `&&` binds tighter than `||` (see `docs/pattern-language.md`).

use super::cursor::Cursor;
use super::{MAX_DEPTH, syntax};
use crate::pattern::ast::{Comparison, Expr};
use crate::pattern::diagnostic::PatternDiagnostic;

type Comparer<'f> = dyn FnMut(&mut Cursor) -> Result<Comparison, PatternDiagnostic> + 'f;

pub fn parse_expr(
    cursor: &mut Cursor,
    comparison: &mut Comparer,
) -> Result<Expr, PatternDiagnostic> {
    parse_or(cursor, comparison, 0)
}

fn parse_or(
    cursor: &mut Cursor,
    comparison: &mut Comparer,
    depth: usize,
) -> Result<Expr, PatternDiagnostic> {
    let first = parse_and(cursor, comparison, depth)?;
    let mut items = vec![first];
    loop {
        cursor.skip_ws();
        if !cursor.eat("||") {
            break;
        }
        items.push(parse_and(cursor, comparison, depth)?);
    }
    Ok(combine(items, Expr::Or, |e| matches!(e, Expr::Or(..))))
}

fn parse_and(
    cursor: &mut Cursor,
    comparison: &mut Comparer,
    depth: usize,
) -> Result<Expr, PatternDiagnostic> {
    let first = parse_unary(cursor, comparison, depth)?;
    let mut items = vec![first];
    loop {
        cursor.skip_ws();
        if !cursor.eat("&&") {
            break;
        }
        items.push(parse_unary(cursor, comparison, depth)?);
    }
    Ok(combine(items, Expr::And, |e| matches!(e, Expr::And(..))))
}

fn parse_unary(
    cursor: &mut Cursor,
    comparison: &mut Comparer,
    depth: usize,
) -> Result<Expr, PatternDiagnostic> {
    cursor.skip_ws();
    if cursor.peek() != Some('(') {
        if cursor.starts_with("&&") || cursor.starts_with("||") {
            return Err(syntax(
                cursor.span_from(cursor.pos()).to(cursor.here()),
                "expected a comparison before this operator",
            )
            .with_label("nothing on its left")
            .with_help(
                "remove the doubled operator, or write a comparison such as `$.eventName = \"X\"`",
            ));
        }
        return comparison(cursor).map(Expr::Cmp);
    }
    let open = cursor.here();
    if depth >= MAX_DEPTH {
        return Err(syntax(open, "parentheses nested too deeply")
            .with_label("one level too many")
            .with_help(format!("trailwatch accepts at most {MAX_DEPTH} levels; CloudWatch's 1,024-character limit keeps real patterns far below that")));
    }
    cursor.bump();
    let inner = parse_or(cursor, comparison, depth + 1)?;
    cursor.skip_ws();
    if cursor.peek() != Some(')') {
        return Err(syntax(
            open,
            format!(
                "unbalanced parentheses: this `(` is not closed (found {} instead)",
                cursor.describe_here()
            ),
        )
        .with_label("opened here")
        .with_help("add the missing `)`"));
    }
    cursor.bump();
    // Parentheses only group; the tree keeps the grouped expression itself.
    Ok(inner)
}

/// Builds an n-ary node, flattening children of the same kind so `a && (b && c)` and
/// `a && b && c` give the same tree.
fn combine(
    mut items: Vec<Expr>,
    make: fn(Vec<Expr>, crate::pattern::ast::Span) -> Expr,
    same_kind: fn(&Expr) -> bool,
) -> Expr {
    if items.len() == 1
        && let Some(only) = items.pop()
    {
        return only;
    }
    let span = match (items.first(), items.last()) {
        (Some(first), Some(last)) => first.span().to(last.span()),
        _ => Default::default(),
    };
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        if !same_kind(&item) {
            flat.push(item);
        } else if let Expr::And(children, _) | Expr::Or(children, _) = item {
            flat.extend(children);
        }
    }
    make(flat, span)
}
