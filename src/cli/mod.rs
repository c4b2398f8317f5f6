//! One module per subcommand; each returns the process exit code.

pub mod check;
pub mod inspect;
pub mod output;
pub mod pattern;
mod records;
mod render;
mod reports;
pub mod rules;
mod suggest;
mod vars;
