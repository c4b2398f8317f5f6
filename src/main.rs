//! The `trailwatch` command line: parses arguments, calls the library, sets the exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

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
    },
    /// Explain one rule: what it checks, why, an example and the fix.
    Explain {
        /// A rule id, e.g. `iam-policy-changes` (see `trailwatch rules`).
        rule: String,
    },
    /// Show the evaluated Terraform resources the analyzer sees (values, references, locations).
    Inspect(cli::inspect::InspectArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Pattern(command) => cli::pattern::run(command),
        Command::Rules { markdown } => cli::rules::list(markdown),
        Command::Explain { rule } => cli::rules::explain(&rule),
        Command::Inspect(args) => cli::inspect::run(args),
    };
    ExitCode::from(code)
}
