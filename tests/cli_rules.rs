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

fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let (code, out, err) = trailwatch(&all);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, report)
}

/// A profile requires its own version's events; without one, a pattern that meets an
/// older list gets a warning naming the version that added the missing event.
#[test]
fn profile_selects_the_events_of_its_version() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/check/pattern-older-cis-list"
    );
    let rule = ["--rule", "security-group-changes", fixture];
    for profile in ["cis-1.2", "cis-3.0", "cis-4.0"] {
        let mut args = vec!["--profile", profile];
        args.extend(rule);
        let (code, report) = check_json(&args);
        assert_eq!(
            report["controls"]["security-group-changes"], "pass",
            "{profile}"
        );
        assert_eq!(report["findings"], serde_json::json!([]), "{profile}");
        assert_eq!(code, 0, "{profile}");
    }
    for profile in ["cis-5.0", "cis-6.0"] {
        let mut args = vec!["--profile", profile];
        args.extend(rule);
        let (code, report) = check_json(&args);
        assert_eq!(
            report["controls"]["security-group-changes"], "fail",
            "{profile}"
        );
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        assert!(
            findings
                .iter()
                .any(|f| f["defect"] == "pattern-misses-events"
                    && f["level"] == "error"
                    && f["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("ModifySecurityGroupRules"))),
            "{profile}: {findings:?}"
        );
        assert_eq!(code, 1, "{profile}");
    }
    let (code, report) = check_json(&rule);
    assert_eq!(report["controls"]["security-group-changes"], "pass");
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["defect"], "pattern-misses-newer-events");
    assert_eq!(findings[0]["level"], "warning");
    let message = findings[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("ModifySecurityGroupRules (added in CIS v5.0.0)"),
        "{message}"
    );
    assert!(!findings[0]["fix"].is_null(), "offers the newest pattern");
    assert_eq!(code, 1, "a warning fails the default --fail-on warning");
}

#[test]
fn explain_lists_the_events_per_version() {
    let (code, out, _) = trailwatch(&["explain", "security-group-changes"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("- ModifySecurityGroupRules (added in CIS v5.0.0)"),
        "{out}"
    );
    let by_version = out
        .lines()
        .filter(|l| l.starts_with("- v"))
        .collect::<Vec<_>>();
    assert_eq!(by_version.len(), 2, "{out}");
    assert!(by_version[0].starts_with("- v1.2.0, v1.3.0"));
    assert!(!by_version[0].contains("ModifySecurityGroupRules"));
    assert!(by_version[1].starts_with("- v5.0.0, v6.0.0"));
    assert!(by_version[1].contains("ModifySecurityGroupRules"));
}

/// Every id trailwatch can print — each control, rule and defect of the registry — has an
/// `explain` page in the same sections.
#[test]
fn explain_knows_every_rule_and_defect() {
    let mut missing = Vec::new();
    for doc in trailwatch::rules::defect::DEFECTS {
        let (code, out, err) = trailwatch(&["explain", doc.id]);
        if code != 0 || !out.contains("## What it does") || !out.contains("## How to fix it") {
            missing.push(format!("{}: exit {code}: {err}", doc.id));
        }
        if !out.contains(&format!("Level: {}", level_text(doc))) {
            missing.push(format!("{}: level not stated as in the registry", doc.id));
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

fn level_text(doc: &trailwatch::rules::defect::Doc) -> &'static str {
    match doc.level {
        trailwatch::rules::defect::Leveled::Is(level) => level.as_str(),
        trailwatch::rules::defect::Leveled::OfControl => "the control's",
    }
}

/// `trailwatch rules --format json`.
fn rules_json() -> Vec<serde_json::Value> {
    let (code, out, err) = trailwatch(&["rules", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<serde_json::Value>(&out)
        .expect("rules JSON")
        .as_array()
        .cloned()
        .expect("an array")
}

/// Every id with a page: each rule of `rules --format json` and each defect reported under one.
fn documented_ids() -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for rule in rules_json() {
        let id = rule["id"].as_str().unwrap_or_default().to_string();
        let defects = rule["defects"].as_array().cloned().unwrap_or_default();
        ids.push(id);
        ids.extend(defects.iter().filter_map(|d| d.as_str().map(String::from)));
    }
    ids.sort();
    ids.dedup();
    ids
}

/// docs/rules/<id>.md is `trailwatch explain <id>`, committed so SARIF `helpUri` can link it.
#[test]
fn rule_pages_are_generated_from_explain() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("UPDATE_RULE_DOCS").is_some();
    let ids = documented_ids();
    let mut drifted = Vec::new();
    for id in &ids {
        let (code, page, err) = trailwatch(&["explain", id]);
        assert_eq!(code, 0, "{id}: {err}");
        let path = dir.join(format!("{id}.md"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).expect("docs/rules");
                std::fs::write(&path, &page).expect("write the page");
            } else {
                drifted.push(id.clone());
            }
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| !ids.iter().any(|id| *name == format!("{id}.md")))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        drifted.is_empty() && extra.is_empty(),
        "docs/rules drifted from `trailwatch explain` (pages differ: {drifted:?}; no such rule: {extra:?}); regenerate with `UPDATE_RULE_DOCS=1 cargo test --test cli_rules rule_pages` and delete the extra pages"
    );
}

/// The README's rule tables name the ids and levels `rules --format json` reports, and its
/// `--profile` list the profiles.
#[test]
fn readme_ids_levels_and_profiles_agree_with_rules_json() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme
        .find("<!-- rules-table:start -->")
        .expect("start marker");
    let end = readme.find("<!-- rules-table:end -->").expect("end marker");
    let mut table: Vec<(String, String)> = readme[start..end]
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((
                id.to_string(),
                cells.get(cells.len().checked_sub(2)?)?.to_string(),
            ))
        })
        .collect();
    table.sort();
    let json = rules_json();
    let schema = json
        .iter()
        .find(|r| r["id"] == "terraform-schema")
        .expect("terraform-schema");
    let mut listed: Vec<(String, String)> = json
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_string(),
                r["level"].as_str().unwrap_or_default().to_string(),
            )
        })
        .chain(
            schema["defects"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| (d.as_str().unwrap_or_default().to_string(), "error".into())),
        )
        .collect();
    listed.sort();
    assert_eq!(table, listed);
    let mut profiles: Vec<String> = json
        .iter()
        .flat_map(|r| r["profiles"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p.as_str().map(String::from))
        .collect();
    profiles.sort();
    profiles.dedup();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `--profile NAME` |"))
        .expect("the --profile row");
    let mut named: Vec<String> = row
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.starts_with("cis-") || *w == "all")
        .filter(|w| !w.contains(' '))
        .map(String::from)
        .collect();
    named.sort();
    named.dedup();
    assert_eq!(named, profiles);
}
