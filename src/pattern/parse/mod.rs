//! Recursive-descent parser for the three filter-pattern languages. It never panics and
//! never recurses deeper than `MAX_DEPTH`, whatever the input.

mod cursor;
mod delimited;
mod expr;
mod json;
mod terms;
mod value;

use super::ast::{Pattern, Span, Term, TermKind};
use super::diagnostic::PatternDiagnostic;
use cursor::Cursor;
pub use json::is_plain_name_char;
pub use terms::is_bare_term_char as terms_is_bare;
pub use value::parse_number as number;
pub use value::quote;

/// Parenthesis nesting allowed before we refuse (protects the stack on hostile input;
/// CloudWatch's own 1,024-character limit keeps real patterns far below it).
pub const MAX_DEPTH: usize = 64;

/// Fields a space-delimited pattern may have. Matching recurses once per field, and a
/// pattern with more cannot fit in CloudWatch's 1,024 characters (`[a,a,…]` with 513
/// fields is 1,027), so the bound refuses nothing CloudWatch accepts.
pub const MAX_FIELDS: usize = 512;

/// Parses a filter pattern. Leading and trailing whitespace is ignored, as CloudWatch does.
pub fn parse(text: &str) -> Result<Pattern, PatternDiagnostic> {
    let mut cursor = Cursor::new(text);
    cursor.skip_ws();
    match cursor.peek() {
        None => Ok(Pattern::MatchAll),
        Some('{') => json::parse(&mut cursor).map(Pattern::Json),
        Some('[') => delimited::parse(&mut cursor).map(Pattern::Delimited),
        Some(_) => terms::parse(&mut cursor).map(|terms| {
            // The documentation's "match everything" pattern is `" "` (`""` in 2018–2020):
            // quoted blank terms alone are the empty pattern.
            if terms.iter().all(is_blank_required) {
                Pattern::MatchAll
            } else {
                Pattern::Terms(terms)
            }
        }),
    }
}

/// A required quoted term with nothing but spaces in it.
fn is_blank_required(term: &Term) -> bool {
    term.kind == TermKind::Required && term.text.is_blank()
}

/// A syntax error at `span`: CloudWatch refuses the pattern.
fn syntax(span: Span, message: impl Into<String>) -> PatternDiagnostic {
    PatternDiagnostic::refusal("syntax", span, message)
}
