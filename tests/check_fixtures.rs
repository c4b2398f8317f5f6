//! Every fixture under `testdata/check/`: its `expected.toml` names the controls that must
//! pass and the findings that must be reported; a snapshot keeps the whole human report.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use trailwatch::rules::Defect;
use trailwatch::rules::defect::{Leveled, Reach, RuleOf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    description: String,
    #[serde(default)]
    passing: Vec<String>,
    #[serde(default)]
    finding: Vec<ExpectedFinding>,
    /// Findings at these levels must all be listed in `finding` (e.g. ["error", "warning"]).
    #[serde(default)]
    exhaustive: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    rule: String,
    defect: String,
    level: String,
    resource: Option<String>,
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/check");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/check exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn fixture_name(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

fn run(dir: &Path, format: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .args(["check", "--format", format])
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        // Fixtures are checked in the default workspace, whatever the caller's shell selects.
        .env_remove("TF_WORKSPACE")
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_fixture_reports_what_it_expects() {
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(all.len() >= 10, "fixtures are missing");
    let levels = control_levels();
    for dir in &all {
        let name = fixture_name(dir);
        let text =
            std::fs::read_to_string(dir.join("expected.toml")).expect("expected.toml is readable");
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/expected.toml: {e}"));
        assert!(!expected.description.is_empty());
        let (code, json) = run(dir, "json");
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        let report: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        for control in &expected.passing {
            let status = report["controls"][control].as_str().unwrap_or("absent");
            if status != "pass" {
                failures.push(format!("{name}: {control} is {status}, expected pass"));
            }
        }
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        for want in &expected.finding {
            let found = findings.iter().any(|f| {
                f["rule"] == want.rule.as_str()
                    && f["defect"] == want.defect.as_str()
                    && f["level"] == want.level.as_str()
                    && want
                        .resource
                        .as_ref()
                        .is_none_or(|r| f["resource"] == r.as_str())
            });
            if !found {
                failures.push(format!(
                    "{name}: missing {} / {} ({}) on {}",
                    want.rule,
                    want.defect,
                    want.level,
                    want.resource.as_deref().unwrap_or("-")
                ));
            }
        }
        for f in &findings {
            if let Some(why) = undocumented(f, &levels) {
                failures.push(format!("{name}: {why}"));
            }
        }
        for f in &findings {
            let level = f["level"].as_str().unwrap_or_default();
            if expected.exhaustive.iter().any(|l| l == level)
                && !expected
                    .finding
                    .iter()
                    .any(|w| f["rule"] == w.rule.as_str() && f["defect"] == w.defect.as_str())
            {
                failures.push(format!(
                    "{name}: unexpected {} / {} ({level}): {}",
                    f["rule"], f["defect"], f["message"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Why finding `f` is not what the registry documents, if it is not: its defect is one
/// `explain` knows, its level the documented one (the control's, for a defect whose level
/// is the control's), its rule the one the defect is reported under.
fn undocumented(f: &serde_json::Value, levels: &[(String, String)]) -> Option<String> {
    let id = f["defect"].as_str().unwrap_or_default();
    let Some(defect) = Defect::from_id(id) else {
        return Some(format!("defect `{id}` is not in the registry"));
    };
    let doc = defect.doc();
    let control = f["control"].as_str();
    let documented = match doc.level {
        Leveled::Is(level) => level.as_str().to_string(),
        Leveled::OfControl => levels
            .iter()
            .find(|(c, _)| Some(c.as_str()) == control)
            .map(|(_, l)| l.clone())
            .unwrap_or_default(),
    };
    let level = f["level"].as_str().unwrap_or_default();
    if level != documented {
        return Some(format!(
            "{id} is emitted as {level}, documented as {documented}: {}",
            f["message"]
        ));
    }
    let rule = f["rule"].as_str().unwrap_or_default();
    let expected = match (doc.rule, control) {
        (RuleOf::Control, Some(c)) => c.to_string(),
        _ => defect.rule_id(None),
    };
    (rule != expected).then(|| format!("{id} is reported under `{rule}`, not `{expected}`"))
}

/// `id level` of every control, from `trailwatch rules`.
fn control_levels() -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .arg("rules")
        .output()
        .expect("the trailwatch binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let ids: Vec<String> = run_json_controls();
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .filter(|(id, _)| ids.contains(id))
        .collect()
}

/// The control ids a check reports a status for.
fn run_json_controls() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/check/clean-literal");
    let (_, json) = run_with(&dir, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
    report["controls"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn run_with(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailwatch"))
        .arg("check")
        .args(args)
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the trailwatch binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Findings of one JSON report that explain control `id`'s status: under the control, or
/// chain-wide ones that decide every control (the trail, a configuration error, a note on
/// what is unknown). A failure needs one at the control's level or above.
fn unexplained(report: &serde_json::Value, levels: &[(String, String)]) -> Vec<String> {
    let rank = |l: &str| match l {
        "error" => 3,
        "warning" => 2,
        "note" => 1,
        _ => 0,
    };
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let statuses = report["controls"].as_object().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (id, status) in &statuses {
        let level = levels
            .iter()
            .find(|(c, _)| c == id)
            .map_or("error", |(_, l)| l.as_str());
        // What a finding concerns comes from the registry, as `--rule` reads it.
        let concerns = |f: &serde_json::Value| {
            let reach = f["defect"]
                .as_str()
                .and_then(Defect::from_id)
                .map(|d| d.doc().reach);
            f["control"] == id.as_str()
                || f["controls"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c == id.as_str()))
                || (f["control"].is_null()
                    && matches!(reach, Some(Reach::EveryControl | Reach::Configuration)))
        };
        let explained = match status.as_str() {
            Some("fail") => findings.iter().any(|f| {
                concerns(f) && rank(f["level"].as_str().unwrap_or_default()) >= rank(level)
            }),
            Some("unverifiable") => findings.iter().any(concerns),
            _ => true,
        };
        if !explained {
            out.push(format!("{id} is {status} with nothing that says why"));
        }
    }
    out
}

/// A control that fails says why in the same output, whatever `--rule` selects, and the
/// run exits 1; `--rule` does not change a control's status; an `unverifiable` control has
/// a finding that says what to supply.
#[test]
fn every_failing_control_is_explained_whatever_rule_selects() {
    let levels = control_levels();
    assert!(levels.len() >= 16, "controls: {levels:?}");
    let check = |dir: &Path| -> (usize, Vec<String>) {
        let name = fixture_name(dir);
        let mut failures = Vec::new();
        let report = |args: &[&str]| {
            let mut all = vec!["--format", "json"];
            all.extend(args);
            let (code, json) = run_with(dir, &all);
            let report: serde_json::Value =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
            (code, report)
        };
        let mut runs = 0;
        for plain in [&[][..], &["--require"][..]] {
            let (code, full) = report(plain);
            runs += 1;
            for why in unexplained(&full, &levels) {
                failures.push(format!("{name} {plain:?}: {why}"));
            }
            let statuses = full["controls"].as_object().cloned().unwrap_or_default();
            for (id, status) in &statuses {
                if status == "fail" && code != 1 {
                    failures.push(format!("{name} {plain:?}: {id} fails, exit {code}"));
                }
                if status == "pass" {
                    continue;
                }
                let mut args = plain.to_vec();
                args.extend(["--rule", id.as_str()]);
                let (code, alone) = report(&args);
                runs += 1;
                if alone["controls"][id] != *status {
                    failures.push(format!(
                        "{name} {plain:?} --rule {id}: {} here, {status} with every control",
                        alone["controls"][id]
                    ));
                }
                for why in unexplained(&alone, &levels) {
                    failures.push(format!("{name} {plain:?} --rule {id}: {why}"));
                }
                if status == "fail" && code != 1 {
                    failures.push(format!("{name} {plain:?} --rule {id}: fails, exit {code}"));
                }
            }
        }
        (runs, failures)
    };
    let all = fixtures();
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .chunks(all.len().div_ceil(4).max(1))
            .map(|chunk| scope.spawn(move || chunk.iter().map(|d| check(d)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a checking thread"))
            .collect()
    });
    let runs: usize = results.iter().map(|(n, _)| n).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|(_, f)| f).collect();
    assert!(runs > 100, "only {runs} runs");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_matches_its_snapshot() {
    for dir in fixtures() {
        let name = fixture_name(&dir);
        let (_, human) = run(&dir, "human");
        insta::assert_snapshot!(name, human);
    }
}

/// Copies a fixture tree (files and directories) into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside the fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a directory");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// The byte offset of a 1-based line and character column in `text`.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    rest.char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

/// Every fix a fixture's findings offer, applied to a copy of the fixture, leaves valid
/// Terraform and removes the defect it is for: a fix is a promise.
#[test]
fn every_fix_applies_and_removes_its_finding() {
    let mut failures = Vec::new();
    let mut applied = 0;
    // The published remediation's seed too: its fixes are the ones users meet first.
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/heredoc_seed");
    for dir in fixtures().into_iter().chain([seed]) {
        let name = fixture_name(&dir);
        let (_, json) = run(&dir, "json");
        let report: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
        for f in report["findings"].as_array().cloned().unwrap_or_default() {
            let fix = &f["fix"];
            if fix.is_null() {
                continue;
            }
            let copy = tempfile::tempdir().expect("temp dir");
            copy_tree(&dir, copy.path());
            let at = &fix["location"];
            let path = copy.path().join(at["path"].as_str().expect("fix path"));
            let text = std::fs::read_to_string(&path).expect("fixed file");
            let start = offset(
                &text,
                at["line"].as_u64().unwrap_or(0),
                at["column"].as_u64().unwrap_or(0),
            );
            let end = offset(
                &text,
                at["end_line"].as_u64().unwrap_or(0),
                at["end_column"].as_u64().unwrap_or(0),
            );
            let replacement = fix["replacement"].as_str().expect("replacement");
            let fixed = format!("{}{replacement}{}", &text[..start], &text[end..]);
            std::fs::write(&path, fixed).expect("write the fix");
            applied += 1;
            let (_, after) = run(copy.path(), "json");
            let after: serde_json::Value = serde_json::from_str(&after).expect("JSON report");
            for g in after["findings"].as_array().cloned().unwrap_or_default() {
                // The same finding, or one still offering this fix. (A pattern with several
                // defects may keep its rule and defect with a new message once one is fixed.)
                let same = g["rule"] == f["rule"]
                    && g["defect"] == f["defect"]
                    && g["resource"] == f["resource"]
                    && (g["message"] == f["message"] || g["fix"] == f["fix"]);
                if g["rule"] == "terraform-syntax" || same {
                    failures.push(format!(
                        "{name}: after the fix {:?}: {} / {}: {}",
                        fix["description"], g["rule"], g["defect"], g["message"]
                    ));
                }
            }
        }
    }
    assert!(applied >= 5, "only {applied} fixes in the fixtures");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
