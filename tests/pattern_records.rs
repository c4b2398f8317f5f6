//! `pattern test` reads records as a stream: bounded memory on endless or huge input,
//! and a clear error naming the file and line for a bad record.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Peak resident set allowed for any run here. A record file held in memory would
/// need more than the 120 MiB that `a_huge_stream_is_read_in_bounded_memory` sends.
const MAX_RSS_KB: u64 = 100 * 1024;
const TIMEOUT: Duration = Duration::from_secs(240);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    peak_kb: u64,
}

/// Runs `trailwatch pattern test` with stdout and stderr in files, polling its peak RSS.
fn pattern_test(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trailwatch"));
    command
        .arg("pattern")
        .arg("test")
        .args(args)
        .env("NO_COLOR", "1");
    let done = common::run_polled(&mut command, None, TIMEOUT);
    Run {
        code: done.status.code().unwrap_or(-1),
        stdout: done.stdout,
        stderr: done.stderr,
        peak_kb: done.peak_kb,
    }
}

/// A FIFO at `path` (Unix only; the tests that use one are skipped elsewhere).
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

const RECORD: &str = r#"{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64)","additionalEventData":{"MFAUsed":"No","LoginTo":"https://console.aws.amazon.com/"},"responseElements":{"ConsoleLogin":"Success"},"padding":"#;

#[test]
fn dev_zero_is_refused_at_the_line_limit_in_bounded_memory() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let run = pattern_test(&["{ $.a = 1 }", "/dev/zero"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("/dev/zero:1: line is longer than 32 MiB"),
        "{}",
        run.stderr
    );
    assert!(run.peak_kb <= MAX_RSS_KB, "{} kB", run.peak_kb);
}

#[test]
fn a_huge_stream_is_read_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("records.jsonl");
    if !mkfifo(&fifo) {
        return;
    }
    let line = format!("{RECORD}\"{}\"}}\n", "x".repeat(1024));
    let count = (120usize << 20) / line.len() + 1;
    let writer = {
        let fifo = fifo.clone();
        let line = line.clone();
        std::thread::spawn(move || {
            let Ok(file) = std::fs::OpenOptions::new().write(true).open(&fifo) else {
                return;
            };
            let mut out = std::io::BufWriter::new(file);
            for _ in 0..count {
                if out.write_all(line.as_bytes()).is_err() {
                    return;
                }
            }
        })
    };
    let run = pattern_test(&[
        "--format",
        "json",
        "{ $.additionalEventData.MFAUsed = \"No\" }",
        &fifo.to_string_lossy(),
    ]);
    let _ = writer.join();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(&format!(
            "\"matched\": {count},\n  \"total\": {count}\n}}\n"
        )),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(200)..]
    );
    assert!(run.peak_kb <= MAX_RSS_KB, "{} kB", run.peak_kb);
}

#[test]
fn an_endless_line_from_a_pipe_stops_at_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("endless");
    if !mkfifo(&fifo) {
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let Ok(mut file) = std::fs::OpenOptions::new().write(true).open(&fifo) else {
                return;
            };
            let chunk = vec![b'{'; 1 << 16];
            // Until trailwatch stops reading (the write fails with a broken pipe).
            while file.write_all(&chunk).is_ok() {}
        })
    };
    let run = pattern_test(&["{ $.a = 1 }", &fifo.to_string_lossy()]);
    let _ = writer.join();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(":1: line is longer than"),
        "{}",
        run.stderr
    );
    assert!(run.peak_kb <= MAX_RSS_KB, "{} kB", run.peak_kb);
}

#[test]
fn a_document_larger_than_the_limit_is_refused_before_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.json");
    let mut file = std::fs::File::create(&path).expect("create");
    // A pretty-printed document (its first line is not JSON by itself), sparse beyond.
    file.write_all(b"{\n  \"Records\": [\n").expect("write");
    file.set_len(40 << 20).expect("grow");
    drop(file);
    let run = pattern_test(&["{ $.a = 1 }", &path.to_string_lossy()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("as one JSON document the file is larger than 32 MiB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("big.json: line 1 is not a JSON record"),
        "{}",
        run.stderr
    );
    assert!(run.peak_kb <= MAX_RSS_KB, "{} kB", run.peak_kb);
}

#[test]
fn bad_records_name_file_and_line_and_the_rest_is_still_tested() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mixed.jsonl");
    std::fs::write(
        &path,
        "{\"eventName\":\"A\"}\n\n{\"eventName\": \n{\"eventName\":\"B\"}\n\u{ff}\n[{\"eventName\":\"C\"},{\"eventName\":\"D\"}]\n",
    )
    .expect("write");
    let run = pattern_test(&["{ $.eventName = * }", &path.to_string_lossy()]);
    assert_eq!(run.code, 2);
    let name = path.display().to_string();
    assert!(
        run.stderr.contains(&format!("{name}:3:")),
        "the broken record on line 3: {}",
        run.stderr
    );
    assert!(run.stderr.contains("not a JSON record"), "{}", run.stderr);
    assert!(run.stdout.contains(&format!("{name}:6")), "{}", run.stdout);
    assert!(
        run.stdout.ends_with("4 of 4 records matched\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_pretty_printed_document_still_works() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trail.json");
    std::fs::write(
        &path,
        "{\n  \"Records\": [\n    {\"eventName\": \"A\"},\n    {\"eventName\": \"B\"}\n  ]\n}\n",
    )
    .expect("write");
    let run = pattern_test(&["{ $.eventName = B }", &path.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("trail.json[1]"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with("1 of 2 records matched\n"),
        "{}",
        run.stdout
    );
    // A single-line document that is not JSON: the parser's position.
    std::fs::write(&path, "{\"Records\": [}\n").expect("write");
    let run = pattern_test(&["{ $.eventName = B }", &path.to_string_lossy()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("trail.json:1:"), "{}", run.stderr);
}
