//! trailwatch: proves, before `terraform apply`, that CloudTrail events a security
//! team must hear about reach a human. See `DESIGN.md` in the shared folder for the stages:
//! discover → terraform → model → pattern → rules → report.

// No panics on anything derived from input: errors become diagnostics.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod check;
pub mod config;
pub mod discover;
pub mod distance;
pub mod model;
pub mod pattern;
pub mod report;
pub mod rules;
pub mod terraform;
