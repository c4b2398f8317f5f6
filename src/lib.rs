//! trailwatch: proves, before `terraform apply`, that CloudTrail events a security
//! team must hear about reach a human. See `DESIGN.md` in the shared folder for the stages.

pub mod discover;
pub mod pattern;
pub mod report;
pub mod rules;
pub mod terraform;
