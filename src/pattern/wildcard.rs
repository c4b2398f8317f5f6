//! `*` wildcards in values and terms: the whole value must match, `*` matches any run of
//! characters (also none). Linear-time two-pointer match, no backtracking blow-up.

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
    use super::matches;

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
