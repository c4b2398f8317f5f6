//! `--var` and `--var-file`, in the order they were given; the workspace.

use std::path::PathBuf;

use clap::ArgMatches;
use trailwatch::terraform::VarArg;

/// The `--var NAME=VALUE` and `--var-file F` arguments in command-line order, as Terraform
/// applies them (a later one wins). `matches` are the subcommand's; without them all files
/// come before all values.
pub fn ordered(
    matches: Option<&ArgMatches>,
    vars: &[String],
    files: &[PathBuf],
) -> Result<Vec<VarArg>, String> {
    let positions = |id: &str, count: usize| -> Vec<usize> {
        match matches.and_then(|m| m.indices_of(id)) {
            Some(i) => i.collect(),
            None => vec![0; count],
        }
    };
    let mut args: Vec<(usize, usize, VarArg)> = Vec::new();
    for (var, at) in vars.iter().zip(positions("vars", vars.len())) {
        match var.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                args.push((at, 1, VarArg::Value(name.to_string(), value.to_string())));
            }
            _ => return Err(format!("--var `{var}`: expected NAME=VALUE")),
        }
    }
    for (file, at) in files.iter().zip(positions("var_files", files.len())) {
        args.push((at, 0, VarArg::File(file.clone())));
    }
    args.sort_by_key(|(at, kind, _)| (*at, *kind));
    Ok(args.into_iter().map(|(_, _, a)| a).collect())
}

/// The workspace `terraform.workspace` names: `--workspace`, else `TF_WORKSPACE` (as
/// Terraform reads it), else the configuration file's; `None` leaves each root's selected
/// workspace (`.terraform/environment`) or `default`.
pub fn workspace(flag: Option<&str>, config: Option<&str>) -> Option<String> {
    let env = std::env::var("TF_WORKSPACE").ok();
    flag.or(env.as_deref().filter(|w| !w.is_empty()))
        .or(config)
        .map(str::to_string)
}
