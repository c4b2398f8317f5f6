//! Several reports from one analysis: `--format`/`--output` and each `--report FORMAT=PATH`
//! (`-` for standard output), written in that order. A report written to a file says so in
//! one line on standard error, with the counts the terminal would otherwise not show.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use trailwatch::report::{self, Report};
use trailwatch::rules::Control;

use super::check::Format;

/// One report to write: where (`None`: standard output) and in which format.
pub struct Destination {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// How the reports are rendered, beside their format.
pub struct Options<'a> {
    pub color: bool,
    pub quiet: bool,
    pub sarif_category: Option<&'a str>,
}

/// Parses `FORMAT=PATH` (clap value parser of `--report`).
pub fn parse(text: &str) -> Result<(Format, PathBuf), String> {
    let names = || {
        Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((format, path)) = text.split_once('=') else {
        return Err(format!(
            "expected FORMAT=PATH, e.g. sarif=trailwatch.sarif (FORMAT: {})",
            names()
        ));
    };
    let format = Format::from_str(format, false)
        .map_err(|_| format!("unknown format `{format}`; choose one of: {}", names()))?;
    if path.is_empty() {
        return Err(format!("no path after `{text}`; `-` is standard output"));
    }
    Ok((format, PathBuf::from(path)))
}

fn format_name(format: Format) -> String {
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// Every destination: `--format` to `--output` (or standard output), then each `--report`.
/// Two reports into one file would leave only the last one: a usage error.
pub fn destinations(
    format: Format,
    output: Option<&Path>,
    reports: &[(Format, PathBuf)],
) -> Result<Vec<Destination>, String> {
    let mut out = vec![Destination {
        format,
        path: output.map(Path::to_path_buf),
    }];
    // `out.sarif` and `./out.sarif` are one file.
    let same = |a: &Path, b: &Path| {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        absolute(a).components().eq(absolute(b).components())
    };
    for (format, path) in reports {
        let path = (path.as_os_str() != "-").then(|| path.clone());
        if let Some(p) = &path
            && out
                .iter()
                .any(|d| d.path.as_deref().is_some_and(|q| same(p, q)))
        {
            return Err(format!(
                "{}: two reports would be written to this file; give each its own path",
                p.display()
            ));
        }
        out.push(Destination {
            format: *format,
            path,
        });
    }
    Ok(out)
}

/// Where else this run puts every finding, for the GitHub annotations and the job summary
/// to point at when they show only some.
fn elsewhere(destinations: &[Destination], this: Format) -> Vec<String> {
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY");
    destinations
        .iter()
        .filter(|d| d.format != this)
        .filter_map(|d| {
            let path = d.path.as_ref()?;
            let shown = path.display();
            match d.format {
                Format::Sarif => Some(format!(
                    "the code scanning alerts (the SARIF report `{shown}`, once uploaded)"
                )),
                Format::Summary if summary.as_deref() == Some(path.as_os_str()) => {
                    Some("the job summary".into())
                }
                Format::Summary => Some(format!("the summary `{shown}`")),
                Format::Json | Format::Human => Some(format!("`{shown}`")),
                Format::Github => None,
            }
        })
        .collect()
}

fn render(
    report: &Report,
    controls: &[Control],
    destinations: &[Destination],
    d: &Destination,
    options: &Options,
) -> String {
    match d.format {
        Format::Human => report::human::render(
            report,
            &report::human::Options {
                color: options.color && d.path.is_none(),
                quiet: options.quiet,
            },
        ),
        Format::Json => report::json::render(report),
        Format::Sarif => report::sarif::render(report, controls, options.sarif_category),
        Format::Github => report::github::render(report, &elsewhere(destinations, d.format)),
        Format::Summary => {
            report::summary::render(report, controls, &elsewhere(destinations, d.format))
        }
    }
}

/// Writes every report; the first file that cannot be written is the error.
pub fn write(
    report: &Report,
    controls: &[Control],
    destinations: &[Destination],
    options: &Options,
) -> Result<(), String> {
    for d in destinations {
        let text = render(report, controls, destinations, d, options);
        match &d.path {
            None => print!("{text}"),
            Some(path) => {
                std::fs::write(path, text)
                    .map_err(|e| format!("{}: cannot write the report: {e}", path.display()))?;
                if !options.quiet {
                    eprintln!(
                        "{}",
                        report::printable(&format!(
                            "wrote the {} report to {}: {}",
                            format_name(d.format),
                            path.display(),
                            report.counts()
                        ))
                    );
                }
            }
        }
    }
    Ok(())
}
