//! Lints: patterns that parse but cannot be what the author meant, plus CloudWatch's
//! own limits. `analyze` is the one entry point (parse, then lint).

use super::ast::{
    Comparison, Expr, Field, Op, Pattern, Span, Step, TermKind, TermText, Test, Value,
};
use super::cloudtrail::{BOOLEAN_FIELDS, OPTIONAL_FIELDS, case_fix, is_under, known_field_depth};
use super::diagnostic::{PatternDiagnostic, Severity};
use super::{parse, print};

/// CloudWatch rejects longer patterns (PutMetricFilter: `filterPattern` ≤ 1,024 chars).
pub const MAX_PATTERN_CHARS: usize = 1024;
/// CloudWatch rejects a pattern with more regular expressions than this.
pub const MAX_REGEXES: usize = 2;

/// A pattern's parse result and every diagnostic about it, sorted by position.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub pattern: Option<Pattern>,
    pub diagnostics: Vec<PatternDiagnostic>,
}

impl Analysis {
    pub fn has_syntax_error(&self) -> bool {
        self.pattern.is_none()
    }

    /// The first reason CloudWatch refuses the pattern, if it does: a syntax error or
    /// a documented limit. A refused metric filter is never created (`terraform apply`
    /// fails), so it catches nothing.
    pub fn refusal(&self) -> Option<&PatternDiagnostic> {
        self.diagnostics.iter().find(|d| d.refused)
    }

    /// The worst severity among the diagnostics.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

pub fn analyze(text: &str) -> Analysis {
    let mut diagnostics = Vec::new();
    let chars = text.chars().count();
    if chars > MAX_PATTERN_CHARS {
        let cut = text
            .char_indices()
            .nth(MAX_PATTERN_CHARS)
            .map_or(text.len(), |(i, _)| i);
        diagnostics.push(
            PatternDiagnostic::refusal(
                "too-long",
                Span::new(cut, cut + text[cut..].chars().next().map_or(0, char::len_utf8)),
                format!("pattern is {chars} characters long; CloudWatch accepts at most {MAX_PATTERN_CHARS}"),
            )
            .with_label("beyond the limit")
            .with_help("split it into several metric filters that publish the same metric"),
        );
    }
    lint_control_characters(text, &mut diagnostics);
    let pattern = match parse(text) {
        Ok(pattern) => pattern,
        Err(mut error) => {
            if error.code == "missing-brace" && error.fix.is_none() {
                error.fix = brace_fix(text);
            }
            diagnostics.push(error);
            return finish(None, diagnostics);
        }
    };
    match &pattern {
        Pattern::Terms(terms) => {
            lint_quoted_json(text, terms, &mut diagnostics);
            lint_mixed_optional(terms, &mut diagnostics);
        }
        Pattern::Json(json) => {
            lint_expr(text, &json.expr, &mut diagnostics);
            lint_wildcard_selectors(&json.expr, &mut diagnostics);
        }
        Pattern::Delimited(delimited) => {
            for field in &delimited.fields {
                if let Field::Named {
                    condition: Some(condition),
                    ..
                } = field
                {
                    lint_logic(condition, &mut diagnostics);
                }
            }
        }
        Pattern::MatchAll => {}
    }
    lint_regex_count(&pattern, &mut diagnostics);
    finish(Some(pattern), diagnostics)
}

/// True for characters a pattern should never hold, and that are never printed as is: NUL
/// and the other C0/C1 controls, DEL, and the bidirectional controls. Tab, newline and
/// carriage return are whitespace (heredoc patterns span lines).
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c)
}

/// Unicode's bidirectional formatting characters (embeddings, overrides, isolates, marks):
/// invisible, they reorder how the text around them is displayed, so a reviewer reads
/// something other than what is there ("Trojan Source", CVE-2021-42574).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// NUL, ESC and other control characters: invisible in editors, able to rewrite a
/// terminal that prints the pattern, and in a value they must be matched byte for byte.
/// One diagnostic, at the first, counting them all.
fn lint_control_characters(text: &str, out: &mut Vec<PatternDiagnostic>) {
    let mut found = text.char_indices().filter(|(_, c)| is_hidden_control(*c));
    let Some((at, first)) = found.next() else {
        return;
    };
    let count = 1 + found.count();
    let name = match first {
        '\0' => "NUL".to_string(),
        '\u{1b}' => "ESC".to_string(),
        other if is_bidi_control(other) => {
            format!("U+{:04X} (bidirectional)", u32::from(other))
        }
        other => format!("U+{:04X}", u32::from(other)),
    };
    let more = if count > 1 {
        format!(" (and {} more)", count - 1)
    } else {
        String::new()
    };
    out.push(
        PatternDiagnostic::error(
            "control-character",
            Span::new(at, at + first.len_utf8()),
            format!("the pattern contains the control character {name}{more}, invisible in editors and terminals"),
        )
        .with_label(format!("{name} here"))
        .with_help(if is_bidi_control(first) {
            "remove it: it reorders how the text around it is shown, so the pattern reads differently from what CloudWatch matches".to_string()
        } else {
            format!(
                "remove it; to match this character in a log event, write it as `\\x{:02x}` inside a %regex%",
                u32::from(first)
            )
        }),
    );
}

fn finish(pattern: Option<Pattern>, mut diagnostics: Vec<PatternDiagnostic>) -> Analysis {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    Analysis {
        pattern,
        diagnostics,
    }
}

/// Wraps JSON-looking text in the braces it lacks and, if that parses, returns its
/// canonical form.
fn brace_fix(text: &str) -> Option<String> {
    let inner = text.trim();
    let inner = inner.strip_prefix('{').unwrap_or(inner);
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    match parse(&format!("{{ {inner} }}")) {
        Ok(pattern @ Pattern::Json(_)) => Some(print(&pattern)),
        _ => None,
    }
}

/// The seed `000_*` trap: a JSON pattern inside double quotes is one quoted term that
/// only matches events containing that literal text — no CloudTrail record does.
fn lint_quoted_json(text: &str, terms: &[super::ast::Term], out: &mut Vec<PatternDiagnostic>) {
    let [term] = terms else { return };
    let (
        TermKind::Required,
        TermText::Literal {
            text: inner,
            quoted: true,
        },
    ) = (term.kind, &term.text)
    else {
        return;
    };
    if !inner.contains("$.") {
        return;
    }
    let mut quoted = PatternDiagnostic::error(
        "quoted-pattern",
        term.span,
        "the whole pattern is in double quotes, so CloudWatch reads it as one quoted term: it matches only log events that contain this exact text, and no CloudTrail record does",
    )
    .with_label("quoted term, not a JSON pattern")
    .with_help("remove the surrounding quotes; a JSON pattern is written `{ $.field = value }`");
    if let Some(fix) = brace_fix(inner) {
        quoted = quoted.with_fix(fix);
    }
    out.push(quoted);
    // Point at the brace that is missing inside the quotes.
    let body_start = term.span.start + 1;
    let trimmed = inner.trim_start();
    let lead = inner.len() - trimmed.len();
    let opens = trimmed.starts_with('{');
    let closes = inner.trim_end().ends_with('}');
    if !opens || !closes {
        let (span, which) = if !opens {
            (
                Span::new(body_start + lead, body_start + lead + 1),
                "opening `{`",
            )
        } else {
            let end = body_start + inner.trim_end().len();
            (
                Span::new(end.saturating_sub(1).max(body_start), end),
                "closing `}`",
            )
        };
        let _ = text;
        out.push(
            PatternDiagnostic::error(
                "missing-brace",
                span,
                format!("the JSON condition inside the quotes also lacks its {which}"),
            )
            .with_label(format!("{which} expected here"))
            .with_help("a JSON pattern starts with `{` and ends with `}`"),
        );
    }
}

/// `?ERROR ?WARN REQUEST`: the documentation says the `?` terms are then ignored.
fn lint_mixed_optional(terms: &[super::ast::Term], out: &mut Vec<PatternDiagnostic>) {
    let optional: Vec<_> = terms
        .iter()
        .filter(|t| t.kind == TermKind::Optional)
        .collect();
    if optional.is_empty() || optional.len() == terms.len() {
        return;
    }
    for term in optional {
        out.push(
            PatternDiagnostic::warning(
                "ignored-optional-term",
                term.span,
                "a `?` term mixed with other terms is ignored by CloudWatch",
            )
            .with_label("ignored")
            .with_help("use only `?` terms for \"any of\", or use a JSON pattern with `||`"),
        );
    }
}

/// At most one wildcard in a selector and three in a pattern.
fn lint_wildcard_selectors(expr: &Expr, out: &mut Vec<PatternDiagnostic>) {
    let mut total = 0;
    visit(expr, &mut |cmp| {
        let count = cmp
            .selector
            .steps
            .iter()
            .filter(|s| **s == Step::Any)
            .count();
        if count > 1 {
            out.push(
                PatternDiagnostic::refusal(
                    "too-many-wildcard-selectors",
                    cmp.selector.span,
                    "CloudWatch accepts one wildcard (`[*]` or `.*`) per selector",
                )
                .with_label("more than one wildcard")
                .with_help("name all but one level of the path, e.g. `$.resources[*].ARN`"),
            );
        }
        total += count;
        if count > 0 && total > 3 && total - count <= 3 {
            out.push(
                PatternDiagnostic::refusal(
                    "too-many-wildcard-selectors",
                    cmp.selector.span,
                    "CloudWatch accepts at most three wildcard selectors in one pattern",
                )
                .with_label("one too many")
                .with_help(
                    "split the pattern into several metric filters that publish the same metric",
                ),
            );
        }
    });
}

fn lint_expr(text: &str, expr: &Expr, out: &mut Vec<PatternDiagnostic>) {
    lint_logic(expr, out);
    lint_precedence(text, expr, out);
    visit(expr, &mut |cmp| lint_comparison(cmp, out));
}

fn visit<'a>(expr: &'a Expr, f: &mut impl FnMut(&'a Comparison)) {
    match expr {
        Expr::And(items, _) | Expr::Or(items, _) => items.iter().for_each(|i| visit(i, f)),
        Expr::Cmp(cmp) => f(cmp),
    }
}

/// The dotted field path of a selector up to its first index (`userIdentity.type`).
fn field_path(cmp: &Comparison) -> String {
    let mut parts = Vec::new();
    for step in &cmp.selector.steps {
        match step {
            Step::Field(name) => parts.push(name.as_str()),
            _ => break,
        }
    }
    parts.join(".")
}

fn lint_comparison(cmp: &Comparison, out: &mut Vec<PatternDiagnostic>) {
    let path = field_path(cmp);
    // Case typos: check each prefix, so `$.UserIdentity.type` is caught too.
    // Only prefixes as deep as the deepest known field can differ from one in case, so a
    // selector of any length costs no more than that.
    let parts: Vec<&str> = path.split('.').collect();
    for n in 1..=parts.len().min(known_field_depth()) {
        let prefix = parts[..n].join(".");
        if let Some(right) = case_fix(&prefix) {
            let rest = &path[prefix.len()..];
            out.push(
                PatternDiagnostic::error(
                    "selector-case",
                    cmp.selector.span,
                    format!("`$.{prefix}` is not a CloudTrail field; selectors are case-sensitive, so this never matches"),
                )
                .with_label(format!("did you mean `$.{right}`?"))
                .with_help(format!("write `$.{right}{rest}`")),
            );
            break;
        }
    }
    let Test::Compare { op, value, .. } = &cmp.test else {
        return;
    };
    if let Value::Str { text, span } = value
        && text.trim_matches('*').contains('*')
    {
        let core = text.trim_matches('*');
        let anchor_start = if text.starts_with('*') { "" } else { "^" };
        let anchor_end = if text.ends_with('*') { "" } else { "$" };
        let inner = core
            .replace('.', "\\.")
            .split('*')
            .collect::<Vec<_>>()
            .join(".*");
        let regex_fix = format!("{anchor_start}{inner}{anchor_end}");
        out.push(
            PatternDiagnostic::error(
                "inner-wildcard",
                *span,
                format!("a `*` inside a value is a literal character in CloudWatch (only a leading or trailing `*` is a wildcard), so this matches only text containing `{core}` itself"),
            )
            .with_label("literal `*`")
            .with_help(format!("list the values joined with `||`, or use a regular expression such as `%{regex_fix}%`")),
        );
    }
    if BOOLEAN_FIELDS.contains(&path.as_str()) && matches!(op, Op::Eq | Op::Ne) {
        let wanted = match value {
            Value::Str { text, .. } if text == "true" => Some(*op == Op::Eq),
            Value::Str { text, .. } if text == "false" => Some(*op == Op::Ne),
            _ => None,
        };
        let mut diag = PatternDiagnostic::error(
            "boolean-as-string",
            cmp.span,
            format!("`$.{path}` is a JSON boolean, and comparing it with a string never matches"),
        )
        .with_label("string compared with a boolean")
        .with_help("test booleans with `IS TRUE` or `IS FALSE`");
        if let Some(wanted) = wanted {
            diag = diag.with_help(format!(
                "write `$.{path} IS {}`",
                if wanted { "TRUE" } else { "FALSE" }
            ));
        }
        out.push(diag);
    }
    if *op == Op::Ne && is_under(&path, OPTIONAL_FIELDS) {
        out.push(
            PatternDiagnostic::warning(
                "ne-on-optional-field",
                cmp.span,
                format!("`!=` never matches a record that has no `{path}`, and many CloudTrail records lack it"),
            )
            .with_label("false when the field is absent")
            .with_help(format!(
                "to match records without the field too, write `($.{path} NOT EXISTS || $.{path} != ...)`"
            )),
        );
    }
}

/// `&&` over alternatives of one field can never match; `||` over `!=` of one field
/// matches nearly everything.
fn lint_logic(expr: &Expr, out: &mut Vec<PatternDiagnostic>) {
    match expr {
        Expr::And(items, span) => {
            if let Some((a, b)) = same_field_pair(items, Op::Eq, is_exact) {
                out.push(
                    PatternDiagnostic::error(
                        "and-of-alternatives",
                        *span,
                        format!(
                            "`&&` requires `{}` to equal both {} and {} at once, so this never matches",
                            a.selector.path(),
                            value_text(a),
                            value_text(b)
                        ),
                    )
                    .with_label("can never be true")
                    .with_help("join alternatives of one field with `||`"),
                );
            }
            items.iter().for_each(|i| lint_logic(i, out));
        }
        Expr::Or(items, span) => {
            if let Some((a, b)) = same_field_pair(items, Op::Ne, |_| true) {
                out.push(
                    PatternDiagnostic::warning(
                        "or-of-exclusions",
                        *span,
                        format!(
                            "`||` of `!=` on `{}` matches every record (any value differs from {} or from {})",
                            a.selector.path(),
                            value_text(a),
                            value_text(b)
                        ),
                    )
                    .with_label("always true when the field is present")
                    .with_help("to exclude several values, join the `!=` conditions with `&&`"),
                );
            }
            items.iter().for_each(|i| lint_logic(i, out));
        }
        Expr::Cmp(_) => {}
    }
}

fn is_exact(value: &Value) -> bool {
    match value {
        Value::Str { text, .. } => !text.starts_with('*') && !text.ends_with('*'),
        Value::Number { .. } => true,
        Value::Regex { .. } => false,
    }
}

fn value_text(cmp: &Comparison) -> String {
    match &cmp.test {
        Test::Compare { value, .. } => match value {
            Value::Str { text, .. } => format!("\"{text}\""),
            Value::Number { text, .. } => text.clone(),
            Value::Regex { source, .. } => format!("%{source}%"),
        },
        _ => String::new(),
    }
}

/// Two direct children comparing the same selector with `op` and different values.
fn same_field_pair(
    items: &[Expr],
    op: Op,
    accept: impl Fn(&Value) -> bool,
) -> Option<(&Comparison, &Comparison)> {
    let cmps: Vec<&Comparison> = items
        .iter()
        .filter_map(|item| match item {
            Expr::Cmp(cmp) => match &cmp.test {
                Test::Compare { op: o, value, .. } if *o == op && accept(value) => Some(cmp),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for (i, a) in cmps.iter().enumerate() {
        for b in &cmps[i + 1..] {
            if a.selector.steps == b.selector.steps && value_text(a) != value_text(b) {
                return Some((a, b));
            }
        }
    }
    None
}

/// `A || B && C` without parentheses: `&&` binds tighter, which readers often miss.
fn lint_precedence(text: &str, expr: &Expr, out: &mut Vec<PatternDiagnostic>) {
    match expr {
        Expr::Or(items, _) => {
            for item in items {
                if let Expr::And(_, span) = item
                    && !is_parenthesised(text, *span)
                {
                    out.push(
                        PatternDiagnostic::note(
                            "mixed-and-or",
                            *span,
                            "`&&` binds tighter than `||`, so these conditions are grouped together before the `||`",
                        )
                        .with_label("evaluated as one group")
                        .with_help("add parentheses to make the grouping explicit"),
                    );
                }
                lint_precedence(text, item, out);
            }
        }
        Expr::And(items, _) => items.iter().for_each(|i| lint_precedence(text, i, out)),
        Expr::Cmp(_) => {}
    }
}

/// True when `span` is exactly the inside of one pair of parentheses.
fn is_parenthesised(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or("").trim_end();
    if !before.ends_with('(') {
        return false;
    }
    let open = before.len() - 1;
    let after = text.get(span.end..).unwrap_or("");
    let close = span.end + (after.len() - after.trim_start().len());
    matching_paren(text, open) == Some(close)
}

/// The byte offset of the `)` closing the `(` at `open`, skipping quoted strings and
/// regexes.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.get(open..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            '"' | '%' => {
                let mut escaped = false;
                for (_, inner) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if inner == '\\' {
                        escaped = true;
                    } else if inner == c {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn lint_regex_count(pattern: &Pattern, out: &mut Vec<PatternDiagnostic>) {
    let mut spans = Vec::new();
    match pattern {
        Pattern::Terms(terms) => {
            for term in terms {
                if let TermText::Regex(_) = term.text {
                    spans.push(term.span);
                }
            }
        }
        Pattern::Json(json) => visit(&json.expr, &mut |cmp| regex_span(cmp, &mut spans)),
        Pattern::Delimited(delimited) => {
            for field in &delimited.fields {
                if let Field::Named {
                    condition: Some(condition),
                    ..
                } = field
                {
                    visit(condition, &mut |cmp| regex_span(cmp, &mut spans));
                }
            }
        }
        Pattern::MatchAll => {}
    }
    if let Some(third) = spans.get(MAX_REGEXES) {
        out.push(
            PatternDiagnostic::refusal(
                "too-many-regexes",
                *third,
                format!(
                    "pattern has {} regular expressions; CloudWatch accepts at most {MAX_REGEXES} in one pattern",
                    spans.len()
                ),
            )
            .with_label("one too many")
            .with_help("use `*` wildcards, or split the pattern into several filters"),
        );
    }
}

fn regex_span(cmp: &Comparison, spans: &mut Vec<Span>) {
    if let Test::Compare {
        value: Value::Regex { span, .. },
        ..
    } = &cmp.test
    {
        spans.push(*span);
    }
}
