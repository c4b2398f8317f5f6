//! The filter-pattern parser and linter on arbitrary UTF-8, plus a print/parse round trip:
//! the canonical form of a pattern must parse again, to the same canonical form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailwatch::pattern::{analyze, parse, print};

fuzz_target!(|text: &str| {
    let analysis = analyze(text);
    // Reports slice the input by the diagnostics' spans: they must be in bounds, ordered
    // and on character boundaries.
    for d in &analysis.diagnostics {
        let (start, end) = (d.span.start, d.span.end);
        assert!(
            start <= end && text.get(start..end).is_some(),
            "diagnostic {:?} has span {start}..{end} outside {text:?}",
            d.code
        );
    }
    let Some(pattern) = analysis.pattern else {
        return;
    };
    let printed = print(&pattern);
    let reparsed = match parse(&printed) {
        Ok(p) => p,
        Err(e) => panic!("canonical form {printed:?} of {text:?} does not parse: {e:?}"),
    };
    assert_eq!(
        print(&reparsed),
        printed,
        "canonical form of {text:?} is not stable"
    );
});
