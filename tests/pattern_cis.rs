//! Every CIS monitoring pattern (v1.2 to v6, with the v1.5+ variants) and every pattern in
//! the seeds parses, matches a realistic CloudTrail record of each event it names, and
//! does not match neighbouring events. Records and patterns live in `rules/*.toml`.

use serde_json::Value;
use trailwatch::pattern::ast::{Expr, Test, Value as PatternValue};
use trailwatch::pattern::{LogEvent, Pattern, analyze};
use trailwatch::rules::{Control, controls};

fn all_controls() -> Vec<Control> {
    controls().unwrap_or_else(|e| panic!("{e}"))
}

fn parsed(text: &str, context: &str) -> Pattern {
    let analysis = analyze(text);
    match analysis.pattern {
        Some(p) => p,
        None => panic!(
            "{context}: {text:?} does not parse: {:?}",
            analysis.diagnostics
        ),
    }
}

fn event(record: &str, context: &str) -> LogEvent {
    let json: Value = serde_json::from_str(record)
        .unwrap_or_else(|e| panic!("{context}: record is not JSON: {e}"));
    LogEvent::from_json(json)
}

/// The `eventName` values a pattern compares with `=` (wildcards included).
fn named_events(pattern: &Pattern) -> Vec<String> {
    fn walk(expr: &Expr, out: &mut Vec<String>) {
        match expr {
            Expr::And(items, _) | Expr::Or(items, _) => items.iter().for_each(|i| walk(i, out)),
            Expr::Cmp(cmp) => {
                if cmp.selector.path() == "$.eventName"
                    && let Test::Compare {
                        op: trailwatch::pattern::ast::Op::Eq,
                        value: PatternValue::Str { text, .. },
                        ..
                    } = &cmp.test
                {
                    out.push(text.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Pattern::Json(json) = pattern {
        walk(&json.expr, &mut out);
    }
    out
}

fn names(record: &str) -> String {
    serde_json::from_str::<Value>(record)
        .ok()
        .and_then(|v| {
            v.get("eventName")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_default()
}

#[test]
fn every_rule_file_is_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".toml")
                .to_string()
        })
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = all_controls().into_iter().map(|c| c.id).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    assert_eq!(embedded.len(), 16);
}

#[test]
fn every_cis_pattern_matches_each_event_it_names() {
    let mut checked = 0;
    for control in all_controls() {
        for cis in &control.cis {
            let context = format!(
                "{} CIS {} ({})",
                control.id,
                cis.section,
                cis.versions.join(",")
            );
            let pattern = parsed(&cis.pattern, &context);
            let wanted = named_events(&pattern);
            for sample in &control.must_match {
                let event_name = names(&sample.record);
                // An older benchmark version may not name an event added later.
                if !wanted.is_empty() && !wanted.iter().any(|w| w == &event_name || w.contains('*'))
                {
                    continue;
                }
                assert!(
                    pattern.matches(&event(&sample.record, &context)),
                    "{context}: must match {} but does not",
                    sample.event
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked > 150,
        "only {checked} (pattern, record) pairs checked"
    );
}

#[test]
fn every_event_a_cis_pattern_names_has_a_sample_record() {
    for control in all_controls() {
        let sampled: Vec<String> = control
            .must_match
            .iter()
            .map(|s| names(&s.record))
            .collect();
        for cis in &control.cis {
            for name in named_events(&parsed(&cis.pattern, &control.id)) {
                if !name.contains('*') {
                    assert!(
                        sampled.contains(&name),
                        "{}: no must_match record for {name}",
                        control.id
                    );
                }
            }
        }
    }
}

#[test]
fn recommended_pattern_matches_all_required_and_no_neighbouring_events() {
    for control in all_controls() {
        let pattern = parsed(&control.pattern, &control.id);
        let lints = analyze(&control.pattern);
        assert!(
            lints.worst() < Some(trailwatch::pattern::Severity::Warning),
            "{}: recommended pattern has lint findings: {:?}",
            control.id,
            lints.diagnostics
        );
        for sample in &control.must_match {
            assert!(
                pattern.matches(&event(&sample.record, &control.id)),
                "{}: misses {}",
                control.id,
                sample.event
            );
        }
        assert!(
            !control.should_not_match.is_empty(),
            "{} has no neighbouring events",
            control.id
        );
        for sample in &control.should_not_match {
            assert!(
                !pattern.matches(&event(&sample.record, &control.id)),
                "{}: fires on {} ({})",
                control.id,
                sample.event,
                sample.why.as_deref().unwrap_or("")
            );
        }
    }
}

fn iam_control() -> Control {
    all_controls()
        .into_iter()
        .find(|c| c.id == "iam-policy-changes")
        .expect("iam-policy-changes")
}

#[test]
fn seed_000_heredoc_is_a_quoted_term_that_matches_no_iam_event() {
    let heredoc = include_str!("../testdata/patterns/seed-000-heredoc.txt");
    let analysis = analyze(heredoc);
    let pattern = analysis
        .pattern
        .clone()
        .expect("the seed heredoc is a valid (useless) term pattern");
    assert!(matches!(pattern, Pattern::Terms(_)));
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"quoted-pattern"), "{codes:?}");
    assert!(codes.contains(&"missing-brace"), "{codes:?}");
    let control = iam_control();
    assert_eq!(control.must_match.len(), 16);
    for sample in &control.must_match {
        assert!(
            !pattern.matches(&event(&sample.record, "seed 000")),
            "matched {}",
            sample.event
        );
    }
    // The fix the diagnostic offers is a JSON pattern that catches all 16 events.
    let fix = analysis
        .diagnostics
        .iter()
        .find_map(|d| d.fix.clone())
        .expect("quoted-pattern offers a fix");
    let fixed = parsed(&fix, "seed 000 fix");
    for sample in &control.must_match {
        assert!(
            fixed.matches(&event(&sample.record, "fix")),
            "fix misses {}",
            sample.event
        );
    }
}

#[test]
fn seed_patterns_parse_and_match_what_they_describe() {
    let control = iam_control();
    let iam_records: Vec<LogEvent> = control
        .must_match
        .iter()
        .map(|s| event(&s.record, "iam"))
        .collect();
    // seeds/001: all IAM calls; IAM changes; authentication and authorization changes.
    let all_iam = parsed(r#"{ ($.eventSource = "iam.amazonaws.com") }"#, "001 a");
    let changes = parsed(
        r#"{ ( ($.eventSource = "iam.amazonaws.com") && (($.eventName = "Add*") || ($.eventName = "Change*") || ($.eventName = "Create*") || ($.eventName = "Deactivate*") || ($.eventName = "Delete*") || ($.eventName = "Enable*") || ($.eventName = "Put*") || ($.eventName = "Remove*") || ($.eventName = "Update*") || ($.eventName = "Upload*")) ) }"#,
        "001 b",
    );
    let authz = parsed(
        r#"{ ( ($.eventSource = "iam.amazonaws.com") && (($.eventName = "Put*Policy") || ($.eventName = "Create*") || ($.eventName = "Update*") || ($.eventName = "Upload*") || ($.eventName = "Delete*") || ($.eventName = "Remove*")) ) }"#,
        "001 c",
    );
    for record in &iam_records {
        assert!(all_iam.matches(record));
    }
    // Attach*/Detach* are neither "changes" prefixes in 001's second pattern...
    let attach = iam_records
        .iter()
        .filter(|r| r.message.contains("\"AttachRolePolicy\""))
        .count();
    assert_eq!(attach, 1);
    for record in &iam_records {
        let name = record
            .json
            .as_ref()
            .and_then(|j| j["eventName"].as_str())
            .unwrap_or("");
        let expected = [
            "Add",
            "Change",
            "Create",
            "Deactivate",
            "Delete",
            "Enable",
            "Put",
            "Remove",
            "Update",
            "Upload",
        ]
        .iter()
        .any(|p| name.starts_with(p));
        assert_eq!(changes.matches(record), expected, "001 b on {name}");
        // `Put*Policy` matches only the text `Put*Policy`: a `*` inside a value is a
        // literal ("Ev*ent will only match the actual string Ev*ent"), so no Put…Policy
        // event is caught by that branch.
        let expected = ["Create", "Update", "Upload", "Delete", "Remove"]
            .iter()
            .any(|p| name.starts_with(p));
        assert_eq!(authz.matches(record), expected, "001 c on {name}");
    }
    // seeds/002 (MFA deactivation) and 003 (CIS 4.5) name their events.
    let mfa = parsed("{($.eventName=DeactivateMFADevice)}", "002");
    let mfa_control = all_controls()
        .into_iter()
        .find(|c| c.id == "mfa-deactivation")
        .expect("mfa");
    assert!(mfa.matches(&event(&mfa_control.must_match[0].record, "002")));
    let trail = parsed(
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
        "003",
    );
    let trail_control = all_controls()
        .into_iter()
        .find(|c| c.id == "cloudtrail-config-changes")
        .expect("trail");
    for sample in &trail_control.must_match {
        assert!(
            trail.matches(&event(&sample.record, "003")),
            "003 misses {}",
            sample.event
        );
    }
    // seeds/004 is CIS 4.4, identical to the benchmark text in testdata.
    let cis44 = parsed(
        include_str!("../testdata/patterns/cis-4.4-iam-policy-changes.txt"),
        "004",
    );
    for record in &iam_records {
        assert!(cis44.matches(record));
    }
}
