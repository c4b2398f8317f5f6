//! `trailwatch check` through the real binary: formats, exit codes, options.

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
        .output()
        .expect("the trailwatch binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const SEED: &str = "testdata/terraform/heredoc_seed";

#[test]
fn seed_heredoc_breaks_iam_policy_changes_inside_the_heredoc() {
    let run = trailwatch(&["check", SEED, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let findings = report["findings"].as_array().expect("findings");
    let iam = findings
        .iter()
        .find(|f| f["rule"] == "iam-policy-changes" && f["defect"] == "pattern-misses-events")
        .expect("iam-policy-changes is reported broken");
    // Line 23 is the first line of the heredoc body, inside `<<PATTERN`.
    assert_eq!(iam["location"]["path"], "main.tf");
    assert_eq!(iam["location"]["line"], 23);
    assert!(
        iam["message"]
            .as_str()
            .unwrap_or("")
            .contains("double quotes")
    );
    assert!(
        iam["fix"]["replacement"]
            .as_str()
            .unwrap_or("")
            .contains("{ $.eventName = \"DeleteGroupPolicy\"")
    );
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "topic-aws-managed-key")
    );
    assert_eq!(report["controls"]["iam-policy-changes"], "fail");
}

#[test]
fn human_json_sarif_and_github_snapshots() {
    for format in ["human", "json", "sarif", "github"] {
        let run = trailwatch(&["check", SEED, "--format", format]);
        assert_eq!(run.code, 1);
        insta::assert_snapshot!(format!("seed-{format}"), run.stdout);
    }
}

#[test]
fn sarif_is_2_1_0_with_rules_and_fingerprints() {
    let run = trailwatch(&[
        "check",
        SEED,
        "--format",
        "sarif",
        "--sarif-category",
        "trailwatch/infra",
    ]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "trailwatch/infra/");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= 16);
    for result in run0["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["trailwatchFingerprint/v1"].is_string());
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
    }
}

#[test]
fn fail_on_and_rule_selection() {
    assert_eq!(trailwatch(&["check", SEED, "--fail-on", "never"]).code, 0);
    let only = trailwatch(&[
        "check",
        SEED,
        "--rule",
        "topic-aws-managed-key",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&only.stdout).expect("JSON");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["topic-aws-managed-key"]);
    let typo = trailwatch(&["check", SEED, "--rule", "iam-policy-change"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean `iam-policy-changes`"));
    let profile = trailwatch(&["check", SEED, "--profile", "cis-9.9"]);
    assert_eq!(profile.code, 2);
    assert!(profile.stderr.contains("cis-1.2"), "{}", profile.stderr);
}

#[test]
fn missing_path_is_a_usage_error() {
    let run = trailwatch(&["check", "testdata/does-not-exist"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("testdata/does-not-exist: no such file or directory")
    );
}

#[test]
fn output_is_deterministic() {
    let a = trailwatch(&["check", "testdata", "--format", "sarif"]);
    let b = trailwatch(&["check", "testdata", "--format", "sarif"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn plan_json_is_checked_and_mapped_to_sources() {
    let run = trailwatch(&[
        "check",
        "testdata/terraform/plan_json",
        "--plan",
        "testdata/terraform/plan_json/plan.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    let topic = findings
        .iter()
        .find(|f| f["rule"] == "topic-no-subscription")
        .expect("topic finding");
    assert_eq!(topic["location"]["path"], "main.tf");
    // The alarms that notify the topic are its related locations, not findings of their own.
    assert!(!findings.iter().any(|f| f["defect"] == "alarm-no-actions"));
    let alarms = topic["related"].as_array().expect("related");
    assert!(
        alarms
            .iter()
            .any(|r| r["location"]["path"] == "cis/main.tf"),
        "{alarms:?}"
    );
}

#[test]
fn broken_plan_is_reported_not_panicked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, "{\"format_version\": \"1.2\", \"planned_values\": {").expect("write");
    let path = plan.to_string_lossy().to_string();
    let run = trailwatch(&[
        "check",
        "--plan",
        &path,
        "--format",
        "json",
        dir.path().to_str().unwrap_or("."),
    ]);
    assert!(run.code == 1 || run.code == 2, "exit {}", run.code);
    assert!(
        run.stdout.contains("plan.json") || run.stderr.contains("plan.json"),
        "{} {}",
        run.stdout,
        run.stderr
    );
}

fn trailwatch_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the trailwatch binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn same_sarif_with_one_thread_and_with_many() {
    let args = ["check", "testdata", "--format", "sarif"];
    let one = trailwatch_env(&args, &[("RAYON_NUM_THREADS", "1")]);
    let two = trailwatch_env(&args, &[("RAYON_NUM_THREADS", "2")]);
    let eight = trailwatch_env(&args, &[("RAYON_NUM_THREADS", "8")]);
    assert!(one.stdout.len() > 1000);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, eight.stdout);
    assert_eq!(
        one.stdout,
        trailwatch_env(&args, &[("RAYON_NUM_THREADS", "1")]).stdout
    );
}

#[test]
fn verbose_lists_roots_and_skipped_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".terraform")).expect("mkdir");
    std::fs::write(dir.path().join(".terraform/cached.tf"), "").expect("write");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {}\n",
    )
    .expect("write");
    let run = trailwatch(&["check", dir.path().to_str().unwrap_or("."), "--verbose"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("checked 1 file(s) in 1 root module(s)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(".terraform"), "{}", run.stderr);
    assert!(run.stdout.contains("nothing to check"));
}

#[test]
fn a_file_in_a_child_module_is_checked_through_its_calling_root() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/check/clean-local-module");
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args([
            "check",
            "modules/cis-alarms/main.tf",
            "--format",
            "json",
            "--verbose",
        ])
        .current_dir(&dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in 1 root module(s): ."), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // Judged with the inputs the root gives it, the module's controls pass.
    assert_eq!(report["controls"]["organizations-changes"], "pass");
    assert_eq!(report["controls"]["config-changes"], "pass");
}

/// Missing controls at one place are one diagnostic in the human output (listing each
/// control, warnings marked) and one result each in JSON.
#[test]
fn missing_controls_are_grouped_in_human_output_only() {
    let fixture = "testdata/check/typo-event-name";
    let json = trailwatch(&["check", fixture, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON report");
    let missing = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["defect"] == "control-missing")
        .count();
    assert_eq!(missing, 15, "{}", json.stdout);
    let human = trailwatch(&["check", fixture]).stdout;
    assert_eq!(
        human
            .matches("nothing here alarms for these 15 controls")
            .count(),
        1,
        "{human}"
    );
    assert!(human.contains("covers these 15 controls"), "{human}");
    assert!(human.contains("- (warning) `mfa-deactivation`"), "{human}");
    assert!(
        human.contains("- `vpc-changes`: no alarm fires for CreateVpc"),
        "{human}"
    );
    // The counts are still per finding.
    let count = |level: &str| {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["level"] == level)
            .count()
    };
    let counts = format!(
        "{} error(s), {} warning(s)",
        count("error"),
        count("warning")
    );
    assert!(human.contains(&counts), "{counts}\n{human}");
}

/// An alarm value written literally gets a fix; one set through a variable does not (the
/// variable may be set elsewhere, and is better fixed there), but is still reported.
#[test]
fn alarm_fixes_only_for_literal_values() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/check/alarm-threshold/main.tf"),
    )
    .expect("fixture");
    let fix_of = |text: &str| -> (bool, serde_json::Value) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("main.tf"), text).expect("write");
        let dir_arg = dir.path().to_string_lossy().into_owned();
        let run = trailwatch(&["check", &dir_arg, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
        let finding = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["defect"] == "alarm-cannot-fire")
            .cloned();
        (
            finding.is_some(),
            finding.map_or(serde_json::Value::Null, |f| f["fix"].clone()),
        )
    };
    let (found, fix) = fix_of(&source);
    assert!(found);
    assert_eq!(fix["replacement"], "1", "{fix}");
    let through_variable = source.replace("threshold           = 5", "threshold           = var.t")
        + "\nvariable \"t\" {\n  default = 5\n}\n";
    let (found, fix) = fix_of(&through_variable);
    assert!(found, "still reported");
    assert!(fix.is_null(), "{fix}");
}
