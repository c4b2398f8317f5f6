//! `trailwatch inspect --format json` on each fixture, through the real binary.

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

fn inspect(name: &str, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .arg("inspect")
        .arg(fixture(name))
        .args(["--format", "json"])
        .args(extra)
        .current_dir(fixture(name))
        .output()
        .expect("run trailwatch");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    assert!(
        !text.contains(env!("CARGO_MANIFEST_DIR")),
        "output must use relative paths"
    );
    text
}

macro_rules! fixture_snapshot {
    ($test:ident, $name:literal $(, $arg:literal)*) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), inspect($name, &[$($arg),*]));
        }
    };
}

fixture_snapshot!(for_each_locals, "for_each_locals");
fixture_snapshot!(count_toggle, "count_toggle");
fixture_snapshot!(local_module, "local_module");
fixture_snapshot!(tfvars_patterns, "tfvars_patterns");
fixture_snapshot!(
    tfvars_patterns_cli,
    "tfvars_patterns",
    "--var-file",
    "env/prod.tfvars",
    "--var",
    "period=120",
    "--var",
    "log_group=from-cli"
);
fixture_snapshot!(join_patterns, "join_patterns");
fixture_snapshot!(heredoc_seed, "heredoc_seed");
fixture_snapshot!(
    heredoc_seed_with_var,
    "heredoc_seed",
    "--var",
    "endpoint=+15550100"
);
fixture_snapshot!(tf_json, "tf_json");
fixture_snapshot!(broken_file, "broken_file", "--all");
fixture_snapshot!(legacy_011, "legacy_011");
fixture_snapshot!(registry_module, "registry_module", "--all");
fixture_snapshot!(templates_yaml, "templates_yaml");
fixture_snapshot!(plan_json, "plan_json", "--plan", "plan.json");

#[test]
fn output_is_deterministic() {
    let a = inspect("local_module", &[]);
    let b = inspect("local_module", &[]);
    assert_eq!(a, b);
}

#[test]
fn human_format_names_locations() {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .arg("inspect")
        .arg(fixture("count_toggle"))
        .output()
        .expect("run trailwatch");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("aws_cloudwatch_log_metric_filter.iam_changes[0]  (main.tf:15:1)"));
    assert!(text.contains("→ aws_sns_topic.alerts[1]"));
}

#[test]
fn missing_path_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["inspect", "/nonexistent/trailwatch/path"])
        .output()
        .expect("run trailwatch");
    assert_eq!(out.status.code(), Some(2));
}

/// `--var` and `--var-file` apply in command-line order, as in Terraform: the later wins.
#[test]
fn var_and_var_file_apply_in_command_line_order() {
    let period = |args: &[&str]| -> serde_json::Value {
        let report: serde_json::Value =
            serde_json::from_str(&inspect("tfvars_patterns", args)).expect("JSON");
        let alarm = report["instances"]
            .as_array()
            .expect("instances")
            .iter()
            .find(|r| r["type"] == "aws_cloudwatch_metric_alarm")
            .expect("an alarm")
            .clone();
        alarm["attributes"]["period"].clone()
    };
    assert_eq!(
        period(&["--var", "period=1", "--var-file", "env/period.tfvars"]),
        300
    );
    assert_eq!(
        period(&["--var-file", "env/period.tfvars", "--var", "period=1"]),
        1
    );
    assert_eq!(
        period(&[
            "--var=period=7",
            "--var-file=env/period.tfvars",
            "--var=period=9"
        ]),
        9
    );
}
