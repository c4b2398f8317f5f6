//! What a check concludes about each control.

/// How one control fared in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControlStatus {
    Pass,
    Fail,
    Unverifiable,
    /// Not selected (`--rule`, `--profile`).
    Skipped,
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Pass => "pass",
            ControlStatus::Fail => "fail",
            ControlStatus::Unverifiable => "unverifiable",
            ControlStatus::Skipped => "skipped",
        }
    }
}
