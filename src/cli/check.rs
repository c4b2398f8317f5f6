//! `trailwatch check [PATH...]`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use trailwatch::report::{self, docs};
use trailwatch::rules::check::CheckOptions;
use trailwatch::rules::{Level, controls};
use trailwatch::terraform::LoadOptions;

use super::render::use_color;
use super::suggest::nearest;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Directories (root modules) or files to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Check the controls of one benchmark version: cis-1.2, cis-1.4, cis-3.0, cis-6.0, …, or all.
    #[arg(long)]
    pub profile: Option<String>,
    /// Check only this rule (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Report every selected control missing even when there is nothing to check.
    #[arg(long)]
    pub require: bool,
    /// A variable definitions file (repeatable), as `terraform -var-file`.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A variable value (repeatable), as `terraform -var`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Exit 1 when a finding at or above this level exists.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// SARIF `automationDetails.id`, to tell several uploads apart.
    #[arg(long)]
    pub sarif_category: Option<String>,
    /// Human output: findings only, no notes and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

fn usage(message: &str) -> u8 {
    eprintln!("error: {message}");
    2
}

pub fn run(args: CheckArgs) -> u8 {
    let controls = match controls() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("internal error: {e}");
            return 2;
        }
    };
    let mut selected = Vec::new();
    if let Some(name) = &args.profile {
        match trailwatch::check::profile(name, &controls) {
            Some(ids) => selected = ids,
            None => {
                let names = trailwatch::check::profile_names(&controls);
                return usage(&format!(
                    "unknown profile `{name}`; choose one of: {}",
                    names.join(", ")
                ));
            }
        }
    }
    let ids = docs::rule_ids(&controls);
    for rule in &args.rules {
        if !ids.contains(rule) {
            return usage(&match nearest(rule, ids.iter().map(String::as_str)) {
                Some(near) => format!("unknown rule `{rule}`; did you mean `{near}`?"),
                None => format!("unknown rule `{rule}`; `trailwatch rules` lists them"),
            });
        }
    }
    if !args.rules.is_empty() {
        let control_rules: Vec<String> = args
            .rules
            .iter()
            .filter(|r| controls.iter().any(|c| &&c.id == r))
            .cloned()
            .collect();
        selected = if selected.is_empty() {
            control_rules
        } else {
            selected
                .into_iter()
                .filter(|s| control_rules.contains(s))
                .collect()
        };
    }
    for path in &args.paths {
        if !path.exists() {
            return usage(&format!("{}: no such file or directory", path.display()));
        }
    }
    let mut vars = Vec::new();
    for var in &args.vars {
        match var.split_once('=') {
            Some((name, value)) => vars.push((name.to_string(), value.to_string())),
            None => return usage(&format!("--var `{var}`: expected NAME=VALUE")),
        }
    }
    for file in &args.var_files {
        if !file.is_file() {
            return usage(&format!("--var-file {}: no such file", file.display()));
        }
    }
    let load = LoadOptions {
        vars,
        var_files: args.var_files.clone(),
    };
    let options = CheckOptions {
        selected,
        require: args.require,
        cloudtrail_log_groups: Vec::new(),
    };
    let mut report = trailwatch::check::check(&args.paths, &load, &options, &controls);
    if !args.rules.is_empty() {
        report.findings.retain(|f| {
            args.rules.contains(&f.rule)
                || f.control.as_ref().is_some_and(|c| args.rules.contains(c))
        });
    }
    let text = match args.format {
        Format::Human => report::human::render(
            &report,
            &report::human::Options {
                color: use_color() && args.output.is_none(),
                quiet: args.quiet,
            },
        ),
        Format::Json => report::json::render(&report),
        Format::Sarif => report::sarif::render(&report, &controls, args.sarif_category.as_deref()),
        Format::Github => report::github::render(&report),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                return usage(&format!("{}: cannot write the report: {e}", path.display()));
            }
        }
        None => print!("{text}"),
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Note => Some(Level::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(level) if report.findings.iter().any(|f| f.level >= level) => 1,
        _ => 0,
    }
}
