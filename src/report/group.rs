//! One diagnostic per place in human, GitHub and job-summary output: the same defect at the
//! same source location, reported for several instances (a module called twice, `for_each`,
//! one broken topic behind many alarms of one block) or several controls, is shown once with
//! the others listed; controls missing at one place are one diagnostic listing them. JSON and
//! SARIF keep every finding as data.

use crate::rules::{Finding, Level};

/// How many of a group's other findings are listed before "… N more".
const LISTED: usize = 20;

/// Findings in order, grouped by (defect, location); a finding without a location is alone.
pub fn by_place<'a>(findings: &[&'a Finding]) -> Vec<Vec<&'a Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &crate::rules::Location), usize> =
        std::collections::HashMap::new();
    for f in findings {
        if let Some(location) = &f.location {
            let key = (f.defect.as_str(), location);
            if let Some(&i) = index.get(&key) {
                groups[i].push(*f);
                continue;
            }
            index.insert(key, groups.len());
        }
        groups.push(vec![*f]);
    }
    groups
}

/// The diagnostics a reader sees: each group of [`by_place`] as one finding.
pub fn one_per_place(findings: &[&Finding]) -> Vec<Finding> {
    by_place(findings)
        .into_iter()
        .map(|group| match group.as_slice() {
            [one] => (*one).clone(),
            many if is_missing_control(many[0]) => missing_controls(many),
            many => same_place(many),
        })
        .collect()
}

/// A control with no filter at all, as opposed to a broken link of a chain that exists.
pub fn is_missing_control(f: &Finding) -> bool {
    f.defect == "control-missing"
}

/// Most important first, keeping the sorted order otherwise: errors before warnings before
/// notes, and at one level a broken link of an existing chain (the filter someone wrote
/// that never fires) before a control nobody wrote.
pub fn by_importance(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (std::cmp::Reverse(f.level), is_missing_control(f)));
}

const MISSING_PREFIX: &str = "no metric filter on the CloudTrail log group covers ";

/// Controls missing at one place as one finding that lists them.
pub fn missing_controls(findings: &[&Finding]) -> Finding {
    let level = findings
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(Level::Error);
    let mut lines: Vec<String> = findings
        .iter()
        .map(|f| {
            let text = f.message.strip_prefix(MISSING_PREFIX).unwrap_or(&f.message);
            if f.level == level {
                format!("- {text}")
            } else {
                format!("- ({}) {text}", f.level.as_str())
            }
        })
        .collect();
    lines.push("`trailwatch explain <control>` shows the filter, alarm and topic to add".into());
    let mut grouped = findings[0].clone();
    grouped.rule = grouped.defect.clone();
    grouped.level = level;
    grouped.message = if findings
        .iter()
        .all(|f| f.message.starts_with(MISSING_PREFIX))
    {
        format!(
            "no metric filter on the CloudTrail log group covers these {} controls",
            findings.len()
        )
    } else {
        format!("{} controls are missing", findings.len())
    };
    grouped.help = Some(lines.join("\n"));
    grouped.fix = None;
    grouped.label = Some(format!(
        "nothing here alarms for these {} controls",
        findings.len()
    ));
    grouped.related.clear();
    grouped
}

/// A group of findings of one defect at one place as one finding: the first one's message
/// with a count, the others listed in the help.
pub fn same_place(findings: &[&Finding]) -> Finding {
    let mut one = findings[0].clone();
    one.level = findings
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(Level::Error);
    if findings.iter().any(|f| f.rule != one.rule) {
        one.rule = one.defect.clone();
    }
    // The fact under the span is the first one's only; several differ.
    if findings.iter().any(|f| f.label != one.label) {
        one.label = None;
    }
    let others = &findings[1..];
    one.message = format!("{} (and {} more at this place)", one.message, others.len());
    // Each other finding keeps its own help where it differs (a second control's
    // recommended pattern), said once for all that share it.
    let mut helps: Vec<&str> = one.help.as_deref().into_iter().collect();
    let mut lines: Vec<String> = Vec::new();
    for f in others.iter().take(LISTED) {
        lines.push(format!("- {}", f.message));
        if let Some(help) = f.help.as_deref().filter(|h| !helps.contains(h)) {
            helps.push(help);
            lines.push(format!("  help: {help}"));
        }
    }
    if others.len() > LISTED {
        lines.push(format!("- … {} more", others.len() - LISTED));
    }
    let listed = format!("the same defect here:\n{}", lines.join("\n"));
    one.help = Some(match one.help.take() {
        Some(help) => format!("{help}\n{listed}"),
        None => listed,
    });
    one
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Location;

    fn finding(defect: &str, line: usize, resource: &str) -> Finding {
        Finding {
            rule: "iam-policy-changes".into(),
            control: Some("iam-policy-changes".into()),
            defect: defect.into(),
            level: Level::Error,
            message: format!("alarm `{resource}` notifies nobody"),
            location: Some(Location {
                path: "main.tf".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                start: 0,
                end: 1,
            }),
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
            resource: Some(resource.into()),
            suppression: None,
            baselined: false,
            controls: Vec::new(),
            caused_by: Vec::new(),
        }
    }

    #[test]
    fn same_defect_at_one_place_is_one_group_listing_the_others() {
        let a = finding("alarm-no-actions", 3, "x[\"a\"]");
        let b = finding("alarm-no-actions", 3, "x[\"b\"]");
        let c = finding("alarm-cannot-fire", 3, "x[\"a\"]");
        let d = finding("alarm-no-actions", 9, "y");
        let groups = by_place(&[&a, &c, &b, &d]);
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1, 1]);
        let one = same_place(&groups[0]);
        assert!(
            one.message.ends_with("(and 1 more at this place)"),
            "{}",
            one.message
        );
        assert!(one.help.as_deref().unwrap_or("").contains("x[\"b\"]"));
    }

    #[test]
    fn a_grouped_diagnostic_keeps_every_distinct_help() {
        let mut a = finding("pattern-noisy", 3, "x");
        a.help = Some("the recommended pattern excludes them: A".into());
        let mut b = finding("pattern-noisy", 3, "x");
        b.message = "the other control".into();
        b.help = Some("the recommended pattern excludes them: B".into());
        let mut c = finding("pattern-noisy", 3, "x");
        c.message = "a third, same help as the first".into();
        c.help = a.help.clone();
        let one = same_place(&[&a, &b, &c]);
        let help = one.help.unwrap_or_default();
        assert!(help.contains(": A") && help.contains(": B"), "{help}");
        assert_eq!(help.matches(": A").count(), 1, "{help}");
    }
}
