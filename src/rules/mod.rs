//! The controls and chain-wide rules, and (with the model) the checks that turn the
//! monitoring graph into findings.

pub mod catalog;
pub mod chain;
pub mod check;
pub mod finding;
pub mod suppress;

pub use catalog::{Control, controls};
pub use chain::{CHAIN_RULES, ChainRule, chain_rule};
pub use finding::{Finding, Fix, Level, Location, Related};
