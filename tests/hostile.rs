//! Hostile inputs through the real binary. Each tree holds one hostile input next to a valid
//! configuration (`testdata/check/typo-event-name/main.tf`, copied as `valid.tf`), and each
//! test asserts that trailwatch
//!
//! - names the hostile file (and line, where there is one) in a diagnostic,
//! - exits with the documented status (1 here: the valid file has findings; 2 for usage and
//!   I/O errors) and never crashes ("internal error", a signal, an allocation failure),
//! - still analyses the valid file (its `iam-policy-changes` / `pattern-misses-events`),
//! - finishes within [`TIMEOUT`] (the binary is killed and the test fails otherwise) and, on
//!   Linux, with a peak resident set below [`MAX_RSS_KB`].
//!
//! Large inputs are generated into a temporary directory at run time. See
//! `docs/reliability.md` for the list and for the fuzz targets.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// Every run is killed after this long; a test that needs it has found a hang.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Peak resident memory allowed for one run (Linux only): well above what a real tree needs,
/// far below what an unbounded expansion reaches.
const MAX_RSS_KB: u64 = 1 << 20;
const VALID: &str = "testdata/check/typo-event-name/main.tf";

struct Run {
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `cwd`, killing it after [`TIMEOUT`]. Fails the test on a hang, a signal
/// (an allocation failure aborts), an "internal error" (a panic), an exit status other than
/// 0, 1 or 2, or (Linux) a peak RSS over [`MAX_RSS_KB`].
fn trailwatch(cwd: &Path, args: &[&str]) -> Run {
    trailwatch_to(cwd, args, None)
}

/// [`trailwatch`] with standard output going to `stdout` (a full device, a closed pipe)
/// instead of a file the test reads.
fn trailwatch_to(cwd: &Path, args: &[&str], stdout: Option<Stdio>) -> Run {
    trailwatch_with(cwd, args, stdout, |_| {})
}

/// [`trailwatch_to`], the command first adjusted by `setup` (another user).
fn trailwatch_with(
    cwd: &Path,
    args: &[&str],
    stdout: Option<Stdio>,
    setup: impl FnOnce(&mut Command),
) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trailwatch"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    setup(&mut command);
    let done = common::run_polled(&mut command, stdout, TIMEOUT);
    let status = done.status;
    let run = Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: status.code().unwrap_or(-1),
        stdout: done.stdout,
        stderr: done.stderr,
    };
    // SIGPIPE is how a writer learns its reader has gone (`| head`): the one signal allowed.
    #[cfg(unix)]
    let closed_pipe = {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(13)
    };
    #[cfg(not(unix))]
    let closed_pipe = false;
    assert!(
        status.code().is_some() || closed_pipe,
        "trailwatch {args:?} was killed by a signal (a crash or an allocation failure): {status:?}\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("internal error"),
        "trailwatch {args:?} crashed:\n{}",
        run.stderr
    );
    assert!(
        (0..=2).contains(&run.code) || closed_pipe,
        "trailwatch {args:?} exited {}:\n{}",
        run.code,
        run.stderr
    );
    assert!(
        done.peak_kb <= MAX_RSS_KB,
        "trailwatch {args:?} used {} kB of memory",
        done.peak_kb
    );
    run
}

/// A temporary tree holding the valid configuration as `valid.tf`.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID);
    fs::copy(valid, dir.path().join("valid.tf")).expect("copy the valid configuration");
    dir
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create directories");
    }
    fs::write(path, content).expect("write a test file");
}

/// The JSON report and the human report of `check .` in `dir`.
struct Checked {
    json: Run,
    report: Value,
    human: Run,
}

fn check(dir: &Path, extra: &[&str]) -> Checked {
    check_with(dir, extra, |_| {})
}

/// [`check`], each command first adjusted by `setup` (another user).
fn check_with(dir: &Path, extra: &[&str], setup: impl Fn(&mut Command)) -> Checked {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let json = trailwatch_with(dir, &args, None, &setup);
    let report: Value = serde_json::from_str(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "trailwatch {:?} printed no JSON report ({e}):\n{}\n{}",
            json.args, json.stdout, json.stderr
        )
    });
    let mut args = vec!["check", "."];
    args.extend_from_slice(extra);
    let human = trailwatch_with(dir, &args, None, &setup);
    assert_eq!(
        json.code, human.code,
        "JSON and human runs disagree on the exit status"
    );
    Checked {
        json,
        report,
        human,
    }
}

fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The valid file was analysed: its misspelt event name is reported, in `valid.tf`.
fn assert_valid_analysed(c: &Checked) {
    let found = findings(&c.report).iter().any(|f| {
        f["rule"] == "iam-policy-changes"
            && f["defect"] == "pattern-misses-events"
            && f["location"]["path"] == "valid.tf"
    });
    assert!(
        found,
        "the valid file was not analysed:\n{}\n{}",
        c.json.stdout, c.json.stderr
    );
    assert!(
        c.human.stdout.contains("valid.tf"),
        "human output does not show the valid file's finding:\n{}",
        c.human.stdout
    );
}

/// A `terraform-syntax` (or, for an expression refused, `terraform-expression`) finding
/// names `file` (in its location or message), at `line` when given, with a message containing
/// `needle`; the human output names the file too.
fn assert_reported(c: &Checked, file: &str, line: Option<u64>, needle: &str) -> Value {
    let hit = findings(&c.report).iter().find(|f| {
        (f["rule"] == "terraform-syntax" || f["rule"] == "terraform-expression")
            && (f["location"]["path"] == file || text(&f["message"]).contains(file))
            && text(&f["message"])
                .to_lowercase()
                .contains(&needle.to_lowercase())
            && line.is_none_or(|l| f["location"]["line"] == l)
    });
    let Some(hit) = hit else {
        panic!(
            "no terraform-syntax finding for {file} (line {line:?}, {needle:?}):\n{}",
            c.json.stdout
        );
    };
    let human = format!("{}{}", c.human.stdout, c.human.stderr);
    assert!(
        human.contains(file),
        "human output does not name {file}:\n{human}"
    );
    hit.clone()
}

fn assert_exit(c: &Checked, code: i32) {
    assert_eq!(
        c.json.code, code,
        "exit status of {:?}:\n{}",
        c.json.args, c.json.stderr
    );
}

/// No finding at all mentions `file`.
fn assert_not_mentioned(c: &Checked, needle: &str) {
    for f in findings(&c.report) {
        let s = f.to_string();
        assert!(
            !s.contains(needle),
            "unexpected finding naming {needle}: {s}"
        );
    }
}

/// An expected `terraform-syntax` diagnostic: file, line (when there is one), message needle.
type Diagnostic<'a> = (&'a str, Option<u64>, &'a str);

/// `check .` in `dir`, asserting what every hostile tree shares: each of `expected` is
/// reported, the valid file is still analysed, and the exit status is 1.
fn check_hostile(dir: &Path, expected: &[Diagnostic]) -> Checked {
    let c = check(dir, &[]);
    for &(file, line, needle) in expected {
        assert_reported(&c, file, line, needle);
    }
    assert_valid_analysed(&c);
    assert_exit(&c, 1);
    c
}

/// A tree holding `files` (name, content) next to the valid file, checked by
/// [`check_hostile`]. The tree is deleted on return: tests that run anything else in it
/// build it with [`tree`] and call [`check_hostile`] themselves.
fn hostile(files: &[(&str, &[u8])], expected: &[Diagnostic]) -> Checked {
    let dir = tree();
    for &(name, content) in files {
        write(dir.path(), name, content);
    }
    check_hostile(dir.path(), expected)
}

// ---- encodings and bytes -----------------------------------------------------------------

/// Invalid UTF-8 (a lone 0xFF inside a string): the file cannot be read as text; it is
/// reported by name, and the valid file is still analysed.
#[test]
fn invalid_utf8() {
    hostile(
        &[("bad.tf", b"locals {\n  x = \"\xff\xfe\"\n}\n")],
        &[("bad.tf", None, "not valid UTF-8")],
    );
}

/// A NUL byte outside a string is a syntax error at its line; inside a string it is just a
/// character.
#[test]
fn nul_bytes() {
    let c = hostile(
        &[
            ("bad.tf", b"locals {\n  x = 1\0\n}\n"),
            ("inside.tf", b"locals {\n  y = \"a\0b\"\n}\n"),
        ],
        &[("bad.tf", Some(2), "")],
    );
    assert_not_mentioned(&c, "inside.tf");
}

/// A binary file named `.tf` (an ELF header and zeroes with invalid UTF-8 bytes).
#[test]
fn binary_file_named_tf() {
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7919 % 256) as u8));
    hostile(&[("binary.tf", &bytes)], &[("binary.tf", None, "")]);
}

/// A UTF-8 byte-order mark: reported at line 1 of the file (or, should the parser ever
/// accept it, loaded).
#[test]
fn utf8_bom() {
    let c = hostile(
        &[(
            "bom.tf",
            b"\xef\xbb\xbfresource \"aws_sns_topic\" \"bom\" {\n  name = \"bom\"\n}\n",
        )],
        &[],
    );
    let reported = findings(&c.report)
        .iter()
        .any(|f| f["rule"] == "terraform-syntax" && f["location"]["path"] == "bom.tf");
    if reported {
        assert_reported(&c, "bom.tf", Some(1), "");
    }
}

/// CRLF line endings parse, and give the same findings, at the same lines and columns, as LF
/// (a span that ends a line ends before the `\r`).
#[test]
fn crlf_line_endings_give_the_same_findings() {
    let lf = tree();
    let crlf = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(lf.path().join("valid.tf")).expect("valid.tf");
    write(crlf.path(), "valid.tf", text.replace('\n', "\r\n"));
    let key = |c: &Checked| -> Vec<String> {
        let mut keys: Vec<String> = findings(&c.report)
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}:{}-{}:{} {}",
                    f["rule"],
                    f["defect"],
                    f["location"]["path"],
                    f["location"]["line"],
                    f["location"]["column"],
                    f["location"]["end_line"],
                    f["location"]["end_column"],
                    f["message"]
                )
            })
            .collect();
        keys.sort();
        keys
    };
    let a = check(lf.path(), &[]);
    let b = check(crlf.path(), &[]);
    assert_valid_analysed(&b);
    assert!(
        !findings(&b.report)
            .iter()
            .any(|f| f["rule"] == "terraform-syntax"),
        "CRLF is not a syntax error:\n{}",
        b.json.stdout
    );
    assert_eq!(key(&a), key(&b));
    assert_exit(&b, 1);
}

/// An empty `.tf` file is a valid, empty file.
#[test]
fn empty_file() {
    let c = hostile(&[("empty.tf", b"")], &[]);
    assert_not_mentioned(&c, "empty.tf");
}

// ---- size and depth ----------------------------------------------------------------------

/// A 50 MB file (generated): over the 16 MiB limit, reported by name without being read.
#[test]
fn file_of_50_mb() {
    let dir = tree();
    let mut f = std::io::BufWriter::new(
        fs::File::create(dir.path().join("huge.tf")).expect("create huge.tf"),
    );
    let line = format!("# {}\n", "x".repeat(97));
    for _ in 0..(50 << 20) / line.len() {
        f.write_all(line.as_bytes()).expect("write huge.tf");
    }
    f.flush().expect("flush huge.tf");
    drop(f);
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, "huge.tf", "cannot be read: file is larger than 16 MiB");
}

/// A 1 MB single line: a string literal and a comment, each a megabyte long, parse.
#[test]
fn single_line_of_1_mb() {
    let big = "a".repeat(1 << 20);
    let c = hostile(
        &[
            (
                "long.tf",
                format!("locals {{\n  x = \"{big}\"\n}}\n").as_bytes(),
            ),
            ("comment.tf", format!("#{big}\n").as_bytes()),
        ],
        &[],
    );
    assert_not_mentioned(&c, "long.tf");
    assert_not_mentioned(&c, "comment.tf");
}

/// Nesting far deeper than the parser allows: brackets, parentheses, unary operators and
/// blocks in HCL, arrays in JSON syntax. Each is a syntax error at its line, not a stack
/// overflow.
#[test]
fn nesting_deeper_than_the_parser_allows() {
    let n = 100_000;
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    hostile(
        &[
            (
                "brackets.tf",
                format!("locals {{\n  x = {open}{close}\n}}\n").as_bytes(),
            ),
            (
                "parens.tf",
                format!("locals {{\n  y = {}1{}\n}}\n", "(".repeat(n), ")".repeat(n)).as_bytes(),
            ),
            (
                "unary.tf",
                format!("locals {{\n  z = {}true\n}}\n", "!".repeat(n)).as_bytes(),
            ),
            (
                "blocks.tf",
                format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n)).as_bytes(),
            ),
            (
                "deep.tf.json",
                format!("{{\"locals\": {{\"w\": {open}{close}}}}}").as_bytes(),
            ),
        ],
        &[
            ("brackets.tf", Some(2), "nest"),
            ("parens.tf", Some(2), "nest"),
            ("unary.tf", Some(2), "nest"),
            ("blocks.tf", None, "nest"),
            ("deep.tf.json", Some(1), "deep"),
        ],
    );
}

/// An unterminated heredoc: a syntax error from its line on.
#[test]
fn unterminated_heredoc() {
    let c = hostile(&[("heredoc.tf", b"locals {\n  x = <<EOT\nabc\n")], &[]);
    let h = assert_reported(&c, "heredoc.tf", None, "");
    assert!(
        h["location"]["line"].as_u64().is_some_and(|l| l >= 2),
        "{h}"
    );
}

/// An unterminated string: a syntax error at its line.
#[test]
fn unterminated_string() {
    hostile(
        &[("string.tf", b"locals {\n  y = \"abc\n}\n")],
        &[("string.tf", Some(2), "")],
    );
}

// ---- the file system ---------------------------------------------------------------------

/// A directory named `main.tf` is not a file: it is walked, not read.
#[test]
fn directory_named_main_tf() {
    let dir = tree();
    fs::create_dir(dir.path().join("main.tf")).expect("mkdir main.tf");
    let c = check_hostile(dir.path(), &[]);
    assert_not_mentioned(&c, "main.tf\"");
}

/// How to run trailwatch so that permissions bind it: as is, or as user `nobody` when the
/// tests run as root (whom `chmod 000` does not stop). `dir` is opened to other users for
/// that. `None` (with the reason printed) when root cannot switch users here.
#[cfg(unix)]
fn unprivileged(dir: &Path) -> Option<impl Fn(&mut Command) + Copy> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    // A directory this process just created is owned by its effective user.
    let root = fs::metadata(dir).expect("stat the tree").uid() == 0;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).expect("chmod the tree");
    let as_nobody = move |c: &mut Command| {
        if root {
            c.uid(65534).gid(65534);
        }
    };
    let mut probe = Command::new(env!("CARGO_BIN_EXE_trailwatch"));
    as_nobody(probe.arg("--version").stdout(Stdio::null()));
    if !probe.status().is_ok_and(|s| s.success()) {
        eprintln!("skipped: running as root, and trailwatch cannot be started as user nobody");
        return None;
    }
    Some(as_nobody)
}

/// A file and directories without read permission (a file `chmod 000`, a directory that
/// cannot be listed, one that cannot be entered) are `file-skipped` warnings with the
/// system's reason, not syntax errors; the rest is analysed. As root the binary runs as
/// `nobody`, so the case is tested there too.
#[cfg(unix)]
#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    let Some(setup) = unprivileged(dir.path()) else {
        return;
    };
    write(dir.path(), "secret.tf", "locals {}\n");
    write(dir.path(), "unlisted/main.tf", "locals {}\n");
    write(dir.path(), "closed/inner/main.tf", "locals {}\n");
    let modes = [("secret.tf", 0o000), ("unlisted", 0o300), ("closed", 0o000)];
    for (name, mode) in modes {
        let path = dir.path().join(name);
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let c = check_with(dir.path(), &[], setup);
    assert_valid_analysed(&c);
    assert_exit(&c, 1);
    assert_skipped(&c, "secret.tf", "cannot be read: Permission denied");
    assert_skipped(&c, "unlisted", "Permission denied");
    assert_skipped(&c, "closed", "Permission denied");
    assert!(
        with_rule(&c, "terraform-syntax").is_empty(),
        "{}",
        c.json.stdout
    );
    for (name, _) in modes {
        let path = dir.path().join(name);
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o755));
    }
}

/// A path that does not exist: exit 2 and a message naming it.
#[test]
fn path_that_does_not_exist() {
    let dir = tree();
    for format in ["json", "human"] {
        let run = trailwatch(dir.path(), &["check", "no/such/dir", "--format", format]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("no/such/dir"), "{}", run.stderr);
    }
}

/// Symbolic link loops (a link to its own directory, two links to each other) are skipped
/// with a reason; the walk ends.
#[cfg(unix)]
#[test]
fn symlink_loop() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    symlink("..", dir.path().join("sub/parent")).expect("symlink");
    symlink("b.tf", dir.path().join("a.tf")).expect("symlink");
    symlink("a.tf", dir.path().join("b.tf")).expect("symlink");
    check_hostile(dir.path(), &[]);
    let verbose = trailwatch(dir.path(), &["check", ".", "--verbose"]);
    assert!(
        verbose.stderr.contains("sub/parent") && verbose.stderr.contains("loop"),
        "{}",
        verbose.stderr
    );
}

/// Symbolic links (to a directory and to a file) that lead outside the scanned root are
/// not followed: the filter outside is never loaded.
#[cfg(unix)]
#[test]
fn symlink_outside_the_root_is_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temp dir");
    write(outside.path(), "evil.tf", OUTSIDE_FILTER);
    let dir = tree();
    symlink(outside.path(), dir.path().join("linked_dir")).expect("symlink");
    symlink(outside.path().join("evil.tf"), dir.path().join("evil.tf")).expect("symlink");
    let c = check_hostile(dir.path(), &[]);
    assert_not_mentioned(&c, "evil_outside");
    let verbose = trailwatch(dir.path(), &["check", ".", "--verbose"]);
    assert!(
        verbose.stderr.contains("linked_dir") && verbose.stderr.contains("outside"),
        "{}",
        verbose.stderr
    );
    let inspect = trailwatch(dir.path(), &["inspect", ".", "--all"]);
    assert!(
        !inspect.stdout.contains("evil_outside"),
        "{}",
        inspect.stdout
    );
}

// ---- modules and references --------------------------------------------------------------

/// A module whose `source` climbs out of the scanned root (to `/` and beyond): loaded as
/// Terraform would, which finds no Terraform files there; nothing crashes.
#[test]
fn module_source_escaping_the_root() {
    hostile(
        &[(
            "escape.tf",
            b"module \"up\" {\n  source = \"../../../../../../../../../../../../../../..\"\n}\n",
        )],
        &[],
    );
}

/// A module that calls itself (`./`, or its own directory by a longer path `./a/..`) and two modules
/// that call each other: each cycle is an error naming the call, not an exponential
/// expansion (before the fix, 10 GB and no end).
#[test]
fn module_cycles() {
    hostile(
        &[
            (
                "self.tf",
                b"module \"me\" {\n  source = \"./\"\n}\nmodule \"again\" {\n  source = \"./a/..\"\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n",
            ),
            ("a/main.tf", b"module \"b\" {\n  source = \"../b\"\n}\n"),
            ("b/main.tf", b"module \"a\" {\n  source = \"../a\"\n}\n"),
        ],
        &[
            ("self.tf", Some(1), "cycle"),
            ("self.tf", Some(4), "cycle"),
            ("b/main.tf", Some(1), "cycle"),
        ],
    );
}

/// Module calls whose `count` multiply (10,000 × 10,000 × 10,000 instances): capped with a
/// diagnostic instead of exhausting memory (before the fix: an allocation failure).
#[test]
fn module_expansion_is_capped() {
    hostile(
        &[
            ("wide.tf", b"module \"m1\" {\n  source = \"./m1\"\n  count  = 10000\n}\n"),
            ("m1/main.tf", b"module \"m2\" {\n  source = \"../m2\"\n  count  = 10000\n}\n"),
            (
                "m2/main.tf",
                b"resource \"aws_sns_topic\" \"t\" {\n  count = 10000\n  name  = \"t${count.index}\"\n}\n",
            ),
        ],
        &[("wide.tf", Some(1), "module instances")],
    );
}

/// Locals that reference each other in a cycle, and one that references itself.
#[test]
fn locals_cycle() {
    let c = hostile(
        &[(
            "cycle.tf",
            b"locals {\n  a = local.b\n  b = local.c\n  c = local.a\n  d = local.d\n}\nresource \"aws_sns_topic\" \"c\" {\n  name = \"${local.a}${local.d}\"\n}\n",
        )],
        &[],
    );
    let f = assert_reported(&c, "cycle.tf", None, "cycle");
    assert!(text(&f["message"]).contains("local.a"), "{f}");
    assert!(
        findings(&c.report)
            .iter()
            .any(|f| text(&f["message"]).contains("local.d → local.d")),
        "{}",
        c.json.stdout
    );
}

// ---- expansion and string building -------------------------------------------------------

/// `count = 100000000`, `for_each` over a huge `range()`, and `range()` itself: capped with
/// diagnostics at their lines; memory stays bounded and the run is quick.
#[test]
fn huge_count_and_for_each() {
    hostile(
        &[(
            "count.tf",
            br#"resource "aws_sns_topic" "many" {
  count = 100000000
  name  = "t${count.index}"
}
resource "aws_sns_topic" "each" {
  for_each = toset([for i in range(100000000) : tostring(i)])
  name     = each.key
}
locals {
  m = { for i in range(10000000) : tostring(i) => i }
}
resource "aws_sns_topic" "each_map" {
  for_each = local.m
  name     = each.key
}
"#,
        )],
        &[
            ("count.tf", Some(2), "count"),
            ("count.tf", Some(6), "range"),
            ("count.tf", Some(10), "range"),
        ],
    );
}

/// String functions asked to build gigabytes: each is refused with a diagnostic at its line
/// (before the fix, doubling, `replace` and `concat` aborted on allocation failure).
#[test]
fn string_functions_building_gigabytes() {
    let mut doubling = String::from("locals {\n  s0 = \"");
    doubling.push_str(&"x".repeat(1000));
    doubling.push_str("\"\n");
    for i in 1..=40 {
        doubling.push_str(&format!(
            "  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    for i in 1..=40 {
        let p = i - 1;
        doubling.push_str(&format!("  l{i} = concat(local.l{p}, local.l{p})\n"));
    }
    doubling.push_str("  l0 = range(1000)\n}\n");
    doubling.push_str("resource \"aws_sns_topic\" \"doubling\" {\n  name = local.s40\n  tags = { n = length(local.l40) }\n}\n");
    let builders = br#"locals {
  x1000 = join("", [for i in range(1000) : "x"])
  joined = join("", [for i in range(100000000) : "x"])
  replaced = replace(replace(replace(local.x1000, "x", local.x1000), "x", local.x1000), "x", local.x1000)
  regex_replaced = replace(replace(local.x1000, "/x/", local.x1000), "/x/", local.x1000)
  formatted = format("%.999999999f", 1)
  repeated = format(join("", [for i in range(1000) : "%[1]s"]), replace(local.x1000, "x", local.x1000))
  listed = formatlist(replace(local.x1000, "x", "%[1]s%[1]s"), [for i in range(1000) : local.x1000])
  separated = join(replace(local.x1000, "x", local.x1000), range(1000))
  split_up = split("", replace(local.x1000, "x", local.x1000))
}
resource "aws_sns_topic" "builders" {
  name = local.joined
  tags = {
    a = local.replaced
    b = local.regex_replaced
    c = local.formatted
    d = local.repeated
    e = jsonencode(local.listed)
    f = local.separated
    g = length(local.split_up)
  }
}
"#;
    hostile(
        &[
            ("doubling.tf", doubling.as_bytes()),
            ("builders.tf", builders),
        ],
        &[
            ("doubling.tf", None, "larger than"),
            ("builders.tf", Some(3), "range"),
            ("builders.tf", Some(4), "larger than"),
            ("builders.tf", Some(5), "larger than"),
            ("builders.tf", Some(6), "precision"),
            ("builders.tf", Some(7), "larger than"),
            ("builders.tf", Some(8), "larger than"),
            ("builders.tf", Some(9), "larger than"),
            ("builders.tf", Some(10), "larger than"),
        ],
    );
}

/// Nested `for` expressions that iterate a billion times without building anything: the
/// resource's step budget stops them with a diagnostic; the other resources are still
/// evaluated (before the fix: no end).
#[test]
fn nested_loops_are_stopped() {
    let c = hostile(
        &[(
            "loops.tf",
            br#"locals {
  nothing = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c if false]]]
  text    = "%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}%{endfor}%{endfor}%{endfor}"
}
resource "aws_sns_topic" "loops" {
  name = length(local.nothing)
}
resource "aws_sns_topic" "template_loops" {
  name = local.text
}
"#,
        )],
        &[
            ("loops.tf", Some(2), "too many steps"),
            ("loops.tf", Some(3), "too many steps"),
        ],
    );
    // The valid file's topic and subscription are still linked.
    assert!(
        !findings(&c.report)
            .iter()
            .any(|f| f["rule"] == "topic-no-subscription"),
        "{}",
        c.json.stdout
    );
}

/// The instance at `address` in the JSON output of `inspect . --all` in `dir`.
fn inspect_instance(dir: &Path, address: &str) -> Value {
    let run = trailwatch(dir, &["inspect", ".", "--all", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("inspect JSON");
    report["instances"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["address"] == address))
        .unwrap_or_else(|| panic!("{address}"))
        .clone()
}

/// `distinct`, `toset` and the set functions on lists of 16,000 distinct numbers: linear, not
/// quadratic (before the fix, each call took seconds, so a file of them took hours).
#[test]
fn set_functions_on_long_lists() {
    let dir = tree();
    let mut tf = String::from(
        "locals {\n  l = flatten([for a in range(500) : [for b in range(32) : a * 32 + b]])\n}\n",
    );
    for i in 0..5 {
        tf.push_str(&format!(
            "resource \"aws_sns_topic\" \"sets{i}\" {{\n  name = length(distinct(concat(local.l, [{i}])))\n  tags = {{\n    a = length(toset(concat(local.l, [{i}])))\n    b = length(setintersection(local.l, concat(local.l, [{i}])))\n    c = length(setsubtract(local.l, concat(local.l, [{i}])))\n    d = length(setunion(local.l, [-{i}]))\n  }}\n}}\n"
        ));
    }
    write(dir.path(), "sets.tf", tf);
    let c = check(dir.path(), &[]);
    assert_not_mentioned(&c, "sets.tf");
    assert_valid_analysed(&c);
    let sets = inspect_instance(dir.path(), "aws_sns_topic.sets1");
    assert_eq!(sets["attributes"]["name"], 16000, "{sets}");
    assert_eq!(sets["attributes"]["tags"]["a"], 16000, "{sets}");
    assert_eq!(sets["attributes"]["tags"]["b"], 16000, "{sets}");
    assert_eq!(sets["attributes"]["tags"]["c"], 0, "{sets}");
    assert_eq!(sets["attributes"]["tags"]["d"], 16001, "{sets}");
}

/// `split` of a string joined from thousands of literals (each keeps its source location):
/// linear, not quadratic in the number of pieces (before the fix, seconds per call).
#[test]
fn split_of_a_string_built_from_many_literals() {
    let dir = tree();
    write(
        dir.path(),
        "split.tf",
        r#"locals {
  s = join(",", [for a in range(400) : join(",", [for b in range(16) : "ab"])])
}
resource "aws_sns_topic" "split" {
  name = length(split(",", local.s))
  tags = { for i in range(20) : "t${i}" => length(split("b", local.s)) }
}
"#,
    );
    let split = inspect_instance(dir.path(), "aws_sns_topic.split");
    assert_eq!(split["attributes"]["name"], 6400, "{split}");
    assert_eq!(split["attributes"]["tags"]["t19"], 6401, "{split}");
    let c = check(dir.path(), &[]);
    assert_not_mentioned(&c, "split.tf");
    assert_valid_analysed(&c);
}

// ---- filter patterns ---------------------------------------------------------------------

fn filter(name: &str, pattern: &str) -> String {
    format!(
        r#"resource "aws_cloudwatch_log_metric_filter" "{name}" {{
  name           = "{name}"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = {pattern}
  metric_transformation {{
    name      = "iam-policy-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}
"#
    )
}

/// The 16 events of `iam-policy-changes` padded with 40 more: 1,809 characters.
fn long_iam_pattern() -> String {
    let mut events: Vec<String> = [
        "DeleteGroupPolicy",
        "DeleteRolePolicy",
        "DeleteUserPolicy",
        "PutGroupPolicy",
        "PutRolePolicy",
        "PutUserPolicy",
        "CreatePolicy",
        "DeletePolicy",
        "CreatePolicyVersion",
        "DeletePolicyVersion",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "AttachUserPolicy",
        "DetachUserPolicy",
        "AttachGroupPolicy",
        "DetachGroupPolicy",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    events.extend((0..40).map(|i| format!("Padding{i:04}")));
    let terms: Vec<String> = events
        .iter()
        .map(|e| format!("($.eventName = {e})"))
        .collect();
    format!("{{ {} }}", terms.join(" || "))
}

/// A tree with a metric filter whose pattern is [`long_iam_pattern`], checked.
fn check_long_filter() -> Checked {
    let dir = tree();
    write(
        dir.path(),
        "long.tf",
        filter("long", &format!("\"{}\"", long_iam_pattern())),
    );
    check(dir.path(), &[])
}

/// A pattern over CloudWatch's 1,024-character limit: `pattern check` refuses it
/// `too-long` (exit 2).
#[test]
fn pattern_longer_than_1024_characters_pattern_check() {
    let dir = tree();
    let pattern = long_iam_pattern();
    assert!(pattern.chars().count() > 1024);
    let run = trailwatch(
        dir.path(),
        &["pattern", "check", "--format", "json", &pattern],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("too-long"), "{}", run.stdout);
}

/// The same pattern in a metric filter. CloudWatch rejects it at apply time, so `check`
/// says so (`pattern-syntax`) instead of counting it towards `iam-policy-changes`.
#[test]
fn pattern_longer_than_1024_characters_in_check() {
    let c = check_long_filter();
    let found = findings(&c.report).iter().any(|f| {
        f["location"]["path"] == "long.tf"
            && (text(&f["message"]).contains("1024") || text(&f["message"]).contains("1,024"))
    });
    assert!(found, "{}", c.json.stdout);
}

/// Without crashing: `check` on the over-long filter still analyses everything else.
#[test]
fn pattern_longer_than_1024_characters_does_not_crash_check() {
    let c = check_long_filter();
    assert!(c.json.code == 0 || c.json.code == 1);
}

/// A regex that would be catastrophic for a backtracking engine: rejected when it has
/// groups (`%(a+)+$%`, exit 2), and linear-time otherwise (`%a*a*a*a*a*a*b%` on a 200 kB
/// line of `a`s, and in a metric filter).
#[test]
fn catastrophic_regex() {
    let dir = tree();
    let run = trailwatch(dir.path(), &["pattern", "check", "{ $.x = %(a+)+$% }"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    write(dir.path(), "a.log", format!("{}\n", "a".repeat(200_000)));
    let run = trailwatch(
        dir.path(),
        &["pattern", "test", "--text", "%a*a*a*a*a*a*b%", "a.log"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 of 1"), "{}", run.stdout);
    write(
        dir.path(),
        "regex.tf",
        filter("regex", "\"{ $.eventName = %a*a*a*a*a*a*b% }\""),
    );
    check_hostile(dir.path(), &[]);
}

// ---- plans -------------------------------------------------------------------------------

const PLAN: &str = "testdata/terraform/plan_json/plan.json";

fn plan_check(dir: &Path, plan: &str) -> Checked {
    check(dir, &["--plan", plan])
}

/// `content` as `plan.json` is reported as invalid plan JSON, with exit 1.
fn assert_invalid_plan(content: &[u8]) {
    let dir = tree();
    write(dir.path(), "plan.json", content);
    let c = plan_check(dir.path(), "plan.json");
    assert_reported(&c, "plan.json", None, "invalid plan JSON");
    assert_exit(&c, 1);
}

/// The fixture plan with `format_version` set to 99.0.
fn plan_v99() -> String {
    let plan = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN)).expect("plan");
    let mut doc: Value = serde_json::from_str(&plan).expect("plan JSON");
    doc["format_version"] = Value::from("99.0");
    doc.to_string()
}

/// A truncated plan: reported with the plan's name, line and column; exit 1.
#[test]
fn plan_truncated() {
    let plan = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(PLAN)).expect("plan");
    assert_invalid_plan(&plan[..plan.len() / 2]);
}

/// A plan that is not JSON at all.
#[test]
fn plan_not_json() {
    assert_invalid_plan(b"this is not a plan\n");
}

/// A plan that is not UTF-8, and a plan path that is a directory: reported, no crash.
#[test]
fn plan_unreadable() {
    let dir = tree();
    write(dir.path(), "plan.json", b"{\"format_version\": \"\xff\"}");
    let c = plan_check(dir.path(), "plan.json");
    assert_reported(&c, "plan.json", None, "plan");
    fs::create_dir(dir.path().join("plandir")).expect("mkdir");
    let c = plan_check(dir.path(), "plandir");
    assert_reported(&c, "plandir", None, "plan");
}

/// A plan of another `format_version`, and JSON of other shapes: no crash, and findings
/// (exit 0 or 1) rather than a usage error; the next test checks what is reported.
#[test]
fn plan_wrong_format_version_or_shape() {
    let dir = tree();
    write(dir.path(), "v99.json", plan_v99());
    let c = plan_check(dir.path(), "v99.json");
    assert!(c.json.code == 0 || c.json.code == 1);
    for shape in ["[1, 2, 3]", "{}", "null", "{\"planned_values\": 7}"] {
        write(dir.path(), "shape.json", shape);
        let c = plan_check(dir.path(), "shape.json");
        assert!(c.json.code == 0 || c.json.code == 1);
    }
}

/// A plan of an unknown `format_version`, or not a plan at all: a diagnostic naming it.
#[test]
fn plan_wrong_format_version_is_reported() {
    let dir = tree();
    write(dir.path(), "v99.json", plan_v99());
    let c = plan_check(dir.path(), "v99.json");
    assert_reported(&c, "v99.json", None, "format_version");
    write(dir.path(), "shape.json", "[1, 2, 3]");
    let c = plan_check(dir.path(), "shape.json");
    assert_reported(&c, "shape.json", None, "plan");
}

// ---- output errors -----------------------------------------------------------------------

/// One invocation of every subcommand that prints to standard output, run in [`tree`].
const PRINTING: &[&[&str]] = &[
    &["check", "."],
    &["check", ".", "--format", "json"],
    &["check", ".", "--format", "sarif"],
    &["check", ".", "--format", "github"],
    &["inspect", ".", "--all"],
    &["inspect", ".", "--format", "json"],
    &["rules"],
    &["rules", "--markdown"],
    &["explain", "iam-policy-changes"],
    &["config", "schema"],
    &["completions", "bash"],
    &["pattern", "check", "{ $.eventName = \"x\" }"],
    &[
        "pattern",
        "check",
        "{ $.eventName = \"x\" }",
        "--format",
        "json",
    ],
    &["pattern", "test", "{ $.eventName = \"x\" }", "records.json"],
];

/// Standard output on a full device (`> /dev/full`): every subcommand says it cannot write
/// and exits 2 (before, each panicked with "internal error").
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_full_device_is_an_error() {
    let dir = tree();
    write(dir.path(), "records.json", "{\"eventName\": \"x\"}\n");
    for args in PRINTING {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let run = trailwatch_to(dir.path(), args, Some(full.into()));
        assert_eq!(
            run.code, 2,
            "trailwatch {args:?} > /dev/full:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("cannot write to standard output"),
            "trailwatch {args:?} > /dev/full:\n{}",
            run.stderr
        );
    }
}

/// A reader that stops at once (`| head -c0`): no message, no crash, whatever the
/// subcommand (killed by SIGPIPE or ending with its own status).
#[cfg(unix)]
#[test]
fn closed_pipe_stays_quiet() {
    let dir = tree();
    write(dir.path(), "records.json", "{\"eventName\": \"x\"}\n");
    for args in PRINTING {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let run = trailwatch_to(dir.path(), args, Some(writer.into()));
        assert!(
            run.stderr.is_empty(),
            "trailwatch {args:?} | (closed):\n{}",
            run.stderr
        );
    }
}

// ---- malformed plans ---------------------------------------------------------------------

/// Plans whose shape is wrong where the resources should be: each is an error naming the
/// JSON path, exit 1, never `nothing to check` (before, each passed as an empty plan).
#[test]
fn malformed_plans_name_the_json_path() {
    let resource = |address: &str| {
        format!(
            r#"{{"address": "{address}", "type": "aws_sns_topic", "name": "t", "values": {{}}}}"#
        )
    };
    let cases: Vec<(String, &str)> = vec![
        (r#""planned_values": null"#.into(), "`planned_values` is null"),
        (r#""planned_values": {}"#.into(), "`planned_values.root_module` is missing"),
        (
            r#""planned_values": {"root_module": {"child_modules": "x"}}"#.into(),
            "`planned_values.root_module.child_modules` is a string",
        ),
        (
            r#""planned_values": {"root_module": {"child_modules": [7]}}"#.into(),
            "`planned_values.root_module.child_modules[0]` is a number",
        ),
        (
            r#""planned_values": {"root_module": {"resources": {}}}"#.into(),
            "`planned_values.root_module.resources` is an object",
        ),
        (
            r#""planned_values": {"root_module": {"resources": [{"address": "aws_sns_topic.t", "type": "aws_sns_topic", "name": "t", "values": "x"}]}}"#.into(),
            "`planned_values.root_module.resources[0].values` is a string",
        ),
        (
            r#""planned_values": {"root_module": {"resources": [{"type": "aws_sns_topic", "name": "t"}]}}"#.into(),
            "`planned_values.root_module.resources[0].address` is missing",
        ),
        (
            format!(
                r#""planned_values": {{"root_module": {{"child_modules": [{{"resources": [{}, {}]}}]}}}}"#,
                resource("aws_sns_topic.t"),
                resource("aws_sns_topic.t")
            ),
            "`planned_values.root_module.child_modules[0].resources[1].address` repeats",
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (body, needle) in &cases {
        write(
            dir.path(),
            "plan.json",
            format!(r#"{{"format_version": "1.2", {body}}}"#),
        );
        let c = plan_check(dir.path(), "plan.json");
        assert_reported(&c, "plan.json", None, needle);
        assert_exit(&c, 1);
        assert!(
            !c.human.stdout.contains("nothing to check"),
            "{body}: {}",
            c.human.stdout
        );
    }
    // 20,000 resources without an address: a few lines, not 20,000.
    let nameless: Vec<String> = (0..20_000)
        .map(|i| format!(r#"{{"type": "aws_sns_topic", "name": "t{i}"}}"#))
        .collect();
    write(
        dir.path(),
        "plan.json",
        format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [{}]}}}}}}"#,
            nameless.join(",")
        ),
    );
    let c = plan_check(dir.path(), "plan.json");
    assert_reported(&c, "plan.json", None, "19980 more problems");
    assert!(findings(&c.report).len() < 30, "{}", c.json.stdout);
}

/// A plan nested 1,000 modules deep is a clear error; a plan of 20,000 resources on one
/// line in 100 modules loads, each instance located in the plan (before, each address was
/// searched for in the whole text, and each column counted from the start of the line).
#[test]
fn plan_with_many_resources_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut module = String::from("{}");
    for m in (0..1_000).rev() {
        let resources: Vec<String> = (0..200)
            .map(|i| {
                format!(
                    r#"{{"address": "module.m{m}.aws_s3_bucket.b{i}", "type": "aws_s3_bucket", "name": "b{i}", "values": {{"bucket": "b{i}"}}}}"#
                )
            })
            .collect();
        module = format!(
            r#"{{"resources": [{}], "child_modules": [{module}]}}"#,
            resources.join(",")
        );
    }
    // serde_json refuses nesting past 128 levels: 1,000 nested modules are a clear error...
    write(
        dir.path(),
        "deep.json",
        format!(r#"{{"format_version": "1.2", "planned_values": {{"root_module": {module}}}}}"#),
    );
    let c = plan_check(dir.path(), "deep.json");
    assert_reported(&c, "deep.json", None, "recursion limit");
    // ...and 1,000 sibling modules load in time.
    let siblings: Vec<String> = (0..100)
        .map(|m| {
            let resources: Vec<String> = (0..200)
                .map(|i| {
                    format!(
                        r#"{{"address": "module.m{m}.aws_s3_bucket.b{i}", "type": "aws_s3_bucket", "name": "b{i}", "values": {{"bucket": "b{i}"}}}}"#
                    )
                })
                .collect();
            format!(r#"{{"resources": [{}]}}"#, resources.join(","))
        })
        .collect();
    write(
        dir.path(),
        "wide.json",
        format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"child_modules": [{}]}}}}}}"#,
            siblings.join(",")
        ),
    );
    let run = trailwatch(
        dir.path(),
        &[
            "inspect",
            "--plan",
            "wide.json",
            "--all",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&run.stdout).expect("inspect JSON");
    assert_eq!(
        report["instances"].as_array().map(Vec::len),
        Some(20_000),
        "{}",
        run.stderr
    );
}

// ---- files that are not regular files, unbounded reads -----------------------------------

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The findings of one rule.
fn with_rule<'a>(c: &'a Checked, rule: &str) -> Vec<&'a Value> {
    findings(&c.report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// A `file-skipped` warning names `file` with a reason containing `needle`.
fn assert_skipped(c: &Checked, file: &str, needle: &str) {
    let found = with_rule(c, "file-skipped").into_iter().any(|f| {
        f["level"] == "warning"
            && text(&f["location"]["path"]).contains(file)
            && text(&f["message"]).contains(needle)
    });
    assert!(
        found,
        "no file-skipped finding for {file} ({needle}):\n{}",
        c.json.stdout
    );
    assert!(
        c.human.stdout.contains("file-skipped"),
        "human output: {}",
        c.human.stdout
    );
}

/// FIFOs in the tree, named like Terraform and read by `file()`/`templatefile()`: the
/// first is a `file-skipped` warning, the others an unknown value saying why; nothing
/// blocks (before, `file()` of a FIFO hung and a FIFO named `.tf` was passed over silently).
#[cfg(unix)]
#[test]
fn fifos_in_the_tree_are_never_opened() {
    let dir = tree();
    for name in ["pipe.tf", "pipe.tf.json", "terraform.tfvars", "pipe.txt"] {
        mkfifo(&dir.path().join(name));
    }
    write(
        dir.path(),
        "reads.tf",
        "resource \"aws_sns_topic\" \"reads\" {\n  name   = file(\"pipe.txt\")\n  policy = templatefile(\"pipe.txt\", {})\n}\n",
    );
    let c = check_hostile(dir.path(), &[]);
    for name in ["pipe.tf", "pipe.tf.json", "terraform.tfvars"] {
        assert_skipped(&c, name, "FIFO");
    }
    let topic = inspect_instance(dir.path(), "aws_sns_topic.reads");
    for attribute in ["name", "policy"] {
        let shown = topic["attributes"][attribute].to_string();
        assert!(
            shown.contains("FIFO, not a regular file"),
            "{attribute}: {shown}"
        );
    }
}

/// A FIFO named on the command line is read, as process substitution (`--var-file <(…)`)
/// needs; so are `--plan`, `--config` and `--baseline` pipes.
#[cfg(unix)]
#[test]
fn command_line_files_may_be_pipes() {
    let dir = tree();
    write(
        dir.path(),
        "named.tf",
        "variable \"topic\" {\n  type = string\n}\nresource \"aws_sns_topic\" \"named\" {\n  name = var.topic\n}\n",
    );
    let fifo = dir.path().join("vars.fifo");
    mkfifo(&fifo);
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || fs::write(fifo, "topic = \"from-a-pipe\"\n")
    });
    let run = trailwatch(
        dir.path(),
        &[
            "inspect",
            ".",
            "--all",
            "--format",
            "json",
            "--var-file",
            "vars.fifo",
        ],
    );
    writer.join().expect("writer").expect("write to the FIFO");
    assert!(
        run.stdout.contains("from-a-pipe"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

/// `/dev/zero` as `--plan`, `--config`, `--baseline` and `--var-file`: refused after the
/// size limit, never read until memory runs out.
#[cfg(target_os = "linux")]
#[test]
fn endless_command_line_files_are_bounded() {
    let dir = tree();
    for (option, needle) in [
        ("--plan", "larger than 192 MiB"),
        ("--config", "larger than 16 MiB"),
        ("--baseline", "larger than 16 MiB"),
        ("--var-file", "larger than 16 MiB"),
    ] {
        let run = trailwatch(
            dir.path(),
            &["check", ".", "--format", "json", option, "/dev/zero"],
        );
        assert!(
            run.stdout.contains(needle) || run.stderr.contains(needle),
            "{option} /dev/zero:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        assert_ne!(run.code, 0, "{option} /dev/zero");
    }
}

/// A sparse 3 GiB `.tf` file: refused by its size, before reading, both by the scan and by
/// the pre-commit caller scan (a file path on the command line); memory stays small.
#[test]
fn huge_sparse_file_is_not_read() {
    let dir = tree();
    let big = fs::File::create(dir.path().join("big.tf")).expect("create");
    big.set_len(3 << 30).expect("sparse file");
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, "big.tf", "larger than 16 MiB");
    let run = trailwatch(
        dir.path(),
        &["check", "big.tf", "valid.tf", "--format", "json"],
    );
    assert!(run.stdout.contains("larger than 16 MiB"), "{}", run.stdout);
}

// ---- silent skips --------------------------------------------------------------------------

/// Files named like Terraform that are not read: a name that is not UTF-8, a hidden file,
/// a link to a device, a directory that cannot be listed, a path longer than the system
/// allows. Each is a `file-skipped` warning naming it (before: `--verbose` only, or nothing).
#[cfg(target_os = "linux")]
#[test]
fn skipped_files_are_findings() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let dir = tree();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
    fs::write(dir.path().join(odd), "locals {}\n").expect("non-UTF-8 name");
    write(dir.path(), ".hidden.tf", "locals {}\n");
    symlink("/dev/zero", dir.path().join("zero.tf")).expect("symlink");
    // A dangling link named like Terraform is reported; one named otherwise is not.
    symlink("nowhere", dir.path().join("dangling.tf")).expect("symlink");
    symlink("nowhere", dir.path().join("README")).expect("symlink");
    // A path longer than PATH_MAX (4,096 bytes): no single call may name it, so a shell
    // builds it one relative `cd` at a time.
    let long = "d".repeat(200);
    let script = format!(
        "for i in $(seq 25); do mkdir {long} && cd -P {long} || exit 1; done; echo 'locals {{}}' > main.tf"
    );
    let built = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .status()
        .expect("sh runs");
    assert!(
        built.success(),
        "could not build a path longer than PATH_MAX"
    );
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, "caf", "not valid UTF-8");
    assert_skipped(&c, ".hidden.tf", "hidden file");
    assert_skipped(&c, "zero.tf", "outside");
    assert_skipped(&c, &long, "File name too long");
    assert_skipped(&c, "dangling.tf", "No such file");
    assert_not_mentioned(&c, "README");
    // The warnings count for --fail-on: a tree whose only problem is a skipped file fails.
    let alone = tempfile::tempdir().expect("temp dir");
    write(alone.path(), ".hidden.tf", "locals {}\n");
    write(alone.path(), "main.tf", "locals {}\n");
    let run = trailwatch(alone.path(), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let run = trailwatch(alone.path(), &["check", ".", "--fail-on", "error"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

/// The `file-skipped` findings whose location is `path`.
fn skipped_at<'a>(c: &'a Checked, path: &str) -> Vec<&'a Value> {
    with_rule(c, "file-skipped")
        .into_iter()
        .filter(|f| f["location"]["path"] == path)
        .collect()
}

/// Hidden directories are not walked, but the Terraform files under them are reported:
/// one warning per hidden directory (not one per file) saying how many and how to include
/// them. `.git/` and `.terraform/` belong to tools and are never reported; a hidden
/// directory a module `source` names is loaded, and one named on the command line is
/// analysed (before, all of them were passed over without a word).
#[test]
fn hidden_directories_are_reported_once_each() {
    let dir = tree();
    let files = 200;
    for i in 0..files {
        write(
            dir.path(),
            &format!(".terragrunt-cache/c{i}/main.tf"),
            "locals {}\n",
        );
    }
    write(dir.path(), ".github/infra/alarms.tf", OUTSIDE_FILTER);
    write(dir.path(), ".git/x.tf", "locals {}\n");
    write(dir.path(), ".terraform/modules/m/main.tf", "locals {}\n");
    write(dir.path(), ".empty/readme.md", "no Terraform here\n");
    write(dir.path(), ".modules/m/main.tf", "locals {}\n");
    write(
        dir.path(),
        "call.tf",
        "module \"m\" {\n  source = \"./.modules/m\"\n}\n",
    );
    let c = check_hostile(dir.path(), &[]);
    let cache = skipped_at(&c, ".terragrunt-cache");
    assert_eq!(cache.len(), 1, "{}", c.json.stdout);
    assert!(
        text(&cache[0]["message"]).contains(&format!("holding {files} Terraform files"))
            && text(&cache[0]["message"]).contains("trailwatch check . .terragrunt-cache"),
        "{}",
        cache[0]
    );
    assert_skipped(&c, ".github", "holding 1 Terraform file;");
    assert_eq!(
        with_rule(&c, "file-skipped").len(),
        2,
        "only the two hidden directories holding unread Terraform files:\n{}",
        c.json.stdout
    );
    // Named on the command line, the directory is analysed and no longer reported.
    let run = trailwatch(dir.path(), &["inspect", ".github", "--all"]);
    assert!(run.stdout.contains("evil_outside"), "{}", run.stdout);
    let run = trailwatch(
        dir.path(),
        &[
            "check",
            ".",
            ".github",
            "--format",
            "json",
            "--fail-on",
            "error",
        ],
    );
    assert!(
        !run.stdout.contains(".github is not analysed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(".terragrunt-cache"), "{}", run.stdout);
    // The warning counts for --fail-on on its own.
    let alone = tempfile::tempdir().expect("temp dir");
    write(alone.path(), "main.tf", "locals {}\n");
    write(alone.path(), ".infra/main.tf", "locals {}\n");
    let run = trailwatch(alone.path(), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

/// A variable file Terraform does not load by itself (`prod.tfvars`, anything but
/// `terraform.tfvars` and `*.auto.tfvars`) is a warning naming the fix; passed with
/// `--var-file` or the configuration's `var_files`, it is analysed and not reported.
#[test]
fn variable_files_terraform_does_not_load_are_reported() {
    let dir = tree();
    write(dir.path(), "prod.tfvars", "region = \"eu-west-1\"\n");
    write(dir.path(), "envs/staging.tfvars.json", "{}\n");
    write(dir.path(), "terraform.tfvars", "\n");
    write(dir.path(), "x.auto.tfvars", "\n");
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, "prod.tfvars", "pass `--var-file PATH`");
    assert_skipped(
        &c,
        "envs/staging.tfvars.json",
        "`var_files` of .trailwatch.toml",
    );
    for loaded in ["terraform.tfvars", "x.auto.tfvars"] {
        assert!(skipped_at(&c, loaded).is_empty(), "{}", c.json.stdout);
    }
    let given = check(dir.path(), &["--var-file", "./prod.tfvars"]);
    assert!(
        skipped_at(&given, "prod.tfvars").is_empty(),
        "{}",
        given.json.stdout
    );
    write(
        dir.path(),
        ".trailwatch.toml",
        "var_files = [\"envs/staging.tfvars.json\"]\n",
    );
    let configured = check(dir.path(), &[]);
    assert!(
        skipped_at(&configured, "envs/staging.tfvars.json").is_empty(),
        "{}",
        configured.json.stdout
    );
    assert_skipped(&configured, "prod.tfvars", "--var-file");
}

/// `trailwatch explain file-skipped` documents the rule.
#[test]
fn file_skipped_is_explained() {
    let dir = tree();
    let run = trailwatch(dir.path(), &["explain", "file-skipped"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("not analysed"), "{}", run.stdout);
}

// ---- reading outside the repository --------------------------------------------------------

/// A metric filter that must never be loaded: it lives outside the scanned repository.
const OUTSIDE_FILTER: &str = r#"resource "aws_cloudwatch_log_metric_filter" "evil_outside" {
  name           = "evil"
  log_group_name = "aws-cloudtrail-logs-123456789012"
  pattern        = "{ $.eventName = \"Nothing\" }"
  metric_transformation {
    name      = "iam-policy-changes"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
"#;

/// A `.trailwatch.toml` above the repository (in a directory holding the checkout) is not
/// used: the search stops at the repository (nearest `.git`), as module directories do. One
/// inside the repository, above the scanned directory, still is.
#[test]
fn configuration_above_the_repository_is_not_used() {
    let outer = tempfile::tempdir().expect("temp dir");
    write(
        outer.path(),
        ".trailwatch.toml",
        "disable = [\"iam-policy-changes\"]\n",
    );
    let repo = outer.path().join("repo");
    fs::create_dir_all(repo.join(".git")).expect("mkdir .git");
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID);
    fs::copy(&valid, repo.join("valid.tf")).expect("copy");
    let c = check(&repo, &[]);
    assert_valid_analysed(&c);
    fs::rename(
        outer.path().join(".trailwatch.toml"),
        repo.join(".trailwatch.toml"),
    )
    .expect("move the configuration into the repository");
    fs::create_dir(repo.join("envs")).expect("mkdir");
    fs::rename(repo.join("valid.tf"), repo.join("envs/valid.tf")).expect("move");
    let inside = check(&repo.join("envs"), &[]);
    assert!(
        with_rule(&inside, "iam-policy-changes").is_empty(),
        "the configuration in the repository was not used:\n{}",
        inside.json.stdout
    );
}

/// A committed `.terraform/environment` that links outside the repository is not read
/// (its content would become `terraform.workspace` and be printed): a `file-skipped`
/// warning, and the workspace is `default`.
#[cfg(unix)]
#[test]
fn workspace_file_linking_outside_the_repository_is_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temp dir");
    write(outside.path(), "environment", "secret-from-outside\n");
    let dir = tree();
    fs::create_dir(dir.path().join(".terraform")).expect("mkdir");
    symlink(
        outside.path().join("environment"),
        dir.path().join(".terraform/environment"),
    )
    .expect("symlink");
    write(
        dir.path(),
        "ws.tf",
        "resource \"aws_sns_topic\" \"ws\" {\n  name = \"x-${terraform.workspace}\"\n}\n",
    );
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, ".terraform/environment", "outside the repository");
    let topic = inspect_instance(dir.path(), "aws_sns_topic.ws");
    assert_eq!(topic["attributes"]["name"], "x-default", "{topic}");
    let inspect = trailwatch(dir.path(), &["inspect", ".", "--all", "--verbose"]);
    for printed in [
        &c.json.stdout,
        &c.human.stdout,
        &inspect.stdout,
        &inspect.stderr,
    ] {
        assert!(!printed.contains("secret-from-outside"), "{printed}");
    }
}

/// A committed `.trailwatch.toml` naming files outside the repository (`/proc/self/environ`,
/// `../x.tfvars`) is refused with exit 2, and no byte of them is printed (before, the CI
/// job's environment appeared in a snippet).
#[cfg(unix)]
#[test]
fn configuration_names_only_files_inside_the_repository() {
    let outside = tempfile::tempdir().expect("temp dir");
    let repo = outside.path().join("repo");
    fs::create_dir(&repo).expect("mkdir");
    fs::create_dir(repo.join(".git")).expect("mkdir .git");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(VALID),
        repo.join("valid.tf"),
    )
    .expect("copy");
    write(
        outside.path(),
        "secret.tfvars",
        "token = \"outside-secret-value\"\n",
    );
    for entry in ["/proc/self/environ", "../secret.tfvars"] {
        write(
            &repo,
            ".trailwatch.toml",
            format!("var_files = [\"{entry}\"]\n"),
        );
        let run = trailwatch(&repo, &["check", "."]);
        assert_eq!(run.code, 2, "{entry}: {}\n{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("outside the repository"),
            "{}",
            run.stderr
        );
        let printed = format!("{}{}", run.stdout, run.stderr);
        assert!(
            !printed.contains("outside-secret-value") && !printed.contains("PATH="),
            "{printed}"
        );
    }
    // Inside the repository (a subdirectory of the scanned one included) is fine.
    write(&repo, "env/prod.tfvars", "region = \"eu-west-1\"\n");
    write(
        &repo,
        ".trailwatch.toml",
        "var_files = [\"env/prod.tfvars\"]\n",
    );
    let run = trailwatch(&repo, &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// Module directories that resolve outside the repository — through a symbolic link, or a
/// committed `.terraform/modules/modules.json` whose `Dir` points outside — are refused
/// with a `file-skipped` finding, and nothing of them is loaded or printed.
#[cfg(unix)]
#[test]
fn module_directories_outside_the_repository_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temp dir");
    write(outside.path(), "evil/main.tf", OUTSIDE_FILTER);
    let dir = tree();
    symlink(outside.path().join("evil"), dir.path().join("linked")).expect("symlink");
    write(
        dir.path(),
        "modules.tf",
        "module \"linked\" {\n  source = \"./linked\"\n}\nmodule \"registry\" {\n  source = \"example/evil/aws\"\n}\n",
    );
    write(
        dir.path(),
        ".terraform/modules/modules.json",
        format!(
            r#"{{"Modules": [{{"Key": "registry", "Source": "example/evil/aws", "Dir": "{}"}}]}}"#,
            outside.path().join("evil").display()
        ),
    );
    let c = check_hostile(dir.path(), &[]);
    assert_not_mentioned(&c, "evil_outside");
    assert_skipped(&c, "linked", "outside the repository");
    let shown = outside.path().join("evil").display().to_string();
    assert!(
        with_rule(&c, "file-skipped")
            .iter()
            .any(|f| text(&f["message"]).contains(&shown)),
        "{}",
        c.json.stdout
    );
    let inspect = trailwatch(dir.path(), &["inspect", ".", "--all"]);
    assert!(
        !inspect.stdout.contains("evil_outside"),
        "{}",
        inspect.stdout
    );
    // The manifest itself as a link to a file outside: refused, named, never printed.
    write(outside.path(), "environ", "SECRET=outside-secret-value\n");
    fs::remove_file(dir.path().join(".terraform/modules/modules.json")).expect("rm");
    symlink(
        outside.path().join("environ"),
        dir.path().join(".terraform/modules/modules.json"),
    )
    .expect("symlink");
    let c = check_hostile(dir.path(), &[]);
    assert_skipped(&c, "modules.json", "outside the repository");
    let printed = format!("{}{}", c.human.stdout, c.json.stdout);
    assert!(!printed.contains("outside-secret-value"), "{printed}");
}

// ---- terminal injection ------------------------------------------------------------------

/// True for a byte sequence a terminal would act on: a C0 control other than newline, tab
/// and carriage return, DEL, or a C1 control.
fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_bidi(c))
}

/// The bidirectional controls: embeddings and overrides, isolates, and the marks.
const BIDI: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
];

fn is_bidi(c: char) -> bool {
    BIDI.contains(&c)
}

/// A bidirectional control in a pattern is linted like a control character, and never
/// printed raw (before, `pattern check` passed it and printed it as is).
#[test]
fn bidirectional_controls_in_patterns_are_linted() {
    let dir = tree();
    for &b in BIDI {
        let pattern = format!("{{ $.eventName = \"Delete{b}Trail\" }}");
        let run = trailwatch(dir.path(), &["pattern", "check", &pattern]);
        assert_eq!(run.code, 1, "U+{:04X}: {}", u32::from(b), run.stdout);
        assert!(
            run.stdout.contains("control-character") && run.stdout.contains("(bidirectional)"),
            "U+{:04X}: {}",
            u32::from(b),
            run.stdout
        );
        assert!(!has_control(&run.stdout), "{:?}", run.stdout);
        assert!(!has_control(&run.stderr), "{:?}", run.stderr);
    }
}

/// ESC, OSC, BEL, DEL, C1 and bidirectional controls in file names, values, snippets and
/// messages: no human-readable output (human, GitHub annotations, inspect, errors) carries
/// them raw.
#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tree();
    let mut controls: Vec<String> = [
        "\u{1b}[2J",
        "\u{1b}]8;;http://x\u{7}",
        "\u{9b}31m",
        "\u{7f}",
        "\u{0}",
        "\r",
    ]
    .map(String::from)
    .to_vec();
    // Each bidirectional control as "Trojan Source" uses it: the rest of the line, or a
    // span of it, reads backwards.
    controls.extend(BIDI.iter().map(|b| format!("{b}dlrow\u{202c}")));
    for (i, c) in controls.iter().enumerate() {
        // A syntax error whose line (the snippet) holds the control characters.
        write(
            dir.path(),
            &format!("bad{i}.tf"),
            format!("locals {{\n  x{i} = {c} oops\n}}\n"),
        );
        // A value shown by inspect, a message quoting a value, a file name.
        write(
            dir.path(),
            &format!("v{i}{}.tf", c.replace(['\0', '/'], "")),
            format!(
                "resource \"aws_cloudwatch_log_metric_filter\" \"f{i}\" {{\n  name           = \"f{i}{c}\"\n  log_group_name = \"g{c}\"\n  pattern        = \"{{ $.eventName = \\\"Evil{c}\\\" }}\"\n  metric_transformation {{\n    name      = \"m{i}\"\n    namespace = \"CIS{c}\"\n    value     = \"1\"\n  }}\n}}\n"
            ),
        );
    }
    write(dir.path(), ".trailwatch.toml", "\"bad\u{1b}[2Jkey\" = 1\n");
    let config = trailwatch(dir.path(), &["check", "."]);
    assert!(!has_control(&config.stderr), "{:?}", config.stderr);
    assert_eq!(config.code, 2, "{}", config.stderr);
    fs::remove_file(dir.path().join(".trailwatch.toml")).expect("rm");
    for args in [
        &["check", "."][..],
        &["check", ".", "--format", "github"],
        &["check", ".", "--verbose"],
        &["inspect", ".", "--all", "--verbose"],
    ] {
        let run = trailwatch(dir.path(), args);
        let printed = format!("{}{}", run.stdout, run.stderr);
        assert!(printed.contains("bad0.tf"), "{args:?}: {printed}");
        assert!(
            !has_control(&run.stdout),
            "{args:?} stdout: {:?}",
            run.stdout
        );
        assert!(
            !has_control(&run.stderr),
            "{args:?} stderr: {:?}",
            run.stderr
        );
    }
}
