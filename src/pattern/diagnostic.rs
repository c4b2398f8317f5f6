//! Pattern diagnostics: syntax errors and lints, with a span in the pattern text.

use std::fmt;

use super::ast::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in a pattern. `code` is a stable kebab-case id (`quoted-pattern`,
/// `syntax`, ...) that later stages and tests key on.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// What the label under the span says.
    pub label: String,
    pub help: Option<String>,
    /// A corrected pattern, when one is known.
    pub fix: Option<String>,
    /// CloudWatch refuses the pattern (PutMetricFilter fails, so `terraform apply`
    /// fails): a syntax error, or a limit the documentation states.
    pub refused: bool,
}

impl PatternDiagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        PatternDiagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            fix: None,
            refused: false,
        }
    }

    /// A pattern CloudWatch refuses to store: always an error.
    pub fn refusal(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        PatternDiagnostic {
            refused: true,
            ..Self::error(code, span, message)
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        PatternDiagnostic {
            severity: Severity::Warning,
            ..Self::error(code, span, message)
        }
    }

    pub fn note(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        PatternDiagnostic {
            severity: Severity::Note,
            ..Self::error(code, span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl fmt::Display for PatternDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A `PatternDiagnostic` bound to the text it points into, for miette rendering.
#[derive(Debug)]
pub struct Rendered {
    pub diagnostic: PatternDiagnostic,
    pub source: miette::NamedSource<String>,
}

impl std::error::Error for Rendered {}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("pattern::{}", self.diagnostic.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.diagnostic.help.as_deref();
        let fix = self.diagnostic.fix.as_deref();
        match (help, fix) {
            (None, None) => None,
            (Some(help), None) => Some(Box::new(help)),
            (None, Some(fix)) => Some(Box::new(format!("use: {fix}"))),
            (Some(help), Some(fix)) => Some(Box::new(format!("{help}\nuse: {fix}"))),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diagnostic.span;
        let label = (!self.diagnostic.label.is_empty()).then(|| self.diagnostic.label.clone());
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            label,
            span.start,
            span.end - span.start,
        ))))
    }
}
