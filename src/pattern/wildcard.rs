//! `*` wildcards: `value` is CloudWatch's rule for filter-pattern values; `matches` is a
//! general glob (the CLI's path filters use it).

/// A filter-pattern value against a field's text: the whole text must match. A `*` at
/// the start or end of the value matches any run of characters (also none); a `*` in
/// the middle is a literal character. The 2014–2020 documentation says so in as many
/// words: "*Event will match PutEvent and GetEvent. Event* will match EventId and
/// EventName. Ev*ent will only match the actual string Ev*ent." The current page only
/// says "Use the asterisk as a wild card to match text" and neither repeats nor
/// withdraws the rule, so trailwatch keeps the one rule that was written down.
pub fn value(pattern: &str, text: &str) -> bool {
    let body = pattern.trim_start_matches('*');
    let any_before = body.len() < pattern.len();
    let core = body.trim_end_matches('*');
    let any_after = core.len() < body.len();
    match (any_before, any_after) {
        (false, false) => pattern == text,
        (true, false) => text.ends_with(core),
        (false, true) => text.starts_with(core),
        (true, true) => text.contains(core),
    }
}

/// A glob: `*` anywhere matches any run of characters. Linear-time two-pointer match,
/// no backtracking blow-up.
pub fn matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == text;
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::{matches, value};

    #[test]
    fn only_leading_and_trailing_stars_are_wildcards_in_values() {
        assert!(value("*Event", "PutEvent"));
        assert!(value("Event*", "EventName"));
        assert!(value("*html*", "GET /index.html HTTP/1.0"));
        assert!(value("*", ""));
        assert!(value("**", "x"));
        assert!(value("Ev*ent", "Ev*ent"));
        assert!(!value("Ev*ent", "Event"));
        assert!(!value("Ev*ent", "EvXent"));
        assert!(!value("Put*Policy", "PutRolePolicy"));
        assert!(value("*Put*Policy", "xPut*Policy"));
        assert!(!value("ConsoleLogin", "consolelogin"));
    }

    #[test]
    fn wildcards_anchor_the_whole_value() {
        assert!(matches(
            "*UnauthorizedOperation",
            "Client.UnauthorizedOperation"
        ));
        assert!(matches("AccessDenied*", "AccessDeniedException"));
        assert!(matches("Put*Policy", "PutRolePolicy"));
        assert!(!matches("Put*Policy", "PutRolePolicyVersion"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "aXbYc"));
        assert!(!matches("ConsoleLogin", "consolelogin"));
        assert!(!matches("abc", "abcd"));
    }
}
