//! One analysis, every output: `--report FORMAT=PATH` beside `--format`/`--output`, the
//! line each written file prints on standard error, `--write-baseline`'s line, and the job
//! summary (`summary` format); through the real binary.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn trailwatch(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the trailwatch binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const SEED: &str = "testdata/check/seed-000-quoted-heredoc";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("the report was written")
}

#[test]
fn one_run_writes_every_report_as_separate_runs_would() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("out.json");
    let summary = dir.path().join("summary.md");
    let arg = |format: &str, path: &Path| format!("{format}={}", path.display());
    let run = trailwatch(&[
        "check",
        SEED,
        "--format",
        "github",
        "--report",
        &arg("sarif", &sarif),
        "--report",
        &arg("json", &json),
        "--report",
        &arg("summary", &summary),
        "--sarif-category",
        "infra",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let alone = |format: &str| {
        trailwatch(&[
            "check",
            SEED,
            "--format",
            format,
            "--sarif-category",
            "infra",
        ])
        .stdout
    };
    assert_eq!(run.stdout, alone("github"));
    assert_eq!(read(&sarif), alone("sarif"));
    assert_eq!(read(&json), alone("json"));
    assert_eq!(read(&summary), alone("summary"));
    // One line per file on standard error, naming it, with the counts.
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    for (line, (format, path)) in
        lines
            .iter()
            .zip([("sarif", &sarif), ("json", &json), ("summary", &summary)])
    {
        assert_eq!(
            *line,
            format!(
                "wrote the {format} report to {}: 16 error(s), 1 warning(s), 0 note(s) in 1 file(s)",
                path.display()
            )
        );
    }
}

#[test]
fn output_file_says_what_it_wrote_and_quiet_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.json");
    let out = out.to_str().expect("UTF-8 path");
    let run = trailwatch(&["check", SEED, "--format", "json", "--output", out]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "wrote the json report to {out}: 16 error(s), 1 warning(s), 0 note(s) in 1 file(s)"
        )
    );
    let quiet = trailwatch(&["check", SEED, "--format", "json", "--output", out, "-q"]);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn several_reports_on_standard_output_come_in_the_order_given() {
    let run = trailwatch(&["check", SEED, "--format", "github", "--report", "summary=-"]);
    let summary_at = run.stdout.find("## trailwatch").expect("summary printed");
    let last_annotation = run.stdout.rfind("\n::").expect("annotations printed");
    assert!(last_annotation < summary_at, "{}", run.stdout);
    assert_eq!(run.stderr, "", "standard output is no file");
}

#[test]
fn a_bad_report_argument_is_a_usage_error_naming_the_formats() {
    for (arg, says) in [
        ("sarif", "expected FORMAT=PATH"),
        (
            "xml=out.xml",
            "unknown format `xml`; choose one of: human, json, sarif, github, summary",
        ),
        ("sarif=", "no path"),
    ] {
        let run = trailwatch(&["check", SEED, "--report", arg]);
        assert_eq!(run.code, 2, "{arg}");
        assert!(run.stderr.contains(says), "{arg}: {}", run.stderr);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let same = dir.path().join("same");
    let same = same.to_str().expect("UTF-8 path");
    let run = trailwatch(&[
        "check",
        SEED,
        "--output",
        same,
        "--report",
        &format!(
            "sarif={}",
            Path::new(same).with_file_name(".").join("same").display()
        ),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("two reports would be written to this file"),
        "{}",
        run.stderr
    );
    assert!(
        !Path::new(same).exists(),
        "nothing is written on a usage error"
    );
}

#[test]
fn an_unwritable_report_is_an_io_error() {
    let run = trailwatch(&[
        "check",
        SEED,
        "--report",
        "sarif=testdata/does-not-exist/out.sarif",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("testdata/does-not-exist/out.sarif: cannot write the report"),
        "{}",
        run.stderr
    );
}

#[test]
fn write_baseline_says_what_it_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().expect("UTF-8 path");
    let run = trailwatch(&["check", SEED, "--write-baseline", baseline]);
    assert_eq!(run.code, 0);
    let recorded: serde_json::Value =
        serde_json::from_str(&read(Path::new(baseline))).expect("baseline JSON");
    let n = recorded["findings"].as_array().map_or(0, Vec::len);
    assert!(n > 0);
    assert_eq!(
        run.stderr.trim_end(),
        format!("wrote the baseline to {baseline}: {n} finding(s) recorded as known")
    );
}

#[test]
fn job_summary_has_the_control_table_and_the_important_findings_first() {
    let run = trailwatch(&["check", SEED, "--format", "summary"]);
    assert_eq!(run.code, 1);
    let json = trailwatch(&["check", SEED, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let md = run.stdout;
    assert!(md.starts_with("## trailwatch\n\n16 errors\\, 1 warning\\, 0 notes in 1 file\n"));
    for (id, status) in report["controls"].as_object().expect("controls") {
        let id = id.replace('-', "\\-");
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| <code>{id}</code> |")))
            .unwrap_or_else(|| panic!("no row for {id}:\n{md}"));
        assert!(
            row.ends_with(&format!("{} |", status.as_str().expect("status"))),
            "{row}"
        );
    }
    // The quoted heredoc (the pattern that can never match) before the 15 missing controls,
    // which are one row.
    let findings = &md[md.find("### Findings").expect("findings section")..];
    let quoted = findings
        .find("double quotes")
        .expect("the quoted pattern is listed");
    let missing = findings
        .find("these 15 controls")
        .expect("missing controls, grouped");
    assert!(quoted < missing, "{findings}");
    assert_eq!(findings.matches("control\\-missing").count(), 1);
}

#[test]
fn job_summary_of_nothing_to_check_says_so() {
    let run = trailwatch(&[
        "check",
        "testdata/check/nothing-to-check",
        "--format",
        "summary",
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Nothing to check"), "{}", run.stdout);
}
