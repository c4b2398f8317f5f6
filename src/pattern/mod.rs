//! The CloudWatch Logs filter-pattern language: parse (with spans), evaluate on log
//! events, lint, and print in canonical form. See `docs/pattern-language.md` for the
//! semantics and where the CloudWatch documentation is silent.

// Parse errors are built once, on the error path; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod ast;
mod cloudtrail;
pub mod diagnostic;
mod eval;
mod lint;
mod parse;
mod print;
mod regex;
mod wildcard;

pub use ast::{Pattern, Span};
pub use diagnostic::{PatternDiagnostic, Rendered, Severity};
pub use eval::{LogEvent, MAX_EVAL_DEPTH, split_fields};
pub use lint::{Analysis, MAX_PATTERN_CHARS, MAX_REGEXES, analyze, is_hidden_control};
pub use parse::{MAX_DEPTH, MAX_FIELDS, parse};
pub use print::print;
pub use wildcard::matches as wildcard_matches;
