//! Inline suppressions: `# trailwatch:ignore[rule-id, other-id] reason: why` on the line of
//! a finding, or on its own line above the block or attribute it covers. A suppression
//! must name known rules and give a reason, and must suppress something; otherwise it is
//! itself reported. Suppressed findings are kept (SARIF lists them as suppressed).

use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, Location};

/// Why a finding is suppressed, and where that was said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: String,
    pub location: Location,
}

struct Directive {
    rules: Vec<String>,
    reason: Option<String>,
    location: Location,
    /// Lines (1-based, inclusive) the directive covers.
    first: usize,
    last: usize,
    used: bool,
}

static DIRECTIVE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:#|//)\s*trailwatch:ignore\[([^\]]*)\](?:\s*reason:\s*(\S.*?))?\s*(?:\*/)?$")
        .ok()
});

/// Applies the directives found in `files` (display path, text) to `findings`, and
/// returns the findings about the directives themselves.
///
/// `not_run` are the rules this run did not check (`--rule`, `disable`): a suppression
/// naming only those is not reported as suppressing nothing.
pub fn apply(
    files: &[(&str, &str)],
    findings: &mut [Finding],
    known_rules: &[String],
    not_run: &[String],
) -> Vec<Finding> {
    let mut directives = Vec::new();
    for (path, text) in files {
        if text.contains("trailwatch:ignore") {
            directives.extend(scan(path, text));
        }
    }
    for finding in findings.iter_mut() {
        let Some(location) = &finding.location else {
            continue;
        };
        for directive in directives.iter_mut() {
            let names = |id: &String| *id == finding.rule || finding.control.as_ref() == Some(id);
            if directive.location.path == location.path
                && (directive.first..=directive.last).contains(&location.line)
                && directive.reason.is_some()
                && directive.rules.iter().any(names)
            {
                directive.used = true;
                finding.suppression = Some(Suppression {
                    reason: directive.reason.clone().unwrap_or_default(),
                    location: directive.location.clone(),
                });
                break;
            }
        }
    }
    let mut problems = Vec::new();
    for d in directives {
        let unknown: Vec<&String> = d
            .rules
            .iter()
            .filter(|r| !known_rules.contains(r))
            .collect();
        let problem = if d.rules.is_empty() {
            Some("names no rule; write `trailwatch:ignore[rule-id] reason: …`".to_string())
        } else if !unknown.is_empty() {
            Some(format!(
                "names unknown rule{} {}",
                if unknown.len() > 1 { "s" } else { "" },
                unknown
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else if d.reason.is_none() {
            Some(
                "has no reason; write `reason: …` after the rule list so reviewers know why"
                    .to_string(),
            )
        } else if !d.used && d.rules.iter().any(|r| !not_run.contains(r)) {
            Some(
                "suppresses nothing: no finding of these rules is on the lines it covers"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(problem) = problem {
            let mut f = Finding::new(
                super::Defect::InvalidSuppression,
                format!("this `trailwatch:ignore` {problem}"),
            );
            f.location = Some(d.location.clone());
            f.help = Some("`trailwatch rules` lists the rule ids".to_string());
            f.resource = Some(format!("{}:{}", d.location.path, d.rules.join(",")));
            problems.push(f);
        }
    }
    problems
}

fn scan(path: &str, text: &str) -> Vec<Directive> {
    let Some(regex) = DIRECTIVE.as_ref() else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let extents = Extents::new(&lines);
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in lines.iter().enumerate() {
        if let Some(caps) = regex.captures(line) {
            let whole = caps.get(0).map_or(0..0, |m| m.range());
            let start = offset + whole.start;
            let end = offset + whole.end;
            let location = Location::in_text(path, text, start, end);
            let own_line = line[..whole.start].trim().is_empty();
            // On its own line it covers the next item; after code, that line's item.
            let target = if own_line {
                (i + 1..lines.len()).find(|j| {
                    let t = lines[*j].trim();
                    !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                })
            } else {
                Some(i)
            };
            let (first, last) = match target {
                Some(t) => (t + 1, extents.end_of_item(t) + 1),
                None => (i + 1, i + 1),
            };
            out.push(Directive {
                rules: caps
                    .get(1)
                    .map(|m| {
                        m.as_str()
                            .split(',')
                            .map(|r| r.trim().to_string())
                            .filter(|r| !r.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                reason: caps
                    .get(2)
                    .map(|m| m.as_str().trim().to_string())
                    .filter(|r| !r.is_empty()),
                location,
                first: if own_line { i + 1 } else { first },
                last,
                used: false,
            });
        }
        offset += line.len() + 1;
    }
    out
}

/// Where each item (block or attribute) that starts on a line ends: brace and bracket
/// depth outside strings and comments, and heredocs up to their closing marker.
struct Extents {
    /// Depth at the end of each line.
    depth_after: Vec<i64>,
    /// Depth at the start of each line.
    depth_before: Vec<i64>,
    /// For a line that opens a heredoc, the line of its closing marker.
    heredoc_end: Vec<Option<usize>>,
}

impl Extents {
    fn new(lines: &[&str]) -> Self {
        let heredoc = Regex::new(r#"<<-?\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*$"#).ok();
        let mut depth = 0i64;
        let mut depth_after = Vec::with_capacity(lines.len());
        let mut depth_before = Vec::with_capacity(lines.len());
        let mut heredoc_end = vec![None; lines.len()];
        let mut in_heredoc: Option<(String, usize)> = None;
        let mut in_block_comment = false;
        for (i, line) in lines.iter().enumerate() {
            depth_before.push(depth);
            if let Some((marker, opened)) = &in_heredoc {
                if line.trim() == marker {
                    heredoc_end[*opened] = Some(i);
                    in_heredoc = None;
                }
                depth_after.push(depth);
                continue;
            }
            let mut chars = line.chars().peekable();
            let mut in_string = false;
            while let Some(c) = chars.next() {
                if in_block_comment {
                    if c == '*' && chars.peek() == Some(&'/') {
                        chars.next();
                        in_block_comment = false;
                    }
                    continue;
                }
                if in_string {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_string = true,
                    '#' => break,
                    '/' if chars.peek() == Some(&'/') => break,
                    '/' if chars.peek() == Some(&'*') => {
                        chars.next();
                        in_block_comment = true;
                    }
                    '{' | '[' | '(' => depth += 1,
                    '}' | ']' | ')' => depth -= 1,
                    _ => {}
                }
            }
            if let Some(caps) = heredoc.as_ref().and_then(|h| h.captures(line))
                && let Some(marker) = caps.get(1)
            {
                in_heredoc = Some((marker.as_str().to_string(), i));
            }
            depth_after.push(depth);
        }
        Extents {
            depth_after,
            depth_before,
            heredoc_end,
        }
    }

    /// The last line of the item that starts on `line`.
    fn end_of_item(&self, line: usize) -> usize {
        if let Some(Some(end)) = self.heredoc_end.get(line) {
            return *end;
        }
        let base = self.depth_before.get(line).copied().unwrap_or(0);
        (line..self.depth_after.len())
            .find(|i| {
                self.depth_after[*i] <= base && self.heredoc_end.get(*i).is_none_or(Option::is_none)
            })
            .unwrap_or(line)
    }
}
