//! One cause, one finding. A defect that only repeats an upstream link's own defect (every
//! alarm that notifies a topic nobody subscribes to) is folded into that finding as a related
//! location naming the downstream resource and its control. Downstream findings that share a
//! cause with no finding of its own (filters reading one log group no trail feeds) become
//! one, listing the others.

use std::collections::HashMap;

use crate::rules::{Finding, Level, Location, Related};

/// A downstream finding attached to the finding of its cause: where it is, what it said,
/// and the controls it was reported for.
struct Attached {
    location: Location,
    resource: Option<String>,
    message: String,
    controls: Vec<String>,
}

pub fn fold(findings: Vec<Finding>) -> Vec<Finding> {
    let (caused, mut out): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| !f.caused_by.is_empty());
    // Chain-wide findings at a resource: the causes a downstream finding can fold into.
    let mut upstream: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in out.iter().enumerate() {
        if let (None, Some(resource), Level::Error) = (&f.control, &f.resource, f.level) {
            upstream.entry(resource.clone()).or_default().push(i);
        }
    }
    let mut attached: HashMap<usize, Vec<Attached>> = HashMap::new();
    let mut shared: HashMap<(String, Vec<String>), usize> = HashMap::new();
    for f in caused {
        let mut targets: Vec<usize> = f
            .caused_by
            .iter()
            .filter_map(|cause| upstream.get(cause))
            .flatten()
            .copied()
            .collect();
        if targets.is_empty() {
            // No finding of the cause's own: the first downstream finding stands for it.
            let key = (f.defect.clone(), f.caused_by.clone());
            match shared.get(&key) {
                Some(&i) => targets.push(i),
                None => {
                    shared.insert(key, out.len());
                    out.push(f);
                    continue;
                }
            }
        }
        for i in targets {
            attach(attached.entry(i).or_default(), &f);
        }
    }
    for (i, list) in attached {
        finish(&mut out[i], list);
    }
    for f in &mut out {
        f.caused_by.clear();
    }
    out
}

/// One entry per downstream place and message, with every control it was reported for.
fn attach(list: &mut Vec<Attached>, f: &Finding) {
    let Some(location) = &f.location else {
        return;
    };
    let control = f.control.clone();
    match list
        .iter_mut()
        .find(|a| a.location == *location && a.message == f.message && a.resource == f.resource)
    {
        Some(a) => a
            .controls
            .extend(control.filter(|c| !a.controls.contains(c))),
        None => list.push(Attached {
            location: location.clone(),
            resource: f.resource.clone(),
            message: f.message.clone(),
            controls: control.into_iter().collect(),
        }),
    }
}

/// The cause's finding lists what it breaks downstream and the controls that fail by it; a
/// finding about several controls belongs to none of them (chain-wide, kept by `--rule`
/// for each).
fn finish(f: &mut Finding, list: Vec<Attached>) {
    let mut controls: Vec<String> = f.control.iter().cloned().collect();
    for a in &list {
        for c in &a.controls {
            if !controls.contains(c) {
                controls.push(c.clone());
            }
        }
    }
    // A representative of findings sharing a cause still names it; a cause's own finding
    // counts what depends on it.
    let representative = !f.caused_by.is_empty();
    let (one, many) = noun(list.iter().map(|a| a.resource.as_deref()));
    let count = list.len();
    for a in list {
        // The downstream message would repeat the cause: name the resource instead.
        let text = match (&a.resource, representative) {
            (Some(resource), false) => format!("`{resource}` depends on this"),
            (Some(resource), true) => format!("the same for `{resource}`"),
            (None, _) => a.message,
        };
        let message = match a.controls.as_slice() {
            [] => text,
            [one] => format!("{text}, for control `{one}`"),
            many => format!("{text}, for controls `{}`", many.join("`, `")),
        };
        f.related.push(Related {
            location: a.location,
            message,
        });
    }
    controls.sort();
    if !controls.is_empty() {
        let what = if representative {
            format!(
                "{} the same cause",
                plural(
                    count,
                    &format!("more {one} has"),
                    &format!("more {many} have")
                )
            )
        } else {
            format!(
                "{} on it",
                plural(count, &format!("{one} depends"), &format!("{many} depend"))
            )
        };
        f.message.push_str(&format!(
            "; {what}, so {}: {}",
            plural(controls.len(), "control fails", "controls fail"),
            controls.join(", ")
        ));
    }
    if controls.len() > 1 || f.control.is_none() {
        f.rule = f.defect.clone();
        f.control = None;
        f.controls = controls;
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What the downstream resources are, for the count in the message.
fn noun<'a>(resources: impl Iterator<Item = Option<&'a str>>) -> (&'static str, &'static str) {
    let all: Vec<Option<&str>> = resources.collect();
    let every = |kind: &str| all.iter().all(|r| r.is_some_and(|r| r.contains(kind)));
    if every("aws_cloudwatch_metric_alarm.") {
        ("alarm", "alarms")
    } else if every("aws_cloudwatch_log_metric_filter.") {
        ("filter", "filters")
    } else {
        ("resource", "resources")
    }
}
