//! `%regex%` values: CloudWatch's regex subset, checked at parse time and compiled to the
//! `regex` crate (linear time, so a hostile pattern cannot make matching backtrack).

use super::ast::Span;
use super::diagnostic::PatternDiagnostic;

/// Characters CloudWatch accepts inside `%…%`: ASCII letters and digits, the symbols
/// `: _ # = @ / ; , -` and space, and the operators `^ $ ? [ ] { } | \ * + .`.
/// Parentheses (sub-patterns) and multi-byte characters are not supported.
fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ':' | '_'
                | '#'
                | '='
                | '@'
                | '/'
                | ';'
                | ','
                | '-'
                | ' '
                | '^'
                | '$'
                | '?'
                | '['
                | ']'
                | '{'
                | '}'
                | '|'
                | '\\'
                | '*'
                | '+'
                | '.'
        )
}

/// Checks `body` (which starts at byte `offset` of the pattern) against the subset.
pub fn check_subset(body: &str, offset: usize) -> Result<(), PatternDiagnostic> {
    for (i, c) in body.char_indices() {
        if !is_allowed(c) {
            let span = Span::new(offset + i, offset + i + c.len_utf8());
            let help = match c {
                '(' | ')' => {
                    "CloudWatch regular expressions have no groups: use `|` between whole alternatives, or `[...]` for one character"
                }
                _ if !c.is_ascii() => "CloudWatch regular expressions accept ASCII characters only",
                _ => {
                    "CloudWatch supports letters, digits, `:_#=@/;,-` and the operators `^$?[]{}|\\*+.`"
                }
            };
            return Err(PatternDiagnostic::refusal(
                "syntax",
                span,
                format!("`{c}` is not supported in a CloudWatch regular expression"),
            )
            .with_label("unsupported")
            .with_help(help));
        }
    }
    if let Err(err) = compile(body) {
        return Err(PatternDiagnostic::refusal(
            "syntax",
            Span::new(offset, offset + body.len()),
            format!(
                "invalid regular expression: {}",
                first_line(&err.to_string())
            ),
        )
        .with_label("here"));
    }
    Ok(())
}

fn first_line(text: &str) -> &str {
    text.lines()
        .rfind(|l| l.starts_with("error:"))
        .unwrap_or(text)
}

/// True when `body` (already checked at parse time) matches somewhere in `text`.
/// Compiled regexes are cached per thread: a pattern is evaluated on many records.
pub fn is_match(body: &str, text: &str) -> bool {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 4096 {
            cache.clear();
        }
        cache
            .entry(body.to_string())
            .or_insert_with(|| compile(body).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    })
}

/// Compiles a regex body. CloudWatch searches for the regex anywhere in the value
/// (use `^…$` to anchor), and matching is case-sensitive.
pub fn compile(body: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(body)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
}
