//! The controls and, later, the checks that turn the monitoring graph into findings.

pub mod catalog;

pub use catalog::{Control, controls};
