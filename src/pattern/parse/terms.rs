//! Unstructured term patterns: `ERROR ?WARN -DEBUG "exact phrase" %regex%`.

use super::cursor::Cursor;
use super::syntax;
use super::value::{quoted, regex_body};
use crate::pattern::ast::{Term, TermKind, TermText};
use crate::pattern::diagnostic::PatternDiagnostic;

/// Characters a term may contain without quotes. The documentation says terms with
/// characters other than letters, digits and `_` must be quoted, and the 2018–2020 pages
/// name Unicode among them, so letters and digits are ASCII ones.
pub fn is_bare_term_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub fn parse(cursor: &mut Cursor) -> Result<Vec<Term>, PatternDiagnostic> {
    let mut terms = Vec::new();
    loop {
        cursor.skip_ws();
        if cursor.at_end() {
            return Ok(terms);
        }
        terms.push(term(cursor)?);
        if !cursor.at_end() && !cursor.peek().is_some_and(char::is_whitespace) {
            return Err(syntax(
                cursor.here(),
                format!(
                    "expected a space between terms, found {}",
                    cursor.describe_here()
                ),
            )
            .with_label("term continues here")
            .with_help(
                "separate terms with spaces, and quote a term that contains other characters",
            ));
        }
    }
}

fn term(cursor: &mut Cursor) -> Result<Term, PatternDiagnostic> {
    let start = cursor.pos();
    let kind = match cursor.peek() {
        Some('?') => {
            cursor.bump();
            TermKind::Optional
        }
        Some('-') => {
            cursor.bump();
            TermKind::Excluded
        }
        _ => TermKind::Required,
    };
    let text = match cursor.peek() {
        Some('"') => TermText::Literal {
            text: quoted(cursor)?,
            quoted: true,
        },
        Some('%') => TermText::Regex(regex_body(cursor)?),
        _ => {
            let word_start = cursor.pos();
            while cursor.peek().is_some_and(|c| !c.is_whitespace()) {
                let Some(c) = cursor.peek() else { break };
                if !is_bare_term_char(c) {
                    return Err(bad_term_char(cursor, word_start, c));
                }
                cursor.bump();
            }
            if cursor.pos() == word_start {
                return Err(syntax(
                    cursor.span_from(start).to(cursor.here()),
                    "expected a term after the prefix",
                )
                .with_label("empty term")
                .with_help("write `?term` or `-term` with no space after the prefix"));
            }
            TermText::Literal {
                text: cursor.src()[word_start..cursor.pos()].to_string(),
                quoted: false,
            }
        }
    };
    Ok(Term {
        kind,
        text,
        span: cursor.span_from(start),
    })
}

fn bad_term_char(cursor: &Cursor, word_start: usize, c: char) -> PatternDiagnostic {
    let rest = &cursor.src()[word_start..];
    let json_like = rest.contains("$.") || matches!(c, '(' | '{' | '=' | '$');
    if json_like {
        let err = syntax(
            cursor.here(),
            "this looks like a JSON pattern without its braces, which CloudWatch rejects",
        )
        .with_label(format!("`{c}` is not allowed in an unquoted term"));
        let missing_open = !rest.trim_start().starts_with('{');
        let mut err = err.with_help(
            "without `{`, CloudWatch reads this as plain terms; wrap the whole condition in `{ }`",
        );
        err.code = if missing_open {
            "missing-brace"
        } else {
            "syntax"
        };
        err
    } else {
        syntax(
            cursor.here(),
            format!("`{c}` is not allowed in an unquoted term"),
        )
        .with_label("needs quoting")
        .with_help(format!(
            "put the term in double quotes: `\"{}\"`",
            rest.split_whitespace().next().unwrap_or(rest)
        ))
    }
}
