//! `trailwatch check [PATH...]`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use trailwatch::config;
use trailwatch::discover::read::{self, Origin};
use trailwatch::pattern::wildcard_matches;
use trailwatch::report::{self, docs, printable};
use trailwatch::rules::check::CheckOptions;
use trailwatch::rules::{Level, controls};
use trailwatch::terraform::{LoadOptions, VarArg};

use super::render::use_color;
use super::suggest::nearest;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    /// A GitHub job summary in Markdown (`$GITHUB_STEP_SUMMARY`).
    Summary,
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
    /// Also write the report in FORMAT to PATH (`-`: standard output), from the same
    /// analysis (repeatable), e.g. `--report sarif=trailwatch.sarif --report summary=summary.md`.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = super::reports::parse)]
    pub reports: Vec<(Format, PathBuf)>,
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
    /// The Terraform workspace `terraform.workspace` names (default: `TF_WORKSPACE`, the
    /// configuration file's `workspace`, or each root's selected workspace).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// Exit 1 when a finding at or above this level exists.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// SARIF `automationDetails.id`, to tell several uploads apart.
    #[arg(long)]
    pub sarif_category: Option<String>,
    /// The configuration file (default: `.trailwatch.toml` found by walking up from the
    /// first path).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// A plan in JSON (`terraform show -json plan.out > plan.json`): check its fully
    /// resolved values; PATH, when given, holds the configuration for source locations.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Findings in this baseline file are reported as known, and do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings as the baseline in FILE.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Also say (on standard error) which root modules were checked and which files were
    /// skipped and why.
    #[arg(long, short)]
    pub verbose: bool,
    /// Human output: findings only, no notes and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A usage or I/O error: the message may quote the scanned tree (a path, a key of the
/// configuration file), so its control characters are escaped.
fn usage(message: &str) -> u8 {
    eprintln!("error: {}", printable(message));
    2
}

/// A file stands for its directory: a root module is judged as a whole, so a change to
/// one file (pre-commit passes file names) is checked with its neighbours.
fn module_directories(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for path in paths {
        let dir = if path.is_file() {
            match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            }
        } else {
            path.clone()
        };
        if !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// Checks that each id names a rule; the error suggests the nearest one.
fn check_ids<'a>(
    ids: impl Iterator<Item = &'a String>,
    known: &[String],
    what: &str,
) -> Result<(), String> {
    for id in ids {
        if !known.contains(id) {
            return Err(match nearest(id, known.iter().map(String::as_str)) {
                Some(near) => format!("{what}: unknown rule `{id}`; did you mean `{near}`?"),
                None => format!("{what}: unknown rule `{id}`; `trailwatch rules` lists them"),
            });
        }
    }
    Ok(())
}

fn load_config(args: &CheckArgs) -> Result<Option<config::Loaded>, String> {
    match &args.config {
        Some(path) => config::load(path, Origin::CommandLine).map(Some),
        None => args
            .paths
            .first()
            .and_then(|p| config::find(p))
            .map(|p| config::load(&p, Origin::Tree))
            .transpose(),
    }
}

pub fn run(args: CheckArgs, matches: Option<&clap::ArgMatches>) -> u8 {
    let controls = match controls() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("internal error: {e}");
            return 2;
        }
    };
    for path in args.paths.iter().chain(&args.plan) {
        if !path.exists() {
            return usage(&format!("{}: no such file or directory", path.display()));
        }
    }
    // Files (pre-commit passes them) stand for their module, judged through the root
    // module that calls it when that root is in the current tree.
    let any_file = args.paths.iter().any(|p| p.is_file());
    let directories = module_directories(&args.paths);
    let paths = if any_file {
        trailwatch::discover::callers::roots_for(&directories, std::path::Path::new("."))
    } else {
        directories
    };
    let args = CheckArgs { paths, ..args };
    let destinations =
        match super::reports::destinations(args.format, args.output.as_deref(), &args.reports) {
            Ok(d) => d,
            Err(e) => return usage(&e),
        };
    let loaded_config = match load_config(&args) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    let config = loaded_config
        .as_ref()
        .map(|l| l.config.clone())
        .unwrap_or_default();
    let config_dir = loaded_config.as_ref().map(|l| l.dir().to_path_buf());
    let ids = docs::rule_ids(&controls);
    let rules = if args.rules.is_empty() {
        config.rules.clone()
    } else {
        args.rules.clone()
    };
    let config_name = loaded_config
        .as_ref()
        .map(|l| l.path.display().to_string())
        .unwrap_or_default();
    if let Err(e) = check_ids(args.rules.iter(), &ids, "--rule")
        .and_then(|_| check_ids(config.rules.iter(), &ids, &config_name))
        .and_then(|_| check_ids(config.disable.iter(), &ids, &config_name))
        .and_then(|_| check_ids(config.severity.keys(), &ids, &config_name))
    {
        return usage(&e);
    }
    let mut selected: Vec<String> = controls.iter().map(|c| c.id.clone()).collect();
    let profile = args.profile.as_ref().or(config.profile.as_ref());
    if let Some(name) = profile {
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
    if !rules.is_empty() {
        selected.retain(|id| rules.contains(id));
    }
    selected.retain(|id| !config.disable.contains(id));
    // Terraform's precedence: a later argument wins, so the configuration's files come first.
    let mut vars: Vec<VarArg> = Vec::new();
    for file in &config.var_files {
        match config_var_file(file, config_dir.as_deref(), &config_name) {
            Ok(path) => vars.push(VarArg::File(path)),
            Err(e) => return usage(&e),
        }
    }
    match super::vars::ordered(matches, &args.vars, &args.var_files) {
        Ok(given) => vars.extend(given),
        Err(e) => return usage(&e),
    }
    // A pipe (`--var-file <(…)`) is a file too; only a missing path or a directory is not.
    for var in &vars {
        if let VarArg::File(file) = var
            && (!file.exists() || file.is_dir())
        {
            return usage(&format!("var file {}: no such file", file.display()));
        }
    }
    let workspace = super::vars::workspace(args.workspace.as_deref(), config.workspace.as_deref());
    let load = LoadOptions { vars, workspace };
    let options = CheckOptions {
        selected,
        require: args.require || config.require,
        benchmark: profile.and_then(|name| trailwatch::check::profile_version(name)),
        cloudtrail_log_groups: config.cloudtrail_log_groups.clone(),
        subscribed_topics: config.subscribed_topics.clone(),
    };
    let mut report = trailwatch::check::check(
        &args.paths,
        args.plan.as_deref(),
        &load,
        &options,
        &controls,
    );
    let scan_root = args
        .paths
        .first()
        .filter(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    report.findings.retain(|f| {
        let named = |id: &String| f.rule == *id || f.control.as_ref() == Some(id);
        // The registry says what each finding concerns (configuration errors concern every
        // rule).
        let selected = |id: &String| trailwatch::rules::check::concerns(f, id, &controls);
        (rules.is_empty() || rules.iter().any(selected))
            && !config.disable.iter().any(named)
            && !excluded(f, &config.exclude, config_dir.as_deref(), &scan_root)
    });
    for f in &mut report.findings {
        if let Some(level) = config.severity.get(&f.rule).and_then(|l| Level::parse(l)) {
            f.level = level;
        }
    }
    if args.verbose {
        if let Some(loaded) = &loaded_config {
            eprintln!("config: {}", printable(&loaded.path.display().to_string()));
        }
        eprintln!(
            "checked {} file(s) in {} root module(s): {}",
            report.files,
            report.roots.len(),
            printable(&report.roots.join(", "))
        );
        for (path, reason) in &report.skipped {
            eprintln!("{}", printable(&format!("skipped {path}: {reason}")));
        }
    }
    if let Some(path) = &args.baseline {
        match report::baseline::read(path) {
            Ok(known) => report::baseline::apply(&mut report, &known),
            Err(e) => return usage(&e),
        }
    }
    if let Some(path) = &args.write_baseline {
        match report::baseline::write(&report, path) {
            Ok(recorded) if !args.quiet => eprintln!(
                "{}",
                printable(&format!(
                    "wrote the baseline to {}: {recorded} finding(s) recorded as known",
                    path.display()
                ))
            ),
            Ok(_) => {}
            Err(e) => return usage(&e),
        }
    }
    let options = super::reports::Options {
        color: use_color(),
        quiet: args.quiet,
        sarif_category: args.sarif_category.as_deref(),
    };
    if let Err(e) = super::reports::write(&report, &controls, &destinations, &options) {
        return usage(&e);
    }
    if args.write_baseline.is_some() {
        // Every current finding is now known: the run that records them succeeds.
        return 0;
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Note => Some(Level::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(level) if report.active().any(|f| f.level >= level) => 1,
        _ => 0,
    }
}

/// A `var_files` entry of the configuration file, which a pull request can change: it may
/// only name a regular file inside the repository holding the configuration file, so a
/// committed `.trailwatch.toml` cannot make trailwatch read (and print) `/proc/self/environ`.
fn config_var_file(
    file: &std::path::Path,
    config_dir: Option<&std::path::Path>,
    config_name: &str,
) -> Result<PathBuf, String> {
    let dir = config_dir.unwrap_or(std::path::Path::new("."));
    let path = dir.join(file);
    let repository = read::repository_root(dir).unwrap_or_else(|| dir.to_path_buf());
    let entry = format!("{config_name}: var_files entry `{}`", file.display());
    if !path.exists() {
        return Err(format!("{entry}: no such file"));
    }
    if !read::within(&path, std::slice::from_ref(&repository)) {
        return Err(format!(
            "{entry} is outside the repository ({}); a configuration file may only name files inside it\n  help: pass files from elsewhere with --var-file",
            repository.display()
        ));
    }
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => Ok(path),
        Ok(meta) => Err(format!(
            "{entry} is {}; a configuration file may only name regular files",
            read::kind_of(meta.file_type())
        )),
        Err(e) => Err(format!("{entry}: {e}")),
    }
}

/// True when the finding's file matches an `exclude` entry (relative to the config file).
fn excluded(
    f: &trailwatch::rules::Finding,
    exclude: &[String],
    config_dir: Option<&std::path::Path>,
    scan_root: &std::path::Path,
) -> bool {
    let (Some(location), Some(config_dir)) = (&f.location, config_dir) else {
        return false;
    };
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let file = absolute(&scan_root.join(&location.path));
    let Ok(relative) = file.strip_prefix(absolute(config_dir)) else {
        return false;
    };
    let relative = relative.to_string_lossy().replace('\\', "/");
    exclude.iter().any(|pattern| {
        let pattern = pattern.trim_end_matches('/');
        wildcard_matches(pattern, &relative) || relative.starts_with(&format!("{pattern}/"))
    })
}
