//! Terminal rendering shared by subcommands: miette reports, colour only on a TTY.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};

use trailwatch::pattern::{PatternDiagnostic, Rendered};

/// Colour and Unicode only when stdout is a terminal and `NO_COLOR` is unset, so piped
/// output and snapshots are plain and byte-stable.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
}

/// Renders one pattern diagnostic against the text it points into.
pub fn pattern_diagnostic(
    diagnostic: &PatternDiagnostic,
    name: &str,
    text: &str,
    color: bool,
) -> String {
    let rendered = Rendered {
        diagnostic: diagnostic.clone(),
        source: miette::NamedSource::new(name, text.to_string()),
    };
    let mut out = String::new();
    if handler(color).render_report(&mut out, &rendered).is_err() {
        // Rendering into a String cannot fail in practice; fall back to the bare message.
        out = format!("{}: {}\n", diagnostic.severity.as_str(), diagnostic.message);
    }
    out
}
