//! `--format github` as GitHub shows it: at most 10 annotations of each kind per step, the
//! most important first, missing controls at one place as one, and a closing annotation
//! that counts the rest (printed as plain log lines); through the real binary.

use std::process::Command;

fn trailwatch(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the trailwatch binary runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn kind(line: &str) -> Option<&str> {
    line.strip_prefix("::")?.split([' ', ':']).next()
}

const SHOWN: usize = 10;

#[test]
fn the_quoted_heredoc_comes_before_missing_controls_which_are_one_annotation() {
    let out = trailwatch(&[
        "check",
        "testdata/check/seed-000-quoted-heredoc",
        "--format",
        "github",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let quoted = lines
        .iter()
        .position(|l| l.contains("double quotes"))
        .expect("the quoted pattern is annotated");
    let missing: Vec<usize> = (0..lines.len())
        .filter(|i| lines[*i].contains("title=trailwatch control-missing"))
        .collect();
    assert_eq!(missing.len(), 1, "{out}");
    assert!(quoted < missing[0], "{out}");
    assert!(lines[missing[0]].contains("covers these 15 controls"));
    // Nothing is held back, so there is no closing annotation and no plain line.
    assert!(lines.iter().all(|l| l.starts_with("::")), "{out}");
    assert!(!out.contains("not annotated"));
}

#[test]
fn past_ten_of_a_kind_the_last_shown_says_how_many_more_and_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = format!("sarif={}", dir.path().join("t.sarif").display());
    let out = trailwatch(&[
        "check",
        "testdata/check",
        "--format",
        "github",
        "--report",
        &sarif,
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let commands: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("::"))
        .collect();
    for k in ["error", "warning", "notice"] {
        let n = commands.iter().filter(|l| kind(l) == Some(k)).count();
        assert!(n <= SHOWN, "{n} {k} annotations");
    }
    let closing = *commands.last().expect("annotations");
    assert!(
        closing.starts_with("::error title=trailwatch%3A "),
        "{closing}"
    );
    assert_eq!(
        commands.iter().filter(|l| kind(l) == Some("error")).count(),
        SHOWN,
        "nine errors and the closing one"
    );
    let hidden: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("trailwatch: "))
        .collect();
    assert!(closing.contains(&format!("{} more findings not annotated", hidden.len())));
    assert!(closing.contains("the lines after this one in the step's log"));
    assert!(
        closing.contains("the code scanning alerts"),
        "names the SARIF report of the same run: {closing}"
    );
    // Every line after the closing annotation is a plain log line, never a command.
    let after = lines.iter().position(|l| *l == closing).expect("closing") + 1;
    assert!(lines[after..].iter().all(|l| !l.starts_with("::")));
    // The closing annotation counts the hidden ones by level.
    let errors = hidden
        .iter()
        .filter(|l| l.starts_with("trailwatch: error: "))
        .count();
    assert!(closing.contains(&format!("({errors} errors")), "{closing}");
    // Most important first: levels never rise, and at one level no broken link comes after
    // a missing control.
    let rank = |l: &str| match kind(l).or_else(|| l.strip_prefix("trailwatch: ")?.split(':').next())
    {
        Some("error") => 0,
        Some("warning") => 1,
        _ => 2,
    };
    let shown = &commands[..commands.len() - 1];
    let mut seen_missing = [false; 3];
    for l in shown.iter().chain(hidden.iter()) {
        let r = rank(l);
        let missing = l.contains("control-missing");
        assert!(
            !seen_missing[r] || missing,
            "broken link after a missing control: {l}"
        );
        seen_missing[r] |= missing;
    }
    for list in [shown, &hidden[..]] {
        for pair in list.windows(2) {
            assert!(rank(pair[0]) <= rank(pair[1]), "{pair:?}");
        }
    }
}
