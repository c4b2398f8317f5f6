//! Property tests: the canonical printer round-trips, and no input makes the parser,
//! the linter or the evaluator panic.

use proptest::prelude::*;
use serde_json::json;
use trailwatch::pattern::ast::{
    Comparison, DelimitedPattern, Expr, Field, JsonPattern, Op, Selector, Span, Step, Term,
    TermKind, TermText, Test, Value,
};
use trailwatch::pattern::{LogEvent, Pattern, analyze, parse, print};

fn span() -> Span {
    Span::default()
}

fn string_value() -> impl Strategy<Value = Value> {
    "[ -~éß\\\\\"]{0,12}".prop_map(|text| Value::Str { text, span: span() })
}

fn number_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(|i| i.to_string()),
        "-?[0-9]{1,4}\\.[0-9]{1,3}",
        "[0-9]{1,3}[eE][+-]?[0-9]{1,2}",
    ]
    .prop_filter_map("finite number", |text| {
        let value = text.parse::<f64>().ok()?;
        Some(Value::Number {
            text,
            value,
            span: span(),
        })
    })
}

fn regex_value() -> impl Strategy<Value = Value> {
    "\\^?[a-z0-9]{1,4}(\\.\\*|\\[0-9\\]\\+|\\|[a-z]{1,3})?\\$?".prop_map(|source| Value::Regex {
        source,
        span: span(),
    })
}

fn json_test() -> impl Strategy<Value = Test> {
    let eq_ne = prop_oneof![Just(Op::Eq), Just(Op::Ne)];
    let any_op = prop_oneof![
        Just(Op::Eq),
        Just(Op::Ne),
        Just(Op::Lt),
        Just(Op::Le),
        Just(Op::Gt),
        Just(Op::Ge)
    ];
    prop_oneof![
        (eq_ne.clone(), string_value()).prop_map(|(op, value)| compare(op, value)),
        (eq_ne, regex_value()).prop_map(|(op, value)| compare(op, value)),
        (any_op, number_value()).prop_map(|(op, value)| compare(op, value)),
        Just(Test::IsNull),
        Just(Test::IsTrue),
        Just(Test::IsFalse),
        Just(Test::NotExists),
    ]
}

fn compare(op: Op, value: Value) -> Test {
    Test::Compare {
        op,
        value,
        op_span: span(),
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => "[A-Za-z_][A-Za-z0-9_-]{0,8}".prop_map(Step::Field),
        1 => "[a-z]{1,3}\\.[a-z ]{1,3}".prop_map(Step::Field),
        1 => (0usize..30).prop_map(Step::Index),
        1 => Just(Step::Any),
    ]
}

fn json_comparison() -> impl Strategy<Value = Expr> {
    (prop::collection::vec(step(), 1..4), json_test()).prop_map(|(steps, test)| {
        Expr::Cmp(Comparison {
            selector: Selector {
                steps,
                span: span(),
            },
            test,
            span: span(),
        })
    })
}

fn expr(leaf: impl Strategy<Value = Expr> + 'static) -> impl Strategy<Value = Expr> {
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| Expr::And(items, span())),
            prop::collection::vec(inner, 2..4).prop_map(|items| Expr::Or(items, span())),
        ]
    })
}

fn delimited_condition(name: String) -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (prop_oneof![Just(Op::Eq), Just(Op::Ne)], string_value()),
        (
            prop_oneof![Just(Op::Eq), Just(Op::Gt), Just(Op::Le)],
            number_value()
        ),
        (Just(Op::Eq), regex_value()),
    ]
    .prop_map(move |(op, value)| {
        Expr::Cmp(Comparison {
            selector: Selector {
                steps: vec![Step::Field(name.clone())],
                span: span(),
            },
            test: compare(op, value),
            span: span(),
        })
    });
    expr(leaf)
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        1 => Just(Field::Ellipsis(span())),
        2 => "[a-z][a-z0-9_]{0,5}".prop_map(|name| Field::Named { name, condition: None, span: span() }),
        2 => "[a-z][a-z0-9_]{0,5}".prop_flat_map(|name| delimited_condition(name.clone())
            .prop_map(move |c| Field::Named { name: name.clone(), condition: Some(c), span: span() })),
    ]
}

fn term() -> impl Strategy<Value = Term> {
    let kind = prop_oneof![
        Just(TermKind::Required),
        Just(TermKind::Optional),
        Just(TermKind::Excluded)
    ];
    let text = prop_oneof![
        "[A-Za-z0-9_]{1,8}".prop_map(|text| TermText::Literal {
            text,
            quoted: false
        }),
        "[ -~é\\\\\"]{0,10}".prop_map(|text| TermText::Literal { text, quoted: true }),
        regex_value().prop_map(|v| match v {
            Value::Regex { source, .. } => TermText::Regex(source),
            _ => TermText::Regex("a".into()),
        }),
    ];
    (kind, text).prop_map(|(kind, text)| Term {
        kind,
        text,
        span: span(),
    })
}

fn pattern() -> impl Strategy<Value = Pattern> {
    prop_oneof![
        Just(Pattern::MatchAll),
        prop::collection::vec(term(), 1..5).prop_map(Pattern::Terms),
        expr(json_comparison()).prop_map(|expr| Pattern::Json(JsonPattern { expr, span: span() })),
        prop::collection::vec(field(), 1..5).prop_map(|fields| Pattern::Delimited(
            DelimitedPattern {
                fields,
                span: span()
            }
        )),
    ]
}

/// The tree the parser builds for a generated one: nested `&&` in `&&` (and `||` in
/// `||`) is one n-ary node.
fn flatten(pattern: &Pattern) -> Pattern {
    fn flat(expr: &Expr) -> Expr {
        match expr {
            Expr::And(items, s) => Expr::And(merge(items, true), *s),
            Expr::Or(items, s) => Expr::Or(merge(items, false), *s),
            Expr::Cmp(c) => Expr::Cmp(c.clone()),
        }
    }
    fn merge(items: &[Expr], and: bool) -> Vec<Expr> {
        let mut out = Vec::new();
        for item in items.iter().map(flat) {
            match item {
                Expr::And(children, _) if and => out.extend(children),
                Expr::Or(children, _) if !and => out.extend(children),
                other => out.push(other),
            }
        }
        out
    }
    match pattern {
        Pattern::Json(json) => Pattern::Json(JsonPattern {
            expr: flat(&json.expr),
            span: json.span,
        }),
        Pattern::Delimited(d) => Pattern::Delimited(DelimitedPattern {
            fields: d
                .fields
                .iter()
                .map(|f| match f {
                    Field::Named {
                        name,
                        condition,
                        span,
                    } => Field::Named {
                        name: name.clone(),
                        condition: condition.as_ref().map(flat),
                        span: *span,
                    },
                    other => other.clone(),
                })
                .collect(),
            span: d.span,
        }),
        // Quoted blank terms alone are the documentation's "match everything" pattern.
        Pattern::Terms(terms)
            if terms
                .iter()
                .all(|t| t.kind == TermKind::Required && t.text.is_blank()) =>
        {
            Pattern::MatchAll
        }
        other => other.clone(),
    }
}

fn sample_record() -> LogEvent {
    LogEvent::from_json(json!({
        "eventName": "ConsoleLogin", "readOnly": false, "count": 3,
        "userIdentity": {"type": "Root"}, "resources": [{"ARN": "a"}, {"ARN": "b"}],
        "a": {"b c": "x"}, "n": null
    }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn print_then_parse_gives_the_same_pattern(generated in pattern()) {
        let text = print(&generated);
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e:?}")))?;
        prop_assert_eq!(parsed.without_spans(), flatten(&generated).without_spans(), "printed as {:?}", text);
        // Printing a parsed pattern is stable.
        prop_assert_eq!(print(&parsed), print(&flatten(&generated)));
    }

    #[test]
    fn analysis_never_panics_on_any_string(text in "\\PC{0,80}") {
        let analysis = analyze(&text);
        if let Some(p) = &analysis.pattern {
            let _ = p.matches(&sample_record());
            let _ = p.matches(&LogEvent::from_text(text.clone()));
            let canonical = print(p);
            prop_assert!(parse(&canonical).is_ok(), "canonical form {:?} of {:?} must parse", canonical, text);
        }
        for d in &analysis.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
    }

    #[test]
    fn pattern_shaped_noise_never_panics(text in "[{}\\[\\]()$.\"%*&|!=<> a-zA-Z0-9?,'\\\\-]{0,60}") {
        let analysis = analyze(&text);
        if let Some(p) = &analysis.pattern {
            let _ = p.matches(&sample_record());
            prop_assert!(parse(&print(p)).is_ok());
        }
        for d in &analysis.diagnostics {
            prop_assert!(d.span.end <= text.len());
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{{ {}$.a = 1{} }}", "(".repeat(10_000), ")".repeat(10_000));
    let analysis = analyze(&deep);
    assert!(analysis.has_syntax_error());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nested too deeply"))
    );
}
