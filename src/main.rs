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
    /// Check, test and format CloudWatch Logs filter patterns.
    #[command(subcommand)]
    Pattern(cli::pattern::PatternCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Pattern(command) => cli::pattern::run(command),
    };
    ExitCode::from(code)
}
