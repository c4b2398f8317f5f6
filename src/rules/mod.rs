//! The controls and chain-wide rules, and (with the model) the checks that turn the
//! monitoring graph into findings.

pub mod catalog;
pub mod check;
pub mod defect;
pub mod finding;
pub mod status;
pub mod suppress;

pub use catalog::{Control, controls};
pub use defect::Defect;
pub use finding::{Finding, Fix, Level, Location, Related};
pub use status::ControlStatus;
