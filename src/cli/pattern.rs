use clap::Subcommand;

#[derive(Subcommand)]
pub enum PatternCommand {
    /// Parse and lint a pattern; print diagnostics and the canonical form.
    Check {
        /// The filter pattern text.
        pattern: String,
    },
}

pub fn run(command: PatternCommand) -> u8 {
    match command {
        PatternCommand::Check { pattern } => {
            println!("{pattern}");
            0
        }
    }
}
