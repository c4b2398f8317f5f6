//! The runner the hostile-input tests share: the real binary with its output in files, a
//! time limit and (Linux) its peak resident set polled while it runs.

use std::fs;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How a polled run ended.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident set in kB (0 where `/proc` does not say).
    pub peak_kb: u64,
}

/// Runs `command` with standard input closed, standard error (and standard output, unless
/// `stdout` redirects it: a full device, a closed pipe) in files read back, polling its peak
/// RSS. A run that outlives `timeout` is killed and fails the test as a hang.
pub fn run_polled(command: &mut Command, stdout: Option<Stdio>, timeout: Duration) -> Finished {
    let out = tempfile::tempdir().expect("temp dir");
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let stdout =
        stdout.unwrap_or_else(|| fs::File::create(&stdout_path).expect("stdout file").into());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("the trailwatch binary runs");
    let start = Instant::now();
    let mut peak_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for trailwatch") {
            break status;
        }
        peak_kb = peak_kb.max(peak_rss_kb(child.id()));
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {timeout:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |path| String::from_utf8_lossy(&fs::read(path).unwrap_or_default()).into_owned();
    Finished {
        status,
        stdout: read(&stdout_path),
        stderr: read(&stderr_path),
        peak_kb,
    }
}

/// The peak resident set of a running process, in kB (0 where unknown).
fn peak_rss_kb(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
