//! The controls, from `rules/*.toml`, embedded in the binary so `explain`, SARIF help and
//! the README table all come from one source.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One control: what it checks, why, the benchmark patterns, and sample CloudTrail
/// records it must (and must not) match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub severity: super::Level,
    /// The pattern trailwatch recommends in fixes (the newest benchmark's).
    pub pattern: String,
    pub summary: String,
    pub rationale: String,
    #[serde(default)]
    pub security_hub: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
    pub example: String,
    pub fix: String,
    #[serde(default)]
    pub other_ids: BTreeMap<String, String>,
    #[serde(default)]
    pub cis: Vec<CisEntry>,
    pub must_match: Vec<Sample>,
    #[serde(default)]
    pub should_not_match: Vec<Sample>,
}

/// The benchmark's recommended pattern for a set of CIS versions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CisEntry {
    pub versions: Vec<String>,
    pub section: String,
    pub pattern: String,
}

/// A realistic CloudTrail record (JSON text) for one event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    pub event: String,
    /// The CIS version whose list first requires this event (absent: every version that
    /// has the control). A test checks it against each version's recommended pattern.
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub why: Option<String>,
    pub record: String,
    /// The record as a log event, parsed once: every root module is checked against it.
    #[serde(skip)]
    parsed: std::sync::OnceLock<Option<crate::pattern::LogEvent>>,
}

impl Sample {
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.record)
    }

    /// The record as CloudWatch would see it; `None` if the rule data is not JSON (a test
    /// fails on that).
    pub fn event(&self) -> Option<&crate::pattern::LogEvent> {
        self.parsed
            .get_or_init(|| self.json().ok().map(crate::pattern::LogEvent::from_json))
            .as_ref()
    }
}

/// Orders CIS versions numerically (`1.10.0` after `1.2.0`).
pub fn version_key(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

impl Control {
    /// The CIS versions that have this control, oldest first.
    pub fn versions(&self) -> Vec<&str> {
        let mut versions: Vec<&str> = self
            .cis
            .iter()
            .flat_map(|e| e.versions.iter().map(String::as_str))
            .collect();
        versions.sort_by_key(|v| version_key(v));
        versions.dedup();
        versions
    }

    /// Whether required event `sample` is on the list of CIS `version` (`None`: the
    /// newest list, which has every required event).
    pub fn requires(&self, sample: &Sample, version: Option<&str>) -> bool {
        match (version, &sample.since) {
            (Some(version), Some(since)) => version_key(since) <= version_key(version),
            _ => true,
        }
    }
}

/// The rule files, in the order of the CIS benchmark (then the non-CIS controls).
pub const RULE_FILES: &[(&str, &str)] = &[
    (
        "unauthorized-api-calls",
        include_str!("../../rules/unauthorized-api-calls.toml"),
    ),
    (
        "console-signin-without-mfa",
        include_str!("../../rules/console-signin-without-mfa.toml"),
    ),
    (
        "root-account-usage",
        include_str!("../../rules/root-account-usage.toml"),
    ),
    (
        "iam-policy-changes",
        include_str!("../../rules/iam-policy-changes.toml"),
    ),
    (
        "cloudtrail-config-changes",
        include_str!("../../rules/cloudtrail-config-changes.toml"),
    ),
    (
        "console-auth-failures",
        include_str!("../../rules/console-auth-failures.toml"),
    ),
    (
        "cmk-disable-or-deletion",
        include_str!("../../rules/cmk-disable-or-deletion.toml"),
    ),
    (
        "s3-bucket-policy-changes",
        include_str!("../../rules/s3-bucket-policy-changes.toml"),
    ),
    (
        "config-changes",
        include_str!("../../rules/config-changes.toml"),
    ),
    (
        "security-group-changes",
        include_str!("../../rules/security-group-changes.toml"),
    ),
    (
        "nacl-changes",
        include_str!("../../rules/nacl-changes.toml"),
    ),
    (
        "network-gateway-changes",
        include_str!("../../rules/network-gateway-changes.toml"),
    ),
    (
        "route-table-changes",
        include_str!("../../rules/route-table-changes.toml"),
    ),
    ("vpc-changes", include_str!("../../rules/vpc-changes.toml")),
    (
        "organizations-changes",
        include_str!("../../rules/organizations-changes.toml"),
    ),
    (
        "mfa-deactivation",
        include_str!("../../rules/mfa-deactivation.toml"),
    ),
];

/// Parses every embedded control. The files ship inside the binary and a test parses
/// them all, so an error here is a build defect, reported with the file name.
pub fn controls() -> Result<Vec<Control>, String> {
    RULE_FILES
        .iter()
        .map(|(slug, text)| {
            let control: Control =
                toml::from_str(text).map_err(|e| format!("rules/{slug}.toml: {e}"))?;
            if control.id != *slug {
                return Err(format!(
                    "rules/{slug}.toml: id is `{}`, expected `{slug}`",
                    control.id
                ));
            }
            Ok(control)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each event's `since` agrees with the benchmark: a version's recommended pattern
    /// matches exactly the required events on that version's list.
    #[test]
    fn each_version_lists_the_events_its_pattern_matches() {
        let controls = controls().expect("rule data");
        let mut checked = 0;
        for control in &controls {
            for entry in &control.cis {
                let pattern = crate::pattern::parse(&entry.pattern).expect("CIS pattern parses");
                for version in &entry.versions {
                    for sample in &control.must_match {
                        let event = sample.event().expect("sample record is JSON");
                        assert_eq!(
                            pattern.matches(event),
                            control.requires(sample, Some(version)),
                            "{} v{version}: {}",
                            control.id,
                            sample.event
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 500, "{checked}");
        let sg = controls.iter().find(|c| c.id == "security-group-changes");
        let modify = sg.and_then(|c| {
            c.must_match
                .iter()
                .find(|s| s.event == "ModifySecurityGroupRules")
        });
        assert_eq!(modify.and_then(|s| s.since.as_deref()), Some("5.0.0"));
    }

    #[test]
    fn versions_sort_numerically() {
        assert!(version_key("1.10.0") > version_key("1.2.0"));
        assert!(version_key("5.0.0") > version_key("4.0.0"));
    }
}
