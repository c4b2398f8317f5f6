//! The `trailwatch` command line: parses arguments, calls the library, sets the exit code.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

// Every subcommand prints through `cli::output`, so a write error is an error, never a
// panic. Defined before `mod cli` so that they shadow the standard macros in every module.
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::output::print(format_args!($($arg)*)) };
}
macro_rules! println {
    () => { $crate::cli::output::print(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! eprintln {
    () => { $crate::cli::output::eprint(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::eprint(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "trailwatch", version, about = "Prove that your Terraform-defined CloudTrail monitoring actually fires", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that every monitoring control works end to end.
    Check(cli::check::CheckArgs),
    /// Check, test and format CloudWatch Logs filter patterns.
    #[command(subcommand)]
    Pattern(cli::pattern::PatternCommand),
    /// List the rules (the 16 controls and the chain-wide rules).
    Rules {
        /// Print the Markdown table the README embeds.
        #[arg(long)]
        markdown: bool,
        /// `json`: every rule with its name, level, kind, defects, controls and profiles.
        #[arg(long, value_parser = ["text", "json"], default_value = "text")]
        format: String,
    },
    /// Explain one rule: what it checks, why, an example and the fix.
    Explain {
        /// A rule id, e.g. `iam-policy-changes` (see `trailwatch rules`).
        rule: String,
    },
    /// The configuration file (`.trailwatch.toml`).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Show the evaluated Terraform resources the analyzer sees (values, references, locations).
    Inspect(cli::inspect::InspectArgs),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the JSON schema of `.trailwatch.toml` (for editors and validators).
    Schema,
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so a closed pipe (`| head`) would make printing panic.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // A bug must never look like "no findings": report it and exit 2.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "internal error: trailwatch crashed ({info}); please report this with the input that caused it"
        );
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || run(cli, &matches))) {
        Ok(code) => ExitCode::from(cli::output::finish(code)),
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli, matches: &clap::ArgMatches) -> u8 {
    match cli.command {
        Command::Check(args) => cli::check::run(args, matches.subcommand_matches("check")),
        Command::Pattern(command) => cli::pattern::run(command),
        Command::Rules { markdown, format } => cli::rules::list(markdown, format == "json"),
        Command::Explain { rule } => cli::rules::explain(&rule),
        Command::Inspect(args) => cli::inspect::run(args, matches.subcommand_matches("inspect")),
        Command::Config(ConfigCommand::Schema) => {
            let schema = trailwatch::config::schema();
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            0
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "trailwatch", &mut script);
            cli::output::print_bytes(&script);
            0
        }
    }
}
