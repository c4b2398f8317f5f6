//! `trailwatch rules` and `trailwatch explain RULE`.

use serde_json::json;
use trailwatch::check::{profile, profile_names};
use trailwatch::report::docs;
use trailwatch::rules::defect::{self, DEFECTS, Reach, RuleOf};
use trailwatch::rules::{Control, controls};

use super::suggest::nearest;

pub fn list(markdown: bool, json: bool) -> u8 {
    match controls() {
        Ok(controls) => {
            if json {
                let mut text =
                    serde_json::to_string_pretty(&rules_json(&controls)).unwrap_or_default();
                text.push('\n');
                print!("{text}");
            } else if markdown {
                print!("{}", docs::rules_table(&controls));
            } else {
                print!("{}", docs::rules_list(&controls));
            }
            0
        }
        Err(e) => internal(&e),
    }
}

pub fn explain(id: &str) -> u8 {
    let controls = match controls() {
        Ok(c) => c,
        Err(e) => return internal(&e),
    };
    match docs::explain(&controls, id) {
        Some(text) => {
            print!("{text}");
            0
        }
        None => {
            let ids = docs::explainable_ids(&controls);
            match nearest(id, ids.iter().map(String::as_str)) {
                Some(near) => eprintln!("error: unknown rule `{id}`; did you mean `{near}`?"),
                None => eprintln!("error: unknown rule `{id}`; `trailwatch rules` lists them"),
            }
            2
        }
    }
}

fn internal(message: &str) -> u8 {
    eprintln!("internal error: {message}");
    2
}

/// `trailwatch rules --format json`: each control and registry rule with its name, level,
/// kind, the defects reported under it, the controls it concerns and the `--profile`s that
/// run it.
fn rules_json(controls: &[Control]) -> serde_json::Value {
    let profiles = profile_names(controls);
    let every: Vec<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    let of_control: Vec<&str> = DEFECTS
        .iter()
        .filter(|d| d.rule == RuleOf::Control)
        .map(|d| d.id)
        .collect();
    for c in controls {
        let runs: Vec<&String> = profiles
            .iter()
            .filter(|p| profile(p, controls).is_some_and(|ids| ids.contains(&c.id)))
            .collect();
        out.push(json!({
            "id": c.id,
            "name": defect::pascal(&c.id),
            "level": c.severity.as_str(),
            "kind": "control",
            "defects": of_control,
            "controls": [c.id],
            "profiles": runs,
        }));
    }
    for d in defect::rules() {
        let defects: Vec<&str> = if d.id == defect::SCHEMA_RULE {
            DEFECTS
                .iter()
                .filter(|s| s.rule == RuleOf::Schema)
                .map(|s| s.id)
                .collect()
        } else {
            vec![d.id]
        };
        let (kind, concerns) = match (d.rule, d.reach) {
            (RuleOf::Control, _) => ("defect", every.clone()),
            (_, Reach::Configuration) => ("configuration", Vec::new()),
            (_, Reach::EveryControl) => ("chain", every.clone()),
            (_, Reach::Listed) => ("chain", Vec::new()),
        };
        out.push(json!({
            "id": d.id,
            "name": d.name(),
            "level": docs::level_text(d),
            "kind": kind,
            "defects": defects,
            "controls": concerns,
            "profiles": profiles,
        }));
    }
    serde_json::Value::Array(out)
}
