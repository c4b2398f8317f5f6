//! The pattern evaluator: the input is a pattern, a newline, then a log event (a JSON record
//! or raw text). Matching must not panic or hang, and the canonical form of the pattern must
//! match exactly the same events as the pattern.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailwatch::pattern::{LogEvent, analyze, parse, print};

fuzz_target!(|text: &str| {
    let (pattern, event) = text.split_once('\n').unwrap_or((text, ""));
    let Some(pattern) = analyze(pattern).pattern else {
        return;
    };
    let event = LogEvent::from_text(event);
    let matched = pattern.matches(&event);
    if let Ok(canonical) = parse(&print(&pattern)) {
        assert_eq!(
            canonical.matches(&event),
            matched,
            "{:?} and its canonical form disagree on {:?}",
            print(&pattern),
            event.message
        );
    }
});
