//! `trailwatch rules` / `explain`, and the README's rules table staying in sync with `rules/`.

use std::process::Command;

fn trailwatch(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(args)
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn readme_rules_table_is_generated_from_rules() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme
        .find("<!-- rules-table:start -->\n")
        .expect("start marker")
        + "<!-- rules-table:start -->\n".len();
    let end = readme.find("<!-- rules-table:end -->").expect("end marker");
    let (code, table, _) = trailwatch(&["rules", "--markdown"]);
    assert_eq!(code, 0);
    assert_eq!(
        &readme[start..end],
        table,
        "README rules table drifted: regenerate with `trailwatch rules --markdown`"
    );
}

#[test]
fn rules_lists_all_sixteen_controls() {
    let (code, out, _) = trailwatch(&["rules"]);
    assert_eq!(code, 0);
    for slug in [
        "unauthorized-api-calls",
        "console-signin-without-mfa",
        "root-account-usage",
        "iam-policy-changes",
        "cloudtrail-config-changes",
        "console-auth-failures",
        "cmk-disable-or-deletion",
        "s3-bucket-policy-changes",
        "config-changes",
        "security-group-changes",
        "nacl-changes",
        "network-gateway-changes",
        "route-table-changes",
        "vpc-changes",
        "organizations-changes",
        "mfa-deactivation",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{slug} "))),
            "{slug} missing"
        );
    }
}

#[test]
fn explain_prints_sections_and_suggests_on_typos() {
    let (code, out, _) = trailwatch(&["explain", "iam-policy-changes"]);
    assert_eq!(code, 0);
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Events it must catch",
        "## Example",
        "## Use instead",
        "## References",
        "CloudWatch.4",
        "4.4",
    ] {
        assert!(out.contains(section), "missing {section}");
    }
    assert!(out.contains("- DeleteGroupPolicy"));
    let (code, _, err) = trailwatch(&["explain", "iam-policy-change"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `iam-policy-changes`"), "{err}");
    let (code, out, _) = trailwatch(&["explain", "topic-no-subscription"]);
    assert_eq!(code, 0);
    assert!(out.contains("## How to fix it"));
}
