//! Each recursion bound of the pattern engine, proved with a generated input ten times
//! past it: a diagnostic at the offending position, never a stack overflow.

use serde_json::json;
use trailwatch::pattern::ast::{
    Comparison, Expr, JsonPattern, Op, Selector, Span, Step, Test, Value,
};
use trailwatch::pattern::{LogEvent, MAX_DEPTH, MAX_EVAL_DEPTH, MAX_FIELDS, Pattern, analyze};

/// `{ (((… $.a = 1 …))) }` with `depth` parentheses, alternating `||` and `&&` at each
/// level so the tree is as deep as the parser can make it.
fn nested_json(depth: usize) -> String {
    let mut text = String::from("{ ");
    for level in 0..depth {
        // `$.x = 0` is false and `$.z = 1` true, so the innermost comparison decides.
        text.push_str(if level % 2 == 0 {
            "$.x = 0 || $.z = 1 && ("
        } else {
            "$.z = 1 && $.x = 0 || ("
        });
    }
    text.push_str("$.a = 1");
    text.push_str(&")".repeat(depth));
    text.push_str(" }");
    text
}

/// The byte offset of the `n`th `(` (1-based).
fn nth_paren(text: &str, n: usize) -> usize {
    text.match_indices('(')
        .nth(n - 1)
        .map_or(usize::MAX, |(i, _)| i)
}

/// The refusal whose message contains `about` (a long input is also `too-long`).
fn refusal_about(text: &str, about: &str) -> trailwatch::pattern::PatternDiagnostic {
    let analysis = analyze(text);
    let found = analysis
        .diagnostics
        .iter()
        .find(|d| d.refused && d.message.contains(about));
    match found {
        Some(d) => d.clone(),
        None => panic!("no refusal about {about:?}: {:?}", analysis.diagnostics),
    }
}

fn tree_depth(expr: &Expr) -> usize {
    match expr {
        Expr::And(items, _) | Expr::Or(items, _) => {
            1 + items.iter().map(tree_depth).max().unwrap_or(0)
        }
        Expr::Cmp(_) => 0,
    }
}

#[test]
fn parentheses_ten_times_past_the_bound_are_refused_at_the_first_one_too_many() {
    let text = nested_json(MAX_DEPTH * 10);
    let refusal = refusal_about(&text, "nested too deeply");
    assert_eq!(refusal.span.start, nth_paren(&text, MAX_DEPTH + 1));
}

#[test]
fn the_deepest_accepted_pattern_evaluates_in_full() {
    let text = nested_json(MAX_DEPTH);
    let analysis = analyze(&text);
    // Over 1,024 characters (so CloudWatch refuses it), but it parses.
    assert!(analysis.pattern.is_some(), "{:?}", analysis.refusal());
    let Some(Pattern::Json(JsonPattern { expr, .. })) = &analysis.pattern else {
        panic!("a JSON pattern");
    };
    // The evaluation bound never cuts a tree the parser built.
    assert!(tree_depth(expr) <= MAX_EVAL_DEPTH, "{}", tree_depth(expr));
    let pattern = analysis.pattern.as_ref().expect("parsed");
    assert!(pattern.matches(&LogEvent::from_json(json!({"a": 1, "x": 1, "z": 1}))));
    assert!(!pattern.matches(&LogEvent::from_json(json!({"a": 2, "x": 1, "z": 1}))));
}

#[test]
fn parentheses_in_a_space_delimited_slot_have_the_same_bound() {
    let deep = MAX_DEPTH * 10;
    let text = format!("[{}a = 1{}, b]", "(".repeat(deep), ")".repeat(deep));
    let refusal = refusal_about(&text, "nested too deeply");
    assert_eq!(refusal.span.start, nth_paren(&text, MAX_DEPTH + 1));
}

#[test]
fn fields_ten_times_past_the_bound_are_refused_at_the_first_one_too_many() {
    let fields = vec!["f"; MAX_FIELDS * 10].join(", ");
    let text = format!("[{fields}]");
    let refusal = refusal_about(&text, "fields in a space-delimited pattern");
    // Field n (1-based) starts at 1 + 3 * (n - 1).
    assert_eq!(refusal.span.start, 1 + 3 * MAX_FIELDS);
    // At the bound: accepted, and a line with that many tokens matches.
    let at_bound = format!("[{}, last = x]", vec!["f"; MAX_FIELDS - 1].join(", "));
    let analysis = analyze(&at_bound);
    let pattern = analysis.pattern.as_ref().expect("parsed");
    let line = format!("{} x", vec!["t"; MAX_FIELDS - 1].join(" "));
    assert!(pattern.matches(&LogEvent::from_text(line)));
    // Empty slots count too.
    let commas = format!("[a{}]", ",".repeat(MAX_FIELDS * 10));
    refusal_about(&commas, "fields in a space-delimited pattern");
}

fn cmp(value: f64) -> Expr {
    Expr::Cmp(Comparison {
        selector: Selector {
            steps: vec![Step::Field("a".to_string())],
            span: Span::default(),
        },
        test: Test::Compare {
            op: Op::Eq,
            value: Value::Number {
                text: value.to_string(),
                value,
                span: Span::default(),
            },
            op_span: Span::default(),
        },
        span: Span::default(),
    })
}

#[test]
fn evaluation_of_a_tree_ten_times_past_the_bound_stops_at_the_bound() {
    // Only a tree built by hand can be this deep; it matches nothing instead of
    // overflowing. Evaluated on a small stack, where unbounded recursion would abort.
    let mut expr = cmp(1.0);
    for level in 0..MAX_EVAL_DEPTH * 10 {
        expr = if level % 2 == 0 {
            Expr::And(vec![expr], Span::default())
        } else {
            Expr::Or(vec![expr], Span::default())
        };
    }
    let pattern = Pattern::Json(JsonPattern {
        expr,
        span: Span::default(),
    });
    let event = LogEvent::from_json(json!({"a": 1}));
    let matched = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn_scoped(scope, || pattern.matches(&event))
            .expect("thread")
            .join()
            .expect("no overflow")
    });
    assert!(!matched);
    // Dropping the deep tree recurses too; do it on this (larger) stack, one level at a
    // time.
    let Pattern::Json(JsonPattern { mut expr, .. }) = pattern else {
        return;
    };
    while let Expr::And(mut items, _) | Expr::Or(mut items, _) = expr {
        expr = items.pop().unwrap_or_else(|| cmp(0.0));
    }
}

#[test]
fn selectors_of_any_length_cost_no_stack() {
    let long = format!("{{ $.{} = 1 }}", vec!["a"; 100_000].join("."));
    let analysis = analyze(&long);
    let pattern = analysis.pattern.as_ref().expect("parsed");
    // serde_json refuses input nested deeper than 128, so the deepest event a record
    // file can hold.
    let mut event = json!(1);
    for _ in 0..120 {
        event = json!({ "a": event });
    }
    assert!(!pattern.matches(&LogEvent::from_json(event)));
}

#[test]
fn regex_nesting_is_an_error_not_an_overflow() {
    let deep = 2_500;
    let text = format!("%{}a{}%", "[".repeat(deep), "]".repeat(deep));
    let analysis = analyze(&text);
    assert!(analysis.refusal().is_some());
}

#[test]
fn pattern_check_reports_the_depth_with_its_column() {
    let text = nested_json(MAX_DEPTH * 10);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["pattern", "check", "--format", "json", &text])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let diagnostics = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let diagnostic = diagnostics
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("nested")))
        .expect("a depth diagnostic");
    assert_eq!(diagnostic["refused"], true);
    assert_eq!(
        diagnostic["start"].as_u64(),
        Some(nth_paren(&text, MAX_DEPTH + 1) as u64)
    );
}
