//! `.trailwatch.toml`: found by walking up from the first scanned path to the repository
//! (or named with `--config`). Unknown keys are errors with the nearest valid key suggested, so a typo
//! never silently turns a setting off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::discover::read::{MAX_FILE_BYTES, Origin, read_text};

pub const FILE_NAME: &str = ".trailwatch.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `cis-1.2` … `cis-6.0` or `all`.
    pub profile: Option<String>,
    /// Check only these rules.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Never report these rules.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Report every selected control missing even when there is nothing to check.
    #[serde(default)]
    pub require: bool,
    /// Log groups a trail outside this configuration delivers CloudTrail events to.
    #[serde(default)]
    pub cloudtrail_log_groups: Vec<String>,
    /// SNS topic ARNs outside this configuration that are known to have subscribers.
    #[serde(default)]
    pub subscribed_topics: Vec<String>,
    /// Variable files, relative to the configuration file.
    #[serde(default)]
    pub var_files: Vec<PathBuf>,
    /// Paths (relative to the configuration file, `*` wildcards) whose findings are not
    /// reported.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Level overrides: rule id → `error`, `warning` or `note`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// The Terraform workspace `terraform.workspace` names (`--workspace` and
    /// `TF_WORKSPACE` win over it).
    pub workspace: Option<String>,
}

const KEYS: &[&str] = &[
    "profile",
    "rules",
    "disable",
    "require",
    "cloudtrail_log_groups",
    "subscribed_topics",
    "var_files",
    "exclude",
    "severity",
    "workspace",
];

/// A configuration file and where it was found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub config: Config,
}

impl Loaded {
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// Walks up from `start` looking for `.trailwatch.toml`, no higher than the repository
/// (the nearest directory holding `.git`, else `start` itself: the boundary modules and
/// `var_files` keep to). A file above the checkout belongs to someone else: a CI runner's
/// home, another project.
pub fn find(start: &Path) -> Option<PathBuf> {
    let top = crate::discover::read::repository_root(start)?;
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let canonical = start.canonicalize().ok()?;
    canonical
        .ancestors()
        .take_while(|dir| dir.starts_with(&top))
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and validates a configuration file. Errors name the file, line and column.
/// `origin` is [`Origin::CommandLine`] for `--config`, [`Origin::Tree`] for a file found.
pub fn load(path: &Path, origin: Origin) -> Result<Loaded, String> {
    let text = read_text(path, origin, MAX_FILE_BYTES)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse(&text, path).map(|config| Loaded {
        path: path.to_path_buf(),
        config,
    })
}

pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
    let position = |offset: usize| {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, column)
    };
    // Check keys first, to suggest the nearest valid one.
    if let Ok(table) = text.parse::<toml::Table>() {
        for key in table.keys() {
            if !KEYS.contains(&key.as_str()) {
                let offset = text.find(key.as_str()).unwrap_or(0);
                let (line, column) = position(offset);
                let near = KEYS
                    .iter()
                    .min_by_key(|k| crate::distance::distance(key, k))
                    .filter(|k| crate::distance::distance(key, k) <= 3);
                return Err(match near {
                    Some(near) => format!(
                        "{}:{line}:{column}: unknown key `{key}`; did you mean `{near}`?",
                        path.display()
                    ),
                    None => format!(
                        "{}:{line}:{column}: unknown key `{key}`; valid keys: {}",
                        path.display(),
                        KEYS.join(", ")
                    ),
                });
            }
        }
    }
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| position(s.start));
        format!("{}:{line}:{column}: {}", path.display(), e.message())
    })?;
    for (rule, level) in &config.severity {
        if crate::rules::Level::parse(level).is_none() {
            return Err(format!(
                "{}: severity of `{rule}` is `{level}`; use `error`, `warning` or `note`",
                path.display()
            ));
        }
    }
    Ok(config)
}

/// The JSON schema of the configuration file (`trailwatch config schema`).
pub fn schema() -> serde_json::Value {
    serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/trailwatch/trailwatch/trailwatch.schema.json",
        "title": "trailwatch configuration (.trailwatch.toml)",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "profile": {"type": "string", "pattern": "^(all|cis-[0-9]+\\.[0-9]+)$", "description": "Controls of one CIS benchmark version (cis-1.2 … cis-6.0) or all."},
            "rules": {"description": "Check only these rules.", "type": "array", "items": {"type": "string"}},
            "disable": {"description": "Never report these rules.", "type": "array", "items": {"type": "string"}},
            "require": {"type": "boolean", "description": "Report every selected control missing even when there is nothing to check."},
            "cloudtrail_log_groups": {"description": "Log groups a trail outside this configuration delivers CloudTrail events to.", "type": "array", "items": {"type": "string"}},
            "subscribed_topics": {"description": "SNS topic ARNs outside this configuration known to have subscribers.", "type": "array", "items": {"type": "string"}},
            "var_files": {"description": "Variable files, relative to the configuration file.", "type": "array", "items": {"type": "string"}},
            "exclude": {"description": "Paths relative to the configuration file (`*` wildcards) whose findings are not reported.", "type": "array", "items": {"type": "string"}},
            "severity": {"description": "Level overrides: rule id → level.", "type": "object", "additionalProperties": {"enum": ["error", "warning", "note"]}},
            "workspace": {"type": "string", "minLength": 1, "description": "The Terraform workspace `terraform.workspace` names; `--workspace` and `TF_WORKSPACE` win over it."},
        },
    })
}
