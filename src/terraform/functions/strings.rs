//! String functions: `format` and its verbs, `join`/`split`, case, trimming, `substr`,
//! `replace`, regular expressions, conversions to string, and path names.

use super::*;

/// Calls the function `name` of this family.
pub(super) fn call(name: &str, args: &[Value]) -> R {
    match name {
        "format" => {
            arity(name, args, 1, usize::MAX)?;
            Ok(Value::String(format(&to_str(&args[0])?, &args[1..])?))
        }
        "formatlist" => {
            arity(name, args, 1, usize::MAX)?;
            let f = to_str(&args[0])?;
            let mut n: Option<usize> = None;
            for a in &args[1..] {
                if let Value::List(l) = known(a)? {
                    if n.is_some_and(|n| n != l.len()) {
                        return err("formatlist() lists must have the same length");
                    }
                    n = Some(l.len());
                }
            }
            let n = n.unwrap_or(1);
            let mut out = Vec::with_capacity(n);
            let mut total = 0usize;
            for i in 0..n {
                let row: Vec<Value> = args[1..]
                    .iter()
                    .map(|a| match a {
                        Value::List(l) => l.get(i).cloned().unwrap_or(Value::Null),
                        v => v.clone(),
                    })
                    .collect();
                let s = format(&f, &row)?;
                total = total.saturating_add(s.size() + 32);
                if total > MAX_VALUE_BYTES {
                    return too_large("the result");
                }
                out.push(Value::String(s));
            }
            Ok(Value::List(out))
        }
        "join" => {
            arity(name, args, 2, usize::MAX)?;
            let sep = to_str(&args[0])?;
            let mut out = Str::default();
            let mut first = true;
            for l in &args[1..] {
                for v in list(l)? {
                    if !first {
                        out.push_str(&sep);
                    }
                    first = false;
                    out.push_str(&to_str(v)?);
                    check_str(&out)?;
                }
            }
            Ok(Value::String(out))
        }
        "split" => {
            arity(name, args, 2, 2)?;
            let sep = to_str(&args[0])?;
            let s = to_str(&args[1])?;
            // As Go's strings.Split: splitting "" gives [""] (nothing at all only by "").
            if s.text.is_empty() && sep.text.is_empty() {
                return Ok(Value::List(vec![]));
            }
            let pieces = if sep.text.is_empty() {
                s.text.chars().count()
            } else {
                s.text.matches(sep.text.as_str()).count() + 1
            };
            if pieces.saturating_mul(64) > MAX_VALUE_BYTES {
                return too_large("the result");
            }
            if sep.text.is_empty() {
                return Ok(Value::List(
                    s.text.chars().map(|c| Value::str(c.to_string())).collect(),
                ));
            }
            let mut out = Vec::new();
            let mut at = 0;
            for (i, _) in s.text.match_indices(sep.text.as_str()) {
                out.push(Value::String(s.slice(at, i)));
                at = i + sep.text.len();
            }
            out.push(Value::String(s.slice(at, s.text.len())));
            Ok(Value::List(out))
        }
        "tostring" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::String(to_str(&args[0])?))
        }
        "lower" | "upper" | "title" | "trimspace" | "chomp" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            let out = match name {
                "lower" => s
                    .text
                    .chars()
                    .map(|c| simple_case(c, char::to_lowercase))
                    .collect(),
                "upper" => s
                    .text
                    .chars()
                    .map(|c| simple_case(c, char::to_uppercase))
                    .collect(),
                "title" => title(&s.text),
                "chomp" => {
                    let t = s.text.trim_end_matches(['\n', '\r']).len();
                    return Ok(Value::String(s.slice(0, t)));
                }
                _ => {
                    let start = s.text.len() - s.text.trim_start().len();
                    let end = s.text.trim_end().len().max(start);
                    return Ok(Value::String(s.slice(start, end)));
                }
            };
            if out == s.text {
                return Ok(Value::String(s));
            }
            Ok(Value::str(out))
        }
        "trim" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let cut = to_str(&args[1])?;
            let set: Vec<char> = cut.text.chars().collect();
            let start = s.text.len() - s.text.trim_start_matches(set.as_slice()).len();
            let end = s.text.trim_end_matches(set.as_slice()).len().max(start);
            Ok(Value::String(s.slice(start, end)))
        }
        "trimprefix" | "trimsuffix" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let a = to_str(&args[1])?;
            let n = s.text.len();
            let (x, y) = if name == "trimprefix" && s.text.starts_with(&a.text) {
                (a.text.len(), n)
            } else if name == "trimsuffix" && s.text.ends_with(&a.text) {
                (0, n - a.text.len())
            } else {
                (0, n)
            };
            Ok(Value::String(s.slice(x, y)))
        }
        "substr" => {
            arity(name, args, 3, 3)?;
            let s = to_str(&args[0])?;
            let chars: Vec<(usize, char)> = s.text.char_indices().collect();
            let n = chars.len() as i64;
            let given = int(&args[1])?;
            let len = int(&args[2])?;
            let off = if given < 0 { given + n } else { given };
            // An offset outside the string gives "" (Terraform 1.11), not an error.
            if off < 0 || off > n {
                return Ok(Value::str(""));
            }
            // Terraform (1.11) takes the rest for a negative length, and also for length 0
            // with an offset from the end (`substr("abcdef", -2, 0)` is "ef").
            let end = if len < 0 || (len == 0 && given < 0) {
                n
            } else {
                (off + len).min(n)
            };
            let byte = |i: i64| chars.get(i as usize).map_or(s.text.len(), |c| c.0);
            Ok(Value::String(s.slice(byte(off), byte(end))))
        }
        "replace" => {
            arity(name, args, 3, 3)?;
            let s = to_str(&args[0])?;
            let sub = to_str(&args[1])?;
            let rep = to_str(&args[2])?;
            let t = &sub.text;
            if t.len() > 1 && t.starts_with('/') && t.ends_with('/') {
                let re = compile(&t[1..t.len() - 1])?;
                let matches = re.find_iter(&s.text).count();
                if matches
                    .saturating_mul(rep.text.len())
                    .saturating_add(s.text.len())
                    > MAX_VALUE_BYTES
                {
                    return too_large("the result");
                }
                let rep = rep.text.replace("$$", "\u{0}").replace('\\', "$");
                let out = re.replace_all(&s.text, rep.as_str()).replace('\u{0}', "$");
                return Ok(Value::str(out));
            }
            if t.is_empty() {
                // As Go's strings.Replace: an empty match before every character and at
                // the end.
                let mut out = Str::default();
                for (i, c) in s.text.char_indices() {
                    out.push_str(&rep);
                    out.push_str(&s.slice(i, i + c.len_utf8()));
                    check_str(&out)?;
                }
                out.push_str(&rep);
                return Ok(Value::String(out));
            }
            let mut out = Str::default();
            let mut at = 0;
            for (i, _) in s.text.match_indices(t.as_str()) {
                out.push_str(&s.slice(at, i));
                out.push_str(&rep);
                check_str(&out)?;
                at = i + t.len();
            }
            out.push_str(&s.slice(at, s.text.len()));
            Ok(Value::String(out))
        }
        "regex" | "regexall" => {
            arity(name, args, 2, 2)?;
            let re = compile(&to_str(&args[0])?.text)?;
            let s = to_str(&args[1])?;
            let one = |c: regex::Captures<'_>| -> Value {
                let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
                if names.is_empty() {
                    let m = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
                    Value::String(s.slice(m.0, m.1))
                } else if names.iter().all(Option::is_some) {
                    Value::Map(
                        names
                            .iter()
                            .flatten()
                            .map(|n| {
                                let v = c.name(n).map_or(Value::Null, |m| {
                                    Value::String(s.slice(m.start(), m.end()))
                                });
                                (n.to_string(), v)
                            })
                            .collect(),
                    )
                } else {
                    Value::List(
                        (1..c.len())
                            .map(|i| {
                                c.get(i).map_or(Value::Null, |m| {
                                    Value::String(s.slice(m.start(), m.end()))
                                })
                            })
                            .collect(),
                    )
                }
            };
            if name == "regex" {
                match re.captures(&s.text) {
                    Some(c) => Ok(one(c)),
                    None => err("regex() pattern did not match"),
                }
            } else {
                Ok(Value::List(re.captures_iter(&s.text).map(one).collect()))
            }
        }
        "startswith" | "endswith" => {
            arity(name, args, 2, 2)?;
            let s = to_str(&args[0])?;
            let a = to_str(&args[1])?;
            Ok(Value::Bool(if name == "startswith" {
                s.text.starts_with(&a.text)
            } else {
                s.text.ends_with(&a.text)
            }))
        }
        "basename" | "dirname" => {
            arity(name, args, 1, 1)?;
            let s = to_str(&args[0])?;
            let t = s.text.trim_end_matches('/');
            let cut = t.rfind('/');
            // As Go's filepath.Base: "" is "." and "/" is "/".
            if name == "basename" && t.is_empty() {
                return Ok(Value::str(if s.text.is_empty() { "." } else { "/" }));
            }
            Ok(Value::String(match (name, cut) {
                ("basename", Some(i)) => s.slice(i + 1, t.len()),
                ("basename", None) => s.slice(0, t.len()),
                (_, Some(0)) => Str::plain("/"),
                (_, Some(i)) => s.slice(0, i),
                (_, None) => Str::plain("."),
            }))
        }
        "strcontains" => {
            arity(name, args, 2, 2)?;
            Ok(Value::Bool(
                to_str(&args[0])?.text.contains(&to_str(&args[1])?.text),
            ))
        }
        _ => unknown(name),
    }
}

pub(super) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(simple_case(c, char::to_uppercase));
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

pub(super) fn compile(pattern: &str) -> Result<regex::Regex, FnError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .or_else(|e| err(format!("invalid regular expression: {e}")))
}

/// Terraform's `format` verbs: `%s %d %f %.Nf %t %v %q %%`, with flags and width ignored.
pub(super) fn format(f: &Str, args: &[Value]) -> Result<Str, FnError> {
    let mut out = Str::default();
    let t = &f.text;
    let mut next = 0;
    let mut lit_start = 0;
    let mut i = 0;
    let bytes = t.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.push_str(&f.slice(lit_start, i));
        let spec_start = i;
        i += 1;
        if bytes.get(i) == Some(&b'%') {
            out.push_plain("%");
            i += 1;
            lit_start = i;
            continue;
        }
        // Explicit argument index `%[2]s`.
        let mut index = None;
        if bytes.get(i) == Some(&b'[') {
            let close = t[i..].find(']').map(|c| c + i);
            let Some(close) = close else {
                return err("format() has an unterminated [n] index");
            };
            index = t[i + 1..close]
                .parse::<usize>()
                .ok()
                .map(|n| n.saturating_sub(1));
            i = close + 1;
        }
        // Flags and width, as Go's fmt (which Terraform's format follows) reads them.
        let flags_start = i;
        while i < bytes.len() && b"+- #0".contains(&bytes[i]) {
            i += 1;
        }
        let flags = &t[flags_start..i];
        let width_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let width: usize = t[width_start..i].parse().unwrap_or(0);
        if width > 1000 {
            return err("format() width is larger than 1000");
        }
        let mut precision = None;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let p0 = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            precision = t[p0..i].parse::<usize>().ok();
        }
        let Some(&verb) = bytes.get(i) else {
            return err(format!("format() verb at {spec_start} is incomplete"));
        };
        i += 1;
        lit_start = i;
        if precision.is_some_and(|p| p > 1000) {
            return err("format() precision is larger than 1000");
        }
        check_str(&out)?;
        let n = index.unwrap_or(next);
        next = n + 1;
        let Some(arg) = args.get(n) else {
            return err(format!("format() has too few arguments for \"{t}\""));
        };
        let signed = |n: f64, text: String| {
            if flags.contains('+') && n >= 0.0 {
                format!("+{text}")
            } else {
                text
            }
        };
        let numeric = matches!(verb, b'd' | b'f');
        let piece = match verb {
            b's' => to_str(arg)?,
            b'd' => {
                let n = to_num(arg)?;
                Str::plain(signed(n, format!("{}", n.trunc() as i64)))
            }
            b'f' => {
                let n = to_num(arg)?;
                Str::plain(signed(n, format!("{:.*}", precision.unwrap_or(6), n)))
            }
            b't' => Str::plain(to_bool(arg)?.to_string()),
            b'q' => Str::plain(go_json(&serde_json::Value::String(to_str(arg)?.text))),
            b'v' => match known(arg)? {
                Value::String(s) => s.clone(),
                v @ (Value::List(_) | Value::Map(_)) => Str::plain(jsonencode(v)?.to_string()),
                v => to_str(v)?,
            },
            other => {
                return err(format!(
                    "format() verb %{} is not supported",
                    char::from(other)
                ));
            }
        };
        let pad = width.saturating_sub(piece.text.chars().count());
        if pad == 0 {
            out.push_str(&piece);
        } else if flags.contains('-') {
            out.push_str(&piece);
            out.push_plain(&" ".repeat(pad));
        } else if flags.contains('0') && numeric {
            // Zeros go after the sign.
            let text = &piece.text;
            let sign = usize::from(text.starts_with(['-', '+']));
            out.push_plain(&format!(
                "{}{}{}",
                &text[..sign],
                "0".repeat(pad),
                &text[sign..]
            ));
        } else {
            out.push_plain(&" ".repeat(pad));
            out.push_str(&piece);
        }
    }
    out.push_str(&f.slice(lit_start, t.len()));
    Ok(out)
}

/// One character's case mapping as Go's (Terraform's) `unicode.ToUpper`/`ToLower`: one
/// character for one (`ß` stays `ß`; Rust's full mapping would give `SS`).
pub(super) fn simple_case<I: Iterator<Item = char>>(c: char, map: impl Fn(char) -> I) -> char {
    let mut m = map(c);
    match (m.next(), m.next()) {
        (Some(one), None) => one,
        // `İ` lowers to `i` plus a combining dot in Rust, to `i` in Go; `ß` stays.
        (Some('i'), Some(_)) if c == 'İ' => 'i',
        _ => c,
    }
}
