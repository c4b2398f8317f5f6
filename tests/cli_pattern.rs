//! `trailwatch pattern check|test` through the real binary, with snapshots of what users see.

use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn trailwatch(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the trailwatch binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("trailwatch finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(pattern: &str) -> Run {
    trailwatch(&["pattern", "check", pattern], None)
}

const SEED_000: &str = include_str!("../testdata/patterns/seed-000-heredoc.txt");
const CIS_44: &str = include_str!("../testdata/patterns/cis-4.4-iam-policy-changes.txt");

#[test]
fn valid_pattern_exits_0_with_canonical_form() {
    let run = check("{($.eventName=DeactivateMFADevice)}");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn seed_000_heredoc_is_reported_with_a_fix() {
    let run = trailwatch(&["pattern", "check", "-"], Some(SEED_000));
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("pattern::quoted-pattern"));
    assert!(
        run.stdout
            .contains("use: { $.eventName = \"DeleteGroupPolicy\" || ")
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn syntax_errors_exit_2_and_point_at_the_character() {
    for (name, pattern) in [
        ("double-equals", r#"{ $.eventName == "ConsoleLogin" }"#),
        (
            "unbalanced-paren",
            r#"{ ($.eventName = "A" || $.eventName = "B" }"#,
        ),
        (
            "missing-open-brace",
            r#"($.eventName = "A") || ($.eventName = "B")"#,
        ),
        ("missing-close-brace", r#"{ $.eventName = "A""#),
        ("unterminated-quote", r#"{ $.eventName = "A }"#),
        ("regex-group", r#"{ $.eventName = %(Put|Delete)Policy% }"#),
        ("exists", r#"{ $.errorCode EXISTS }"#),
        ("string-ordering", r#"{ $.eventName > "A" }"#),
        (
            "delimited-other-field",
            r#"[ip, status = 4* && bytes > 10, bytes]"#,
        ),
    ] {
        let run = check(pattern);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        insta::assert_snapshot!(format!("syntax-{name}"), run.stdout);
    }
}

#[test]
fn lints_exit_1_with_their_code() {
    for (name, pattern, code) in [
        (
            "selector-case",
            r#"{ $.eventname = "ConsoleLogin" }"#.to_string(),
            "selector-case",
        ),
        (
            "boolean",
            r#"{ $.readOnly = "false" }"#.to_string(),
            "boolean-as-string",
        ),
        (
            "and-of-alternatives",
            r#"{ $.eventName = "A" && $.eventName = "B" }"#.to_string(),
            "and-of-alternatives",
        ),
        (
            "or-of-exclusions",
            r#"{ $.eventName != "A" || $.eventName != "B" }"#.to_string(),
            "or-of-exclusions",
        ),
        (
            "ne-optional",
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy != "x" }"#.to_string(),
            "ne-on-optional-field",
        ),
        (
            "ignored-optional",
            "?ERROR ?WARN REQUEST".to_string(),
            "ignored-optional-term",
        ),
        (
            "inner-wildcard",
            r#"{ $.eventName = "Put*Policy" }"#.to_string(),
            "inner-wildcard",
        ),
    ] {
        let run = check(&pattern);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        assert!(
            run.stdout.contains(&format!("pattern::{code}")),
            "{name}: {}",
            run.stdout
        );
        insta::assert_snapshot!(format!("lint-{name}"), run.stdout);
    }
}

/// Patterns CloudWatch refuses although they parse: PutMetricFilter fails, so they exit 2
/// like syntax errors and say that `terraform apply` fails.
#[test]
fn documented_limits_are_refusals_that_exit_2() {
    let long = format!(
        "{{ {} }}",
        vec!["$.eventName = \"CreateUser\""; 40].join(" || ")
    );
    for (name, pattern, code) in [
        (
            "too-many-regexes",
            "{ $.a = %a% || $.b = %b% || $.c = %c% }".to_string(),
            "too-many-regexes",
        ),
        ("too-long", long, "too-long"),
        (
            "too-many-wildcard-selectors",
            "{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.d[*] = 1 }".to_string(),
            "too-many-wildcard-selectors",
        ),
        (
            "needs-quotes",
            "{ $.userIdentity.arn = arn:aws:iam::1:user/a@b }".to_string(),
            "needs-quotes",
        ),
    ] {
        let run = check(&pattern);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        assert!(
            run.stdout.contains(&format!("pattern::{code}")),
            "{name}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("`terraform apply` fails"), "{name}");
        insta::assert_snapshot!(format!("refused-{name}"), run.stdout);
    }
}

#[test]
fn test_refuses_a_refused_pattern() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "{ $.a = %a% || $.b = %b% || $.eventName = %Console% }",
            "testdata/cloudtrail/console-logins.jsonl",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("pattern::too-many-regexes"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("records matched"), "{}", run.stdout);
}

#[test]
fn notes_do_not_fail() {
    let run = check(
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("pattern::mixed-and-or"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn check_json_format() {
    let run = trailwatch(
        &["pattern", "check", "--format", "json", "-"],
        Some(SEED_000),
    );
    assert_eq!(run.code, 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(value["valid"], true);
    assert_eq!(value["kind"], "term");
    assert_eq!(value["diagnostics"][0]["code"], "quoted-pattern");
    assert_eq!(value["diagnostics"][0]["line"], 1);
    assert_eq!(value["diagnostics"][1]["code"], "missing-brace");
    assert_eq!(value["diagnostics"][1]["column"], 2);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn test_reports_each_record_and_a_count() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "-",
            "testdata/cloudtrail/iam-policy-events.json",
        ],
        Some(CIS_44),
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.ends_with("16 of 18 records matched\n"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
    let seed = trailwatch(
        &[
            "pattern",
            "test",
            "-",
            "testdata/cloudtrail/iam-policy-events.json",
        ],
        Some(SEED_000),
    );
    assert_eq!(seed.code, 0, "no match is not an error");
    assert!(seed.stdout.ends_with("0 of 18 records matched\n"));
}

#[test]
fn test_json_format() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "--format",
            "json",
            r#"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }"#,
            "testdata/cloudtrail/console-logins.jsonl",
        ],
        None,
    );
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(value["matched"], 1);
    assert_eq!(value["total"], 2);
    assert_eq!(value["records"][0]["matched"], true);
    assert_eq!(value["records"][1]["matched"], false);
    assert_eq!(value["records"][1]["line"], 3);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn test_raw_text_lines() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "--text",
            "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
            "testdata/cloudtrail/access.log",
        ],
        None,
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.ends_with("1 of 2 records matched\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_files_are_named_and_the_others_still_tested() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "{ $.eventName = * }",
            "testdata/cloudtrail/missing.json",
            "testdata/cloudtrail/not-json-line.jsonl",
            "testdata/cloudtrail/console-logins.jsonl",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("testdata/cloudtrail/missing.json: cannot read"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("testdata/cloudtrail/not-json-line.jsonl:2:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--text"), "{}", run.stderr);
    // The good first line of the broken file is still tested.
    assert!(
        run.stdout.ends_with("3 of 3 records matched\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn test_with_a_syntax_error_exits_2() {
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "{ $.eventName = ",
            "testdata/cloudtrail/console-logins.jsonl",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("expected a value"), "{}", run.stdout);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let first = trailwatch(&["pattern", "check", "-"], Some(SEED_000));
    let second = trailwatch(&["pattern", "check", "-"], Some(SEED_000));
    assert_eq!(first.stdout, second.stdout);
}

/// NUL, ESC and other control characters are linted with their position, and no output
/// carries them raw (an OSC sequence in a pattern must not retitle or clear a terminal).
#[test]
fn control_characters_are_linted_and_never_printed_raw() {
    let pattern = "{ $.eventName = \"A\u{1b}]0;owned\u{7}B\" && $.b = \"x\0y\" }";
    let run = trailwatch(&["pattern", "check", "-"], Some(pattern));
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("pattern::control-character"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ESC (and 2 more)"), "{}", run.stdout);
    assert!(
        run.stdout.contains(r"\u{1b}]0;owned\u{7}B"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r"\x1b"),
        "the help names the regex escape"
    );
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stdout
    );
    // The span points at the ESC: column 19 of the pattern.
    let json = trailwatch(
        &["pattern", "check", "--format", "json", "-"],
        Some(pattern),
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert_eq!(value["diagnostics"][0]["code"], "control-character");
    assert_eq!(value["diagnostics"][0]["column"], 19);
    assert_eq!(value["diagnostics"][0]["refused"], false);

    let dir = tempfile::tempdir().expect("tempdir");
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, "{\"eventName\":\"X\\u001b[2J\"}\n").expect("write");
    let run = trailwatch(
        &[
            "pattern",
            "test",
            "{ $.eventName = * }",
            &records.to_string_lossy(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(r"X\u{1b}[2J"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}

/// The pattern read from standard input is bounded: `/dev/zero` is an error, not a hang
/// or an exhausted memory.
#[test]
fn a_pattern_on_standard_input_is_bounded() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["pattern", "check", "-"])
        .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("longer than 1 MiB"), "{stderr}");
}

/// A full disk is a clear error (exit 2) in both subcommands, never a panic.
#[test]
fn write_errors_are_clear_errors() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        vec!["pattern", "check", "{ $.eventName = x }"],
        vec!["pattern", "check", "{ $.eventName = "],
        vec![
            "pattern",
            "test",
            "{ $.eventName = * }",
            "testdata/cloudtrail/console-logins.jsonl",
        ],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::fs::File::create("/dev/full").expect("/dev/full"))
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("No space left"), "{args:?}: {stderr}");
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
    }
}
