//! `terraform.workspace`: `--workspace` (check and inspect), `TF_WORKSPACE` as Terraform
//! reads it (the flag wins), the configuration file's `workspace`, and a root's selected
//! workspace (`.terraform/environment`), on a fixture whose alarm notifies only in `prod`.

use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "testdata/check/workspace-alarm-actions";

/// The status of the fixture's one control, run in `dir` with `args` and `TF_WORKSPACE`.
fn status(dir: &Path, args: &[&str], env: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trailwatch"));
    cmd.args(["check", "--format", "json"])
        .args(args)
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TF_WORKSPACE");
    if let Some(w) = env {
        cmd.env("TF_WORKSPACE", w);
    }
    let out = cmd.output().expect("the trailwatch binary runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    report["controls"]["iam-policy-changes"]
        .as_str()
        .unwrap_or("absent")
        .to_string()
}

fn fixture() -> &'static Path {
    Path::new(FIXTURE)
}

/// A copy of the fixture, to add a configuration key or a selected workspace to.
fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    for name in ["main.tf", ".trailwatch.toml"] {
        std::fs::copy(from.join(name), dir.path().join(name)).expect("copy the fixture");
    }
    dir
}

#[test]
fn the_flag_selects_the_workspace() {
    assert_eq!(status(fixture(), &[], None), "fail");
    assert_eq!(status(fixture(), &["--workspace", "prod"], None), "pass");
    assert_eq!(status(fixture(), &["--workspace", "dev"], None), "fail");
}

#[test]
fn tf_workspace_is_read_and_the_flag_wins() {
    assert_eq!(status(fixture(), &[], Some("prod")), "pass");
    assert_eq!(
        status(fixture(), &["--workspace", "dev"], Some("prod")),
        "fail"
    );
    assert_eq!(
        status(fixture(), &["--workspace", "prod"], Some("dev")),
        "pass"
    );
}

#[test]
fn the_configuration_key_and_the_selected_workspace() {
    let dir = copy();
    let config = dir.path().join(".trailwatch.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{text}workspace = \"prod\"\n")).expect("write config");
    assert_eq!(status(dir.path(), &[], None), "pass");
    // TF_WORKSPACE and the flag win over the file.
    assert_eq!(status(dir.path(), &[], Some("dev")), "fail");
    assert_eq!(status(dir.path(), &["--workspace", "dev"], None), "fail");

    // `terraform workspace select prod` writes `.terraform/environment`.
    let dir = copy();
    std::fs::create_dir(dir.path().join(".terraform")).expect("mkdir");
    std::fs::write(dir.path().join(".terraform/environment"), "prod").expect("write");
    assert_eq!(status(dir.path(), &[], None), "pass");
    assert_eq!(status(dir.path(), &[], Some("dev")), "fail");
}

#[test]
fn inspect_takes_the_workspace_too() {
    let inspect = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
            .arg("inspect")
            .args(args)
            .arg(FIXTURE)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("TF_WORKSPACE")
            .output()
            .expect("the trailwatch binary runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let action = |text: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with("alarm_actions"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(action(&inspect(&["--workspace", "prod"])).contains("aws_sns_topic.alerts.arn"));
    assert!(action(&inspect(&[])).contains("[]"));
}
