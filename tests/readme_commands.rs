//! Every command the README shows runs as documented: each one is extracted from the README
//! (shell and YAML code blocks, indented blocks, inline `trailwatch …` spans), looked up in
//! `tests/readme_commands.toml` (its expected exit status and what the surrounding text
//! promises, or why it cannot run here), and run through the real binary in a copy of
//! `testdata/readme/`, where the README's file names (`infra/`, `prod.tfvars`, `plan.json`,
//! `records.json`, …) exist. A command added to the README without an entry fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Expectations {
    command: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    /// The command exactly as the README shows it (without its trailing `# comment`).
    readme: String,
    /// Why it does not run here (another tool, the network, the test suite itself).
    skip: Option<String>,
    /// The concrete commands to run, when the README shows placeholders (`PATTERN`,
    /// `bash|zsh|fish`); default: the README's command.
    #[serde(default)]
    run: Vec<String>,
    /// `repository` runs it in the repository root, else in a copy of `testdata/readme/`.
    cwd: Option<String>,
    exit: Option<i32>,
    /// Text standard output must contain (what the README says the command prints).
    #[serde(default)]
    stdout: Vec<String>,
    /// Text standard error must contain.
    #[serde(default)]
    stderr: Vec<String>,
    /// Files the command must write.
    #[serde(default)]
    writes: Vec<String>,
}

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Strips a trailing shell comment (a `#` after whitespace, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return line[..i].trim_end(),
            _ => {}
        }
        previous = c;
    }
    line.trim_end()
}

/// The commands the README shows, with the line each is on.
fn readme_commands(readme: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut previous_blank = true;
    let mut folded: Option<(usize, usize, String)> = None;
    for (index, line) in readme.lines().enumerate() {
        let number = index + 1;
        if let Some(rest) = line.strip_prefix("```") {
            if let Some((start, _, text)) = folded.take() {
                out.push((start, text));
            }
            fence = match fence {
                Some(_) => None,
                None => Some(rest.trim().to_string()),
            };
            continue;
        }
        match fence.as_deref() {
            Some("sh" | "bash" | "console") => {
                let command = strip_comment(line.trim());
                if !command.is_empty() {
                    out.push((number, command.to_string()));
                }
            }
            Some("yaml") => {
                // A folded scalar (`run: >-`) continues on the more-indented lines after it.
                let indent = line.len() - line.trim_start().len();
                if let Some((start, at, text)) = &mut folded {
                    if indent > *at && !line.trim().is_empty() {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(strip_comment(line.trim()));
                        continue;
                    }
                    out.push((*start, std::mem::take(text)));
                    folded = None;
                }
                let trimmed = line.trim_start().trim_start_matches("- ");
                if let Some(command) = trimmed.strip_prefix("run: ") {
                    let command = strip_comment(command.trim());
                    if matches!(command, ">" | ">-" | "|" | "|-") {
                        folded = Some((number, indent, String::new()));
                    } else {
                        out.push((number, command.to_string()));
                    }
                }
            }
            Some(_) => {}
            None => {
                // An indented block (four spaces after a blank line or another such line).
                if let Some(code) = line.strip_prefix("    ")
                    && previous_blank
                    && !code.starts_with(' ')
                {
                    let command = strip_comment(code.trim());
                    if command.starts_with("trailwatch ") || command.starts_with("cargo ") {
                        out.push((number, command.to_string()));
                    }
                    continue;
                }
                // Inline code spans that are trailwatch commands (a heading names a section).
                if line.starts_with('#') {
                    previous_blank = false;
                    continue;
                }
                for (i, span) in line.split('`').enumerate() {
                    if i % 2 == 1 && span.starts_with("trailwatch ") {
                        out.push((number, span.to_string()));
                    }
                }
            }
        }
        previous_blank = fence.is_none() && (line.trim().is_empty() || line.starts_with("    "));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create sandbox");
    for entry in std::fs::read_dir(from).expect("read testdata/readme") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A directory whose only entry is `trailwatch`, a link to the binary under test, so the
/// README's commands run as written.
fn bin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_trailwatch"),
        dir.path().join("trailwatch"),
    )
    .expect("link the binary");
    dir
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(command: &str, cwd: &Path, bin: &Path) -> Outcome {
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(cwd)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("TF_WORKSPACE")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .output()
        .expect("sh runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn expectations() -> Vec<Expected> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/readme_commands.toml"))
        .expect("tests/readme_commands.toml");
    toml::from_str::<Expectations>(&text)
        .expect("tests/readme_commands.toml parses")
        .command
}

#[test]
fn every_readme_command_has_an_expectation_and_every_expectation_a_command() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let shown = readme_commands(&readme);
    let expected = expectations();
    let mut known: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &expected {
        *known.entry(e.readme.as_str()).or_default() += 1;
        assert!(
            e.skip.is_some() || e.exit.is_some(),
            "`{}`: give `exit` or `skip`",
            e.readme
        );
    }
    let twice: Vec<_> = known.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "listed twice: {twice:?}");
    let missing: Vec<String> = shown
        .iter()
        .filter(|(_, c)| !known.contains_key(c.as_str()))
        .map(|(line, c)| format!("README.md:{line}: {c}"))
        .collect();
    assert!(
        missing.is_empty(),
        "README commands without an entry in tests/readme_commands.toml (add the exit status \
         it documents, or why it cannot run):\n{}",
        missing.join("\n")
    );
    let gone: Vec<&str> = expected
        .iter()
        .map(|e| e.readme.as_str())
        .filter(|c| !shown.iter().any(|(_, s)| s == c))
        .collect();
    assert!(gone.is_empty(), "entries no longer in the README: {gone:?}");
}

#[test]
fn every_readme_command_exits_as_documented() {
    let bin = bin_dir();
    let mut failures = Vec::new();
    let mut ran = 0;
    for e in expectations() {
        if e.skip.is_some() {
            continue;
        }
        let commands = if e.run.is_empty() {
            vec![e.readme.clone()]
        } else {
            e.run.clone()
        };
        for command in commands {
            let sandbox = tempfile::tempdir().expect("tempdir");
            let cwd: PathBuf = if e.cwd.as_deref() == Some("repository") {
                PathBuf::from(ROOT)
            } else {
                copy_dir(&Path::new(ROOT).join("testdata/readme"), sandbox.path());
                sandbox.path().to_path_buf()
            };
            let outcome = run(&command, &cwd, bin.path());
            ran += 1;
            let mut wrong = Vec::new();
            if Some(outcome.code) != e.exit {
                wrong.push(format!("exit {} (README: {:?})", outcome.code, e.exit));
            }
            for text in &e.stdout {
                if !outcome.stdout.contains(text.as_str()) {
                    wrong.push(format!("stdout lacks {text:?}"));
                }
            }
            for text in &e.stderr {
                if !outcome.stderr.contains(text.as_str()) {
                    wrong.push(format!("stderr lacks {text:?}"));
                }
            }
            for file in &e.writes {
                if !cwd.join(file).is_file() {
                    wrong.push(format!("did not write {file}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "`{command}`: {}\n--- stdout (first 2000 bytes)\n{}\n--- stderr\n{}",
                    wrong.join("; "),
                    outcome.stdout.chars().take(2000).collect::<String>(),
                    outcome.stderr
                ));
            }
        }
    }
    assert!(ran > 20, "only {ran} commands ran");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_configuration_example_loads() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let start = readme
        .find("**Configuration file.**")
        .expect("the configuration section");
    let block = readme[start..]
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a toml block after **Configuration file.**");
    let sandbox = tempfile::tempdir().expect("tempdir");
    copy_dir(&Path::new(ROOT).join("testdata/readme"), sandbox.path());
    std::fs::write(sandbox.path().join(".trailwatch.toml"), block).expect("write config");
    std::fs::create_dir_all(sandbox.path().join("env")).expect("env/");
    std::fs::write(sandbox.path().join("env/prod.tfvars"), "env = \"prod\"\n").expect("tfvars");
    let bin = bin_dir();
    let outcome = run("trailwatch check --format json", sandbox.path(), bin.path());
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    // `profile = "cis-1.4"` (4.1–4.15) and `disable = ["mfa-deactivation"]` take effect.
    let controls = report["controls"].as_object().expect("controls");
    assert_eq!(controls.len(), 15, "{controls:?}");
    assert!(!controls.contains_key("mfa-deactivation"));
}

/// The shells the README lists are the ones `trailwatch completions` accepts.
#[test]
fn the_completions_list_is_the_accepted_one() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let listed = readme
        .split("`trailwatch completions ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .expect("the README names the shells");
    let bin = bin_dir();
    let help = run("trailwatch completions --help", Path::new(ROOT), bin.path()).stdout;
    let accepted = help
        .split("[possible values: ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("clap lists the shells");
    assert_eq!(listed.replace('|', ", "), accepted);
}

#[test]
fn comments_and_quotes_are_told_apart() {
    assert_eq!(
        strip_comment("trailwatch check   # here"),
        "trailwatch check"
    );
    assert_eq!(
        strip_comment("trailwatch pattern test '{ $.a = \"#x\" }' f # c"),
        "trailwatch pattern test '{ $.a = \"#x\" }' f"
    );
    let shown = readme_commands(
        "a\n\n    trailwatch inspect x/   # c\n\n```sh\n# only\ncargo t\n```\n`trailwatch rules` b\n```yaml\n  - run: trailwatch check . # y\n```\n",
    );
    let commands: Vec<&str> = shown.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(
        commands,
        [
            "trailwatch inspect x/",
            "cargo t",
            "trailwatch rules",
            "trailwatch check ."
        ]
    );
}
