//! Standard output for every subcommand. `print!`/`println!` are shadowed in `main.rs` by
//! macros that write here, so a failed write (`> /dev/full`, a full disk) becomes a clear
//! error and exit status 2 instead of a panic; a closed pipe (`| head`) ends quietly.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

/// The first write error; later writes are skipped once one failed.
static FAILED: Mutex<Option<io::Error>> = Mutex::new(None);

fn failed() -> bool {
    FAILED.lock().map_or(true, |f| f.is_some())
}

fn record(error: io::Error) {
    if let Ok(mut failed) = FAILED.lock()
        && failed.is_none()
    {
        *failed = Some(error);
    }
}

/// Writes to standard output, remembering the first error instead of panicking.
pub fn print(args: fmt::Arguments) {
    if failed() {
        return;
    }
    if let Err(e) = io::stdout().lock().write_fmt(args) {
        record(e);
    }
}

/// Writes bytes produced by a library that writes to an `io::Write` (completions).
pub fn print_bytes(bytes: &[u8]) {
    if failed() {
        return;
    }
    if let Err(e) = io::stdout().lock().write_all(bytes) {
        record(e);
    }
}

/// Writes to standard error; a failure there has nowhere to be reported and is ignored.
pub fn eprint(args: fmt::Arguments) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Flushes standard output and turns a write error into the exit status: 2 with a message
/// for a real error, the subcommand's own status for a closed pipe (nobody reads any more).
pub fn finish(code: u8) -> u8 {
    if !failed()
        && let Err(e) = io::stdout().lock().flush()
    {
        record(e);
    }
    let error = FAILED.lock().ok().and_then(|mut f| f.take());
    match error {
        None => code,
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
        Some(e) => {
            eprint(format_args!(
                "error: cannot write to standard output: {e}\n  help: check that the disk or the file the output goes to is writable, or use --output FILE where the subcommand has it\n"
            ));
            2
        }
    }
}
