//! Differential test of the evaluator against real Terraform: generated expressions over the
//! functions and constructs trailwatch models, each evaluated by trailwatch and by
//! `terraform console`, compared value for value. Needs `terraform` on PATH, so it is
//! ignored by default; run it with `bash scripts/evaluator-oracle.sh` (which skips when
//! `terraform` is missing). `ORACLE_SEED` and `ORACLE_COUNT` choose the expressions;
//! every disagreement is printed and fails the test. See docs/evaluator-oracle.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use trailwatch::terraform::{LoadOptions, Severity, Value, load};

/// A small deterministic generator (xorshift64*), so a seed names a set of expressions.
struct Gen {
    state: u64,
}

const WORDS: &[&str] = &[
    "\"a\"",
    "\"Hello World\"",
    "\"foo-bar\"",
    "\"  spaced  \"",
    "\"x,y,z\"",
    "\"ÄÖü straße\"",
    "\"日本語\"",
    "\"a.b.c\"",
    "\"\"",
    "\"123\"",
    "\"1.5\"",
    "\"true\"",
    "\"CamelCase\"",
    "\"tab\\tsep\"",
    "\"quote\\\"d\"",
    "\"dollar $${x}\"",
    "\"percent %%{y}\"",
    "\"line\\nbreak\"",
    "\"<b>&amp;</b>\"",
    "\"xxabcxx\"",
    "\"path/to/file.txt\"",
    "\"\\u00e9t\\u00e9\"",
];

const NUMBERS: &[&str] = &[
    "0", "1", "2", "3", "-1", "2.5", "10", "100", "1e3", "0.5", "7", "-4.25", "1000000",
];

impl Gen {
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn string(&mut self, d: usize) -> String {
        if d == 0 {
            return self.pick(WORDS).to_string();
        }
        let d = d - 1;
        match self.below(34) {
            0 => format!("upper({})", self.string(d)),
            1 => format!("lower({})", self.string(d)),
            2 => format!("title({})", self.string(d)),
            3 => format!(
                "format(\"%s-%d-%v\", {}, {}, {})",
                self.string(d),
                self.int(d),
                self.string(d)
            ),
            4 => format!(
                "join({}, {})",
                self.pick(&["\",\"", "\"\"", "\" - \""]),
                self.list(d)
            ),
            5 => format!(
                "replace({}, {}, {})",
                self.string(d),
                self.pick(&[
                    "\"a\"",
                    "\"o\"",
                    "\"x\"",
                    "\"/[a-c]+/\"",
                    "\"/(l+)/\"",
                    "\"\""
                ]),
                self.pick(&["\"_\"", "\"\"", "\"$1$1\"", "\"-\""])
            ),
            6 => format!("trimspace({})", self.string(d)),
            7 => format!("trim({}, \"x \")", self.string(d)),
            8 => format!("trimprefix({}, \"xx\")", self.string(d)),
            9 => format!("trimsuffix({}, \"xx\")", self.string(d)),
            10 => format!("chomp({})", self.string(d)),
            11 => format!(
                "substr({}, {}, {})",
                self.string(d),
                self.pick(&["0", "1", "2", "-3"]),
                self.pick(&["1", "3", "-1", "0", "100"])
            ),
            12 => format!("\"${{{}}}-${{{}}}\"", self.string(d), self.number(d)),
            13 => format!("\"pre ${{{}}} post\"", self.string(d)),
            14 => format!(
                "\"%{{ if {} }}yes%{{ else }}no%{{ endif }}\"",
                self.boolean(d)
            ),
            15 => format!("\"%{{ for x in {} }}[${{x}}]%{{ endfor }}\"", self.list(d)),
            16 => format!(
                "\"%{{ for i, x in {} ~}} ${{i}}:${{x}} %{{~ endfor }}\"",
                self.list(d)
            ),
            17 => format!(
                "{} ? {} : {}",
                self.boolean(d),
                self.string(d),
                self.string(d)
            ),
            18 => format!("tostring({})", self.number(d)),
            19 => format!("tostring({})", self.boolean(d)),
            20 => format!("jsonencode({})", self.any(d)),
            21 => format!("element({}, {})", self.list(d), self.int(d)),
            22 => format!("lookup({}, \"a\", \"dflt\")", self.map(d)),
            23 => format!("coalesce({}, {})", self.string(d), self.string(d)),
            24 => format!("try({}, \"fallback\")", self.string(d)),
            25 => format!("regex(\"[a-z]+\", {})", self.string(d)),
            26 => format!("{}[0]", self.list(d)),
            27 => format!("one([{}])", self.string(d)),
            28 => format!("basename({})", self.string(d)),
            29 => format!("dirname({})", self.string(d)),
            30 => format!("{}[\"a\"]", self.map(d)),
            31 => format!(
                "format(\"%q|%5s|%-4d|%.2f\", {}, {}, {}, {})",
                self.string(d),
                self.string(d),
                self.int(d),
                self.number(d)
            ),
            32 => format!("\"${{{}}}\"", self.number(d)),
            _ => format!("\"${{{}}}\"", self.boolean(d)),
        }
    }

    fn int(&mut self, d: usize) -> String {
        if d == 0 || self.below(2) == 0 {
            return self.pick(&["0", "1", "2", "3", "-1", "5"]).to_string();
        }
        match self.below(3) {
            0 => format!("length({})", self.list(d - 1)),
            1 => format!("length({})", self.string(d - 1)),
            _ => format!("floor({})", self.number(d - 1)),
        }
    }

    fn number(&mut self, d: usize) -> String {
        if d == 0 {
            return self.pick(NUMBERS).to_string();
        }
        let d = d - 1;
        match self.below(20) {
            0 => format!("{} + {}", self.number(d), self.number(d)),
            1 => format!("{} - {}", self.number(d), self.number(d)),
            2 => format!("{} * {}", self.number(d), self.number(d)),
            3 => format!("{} / {}", self.number(d), self.number(d)),
            4 => format!("{} % {}", self.number(d), self.number(d)),
            5 => format!("max({}, {})", self.number(d), self.number(d)),
            6 => format!(
                "min({}, {}, {})",
                self.number(d),
                self.number(d),
                self.number(d)
            ),
            7 => format!("abs({})", self.number(d)),
            8 => format!("ceil({})", self.number(d)),
            9 => format!("floor({})", self.number(d)),
            10 => format!("sum({})", self.numbers(d)),
            11 => format!("tonumber({})", self.string(d)),
            12 => format!("length({})", self.list(d)),
            13 => format!("length({})", self.string(d)),
            14 => format!("index({}, {})", self.list(d), self.string(d)),
            15 => format!("-({})", self.number(d)),
            16 => format!(
                "{} ? {} : {}",
                self.boolean(d),
                self.number(d),
                self.number(d)
            ),
            17 => format!("length({})", self.map(d)),
            18 => format!(
                "tonumber({})",
                self.pick(&["\"12\"", "\"-3.5\"", "\"0x10\"", "\" 4\"", "\"1e2\""])
            ),
            _ => self.pick(NUMBERS).to_string(),
        }
    }

    fn boolean(&mut self, d: usize) -> String {
        if d == 0 {
            return self.pick(&["true", "false"]).to_string();
        }
        let d = d - 1;
        match self.below(17) {
            0 => format!("{} == {}", self.string(d), self.string(d)),
            1 => format!("{} != {}", self.number(d), self.number(d)),
            2 => format!("{} < {}", self.number(d), self.number(d)),
            3 => format!("{} >= {}", self.number(d), self.number(d)),
            4 => format!("contains({}, {})", self.list(d), self.string(d)),
            5 => format!("startswith({}, {})", self.string(d), self.string(d)),
            6 => format!("endswith({}, {})", self.string(d), self.string(d)),
            7 => format!("strcontains({}, {})", self.string(d), self.string(d)),
            8 => format!("!{}", self.boolean(d)),
            9 => format!("{} && {}", self.boolean(d), self.boolean(d)),
            10 => format!("{} || {}", self.boolean(d), self.boolean(d)),
            11 => format!("can(tonumber({}))", self.string(d)),
            12 => format!("alltrue([{}, {}])", self.boolean(d), self.boolean(d)),
            13 => format!("anytrue([{}, {}])", self.boolean(d), self.boolean(d)),
            14 => format!(
                "tobool({})",
                self.pick(&["\"true\"", "\"false\"", "\"yes\"", "true", "null"])
            ),
            15 => format!("{} == {}", self.list(d), self.list(d)),
            _ => format!("length({}) > 0", self.list(d)),
        }
    }

    fn numbers(&mut self, d: usize) -> String {
        match self.below(4) {
            0 => format!(
                "range({})",
                self.pick(&["0", "3", "1, 4", "0, 10, 3", "5, 1, -2"])
            ),
            1 => format!("[for x in {} : x * 2]", self.numbers(d.saturating_sub(1))),
            _ => {
                let n = self.below(4) + 1;
                let items: Vec<String> = (0..n).map(|_| self.number(d.saturating_sub(1))).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }

    fn list(&mut self, d: usize) -> String {
        if d == 0 {
            let n = self.below(4);
            let items: Vec<String> = (0..n).map(|_| self.pick(WORDS).to_string()).collect();
            return format!("[{}]", items.join(", "));
        }
        let d = d - 1;
        match self.below(24) {
            0 => format!("split(\",\", {})", self.string(d)),
            1 => format!("keys({})", self.map(d)),
            2 => format!("values({})", self.map(d)),
            3 => format!("sort({})", self.list(d)),
            4 => format!("distinct({})", self.list(d)),
            5 => format!("reverse({})", self.list(d)),
            6 => format!("concat({}, {})", self.list(d), self.list(d)),
            7 => format!("compact({})", self.list(d)),
            8 => format!("flatten([{}, [{}]])", self.list(d), self.list(d)),
            9 => format!("[for x in {} : upper(x)]", self.list(d)),
            10 => format!("[for x in {} : x if length(x) > 1]", self.list(d)),
            11 => format!("tolist(toset({}))", self.list(d)),
            12 => format!("slice({}, 0, 1)", self.list(d)),
            13 => format!("formatlist(\"%s!\", {})", self.list(d)),
            14 => format!("regexall(\"[a-z]+\", {})", self.string(d)),
            15 => format!("setunion({}, {})", self.list(d), self.list(d)),
            16 => format!("[for k, v in {} : \"${{k}}=${{v}}\"]", self.map(d)),
            17 => format!(
                "[{{ a = {} }}, {{ a = {} }}][*].a",
                self.string(d),
                self.string(d)
            ),
            18 => format!("[for x in {} : {{ n = x }}][*].n", self.list(d)),
            19 => format!("coalescelist({}, {})", self.list(d), self.list(d)),
            20 => format!("[for i, x in {} : \"${{i}}-${{x}}\"]", self.list(d)),
            21 => format!("[{}, {}]", self.string(d), self.string(d)),
            22 => format!("setsubtract({}, {})", self.list(d), self.list(d)),
            _ => format!("setintersection({}, {})", self.list(d), self.list(d)),
        }
    }

    fn map(&mut self, d: usize) -> String {
        if d == 0 {
            let n = self.below(3);
            let items: Vec<String> = (0..n)
                .map(|i| format!("{} = {}", ["a", "b", "\"c d\""][i], self.pick(WORDS)))
                .collect();
            return format!("{{ {} }}", items.join(", "));
        }
        let d = d - 1;
        match self.below(10) {
            0 => format!("merge({}, {})", self.map(d), self.map(d)),
            1 => format!("zipmap({}, {})", self.list(d), self.list(d)),
            2 => format!("{{ for x in {} : x => upper(x) }}", self.list(d)),
            3 => format!(
                "tomap({{ a = {}, b = {} }})",
                self.string(d),
                self.string(d)
            ),
            4 => format!("jsondecode(jsonencode({}))", self.map(d)),
            5 => format!(
                "yamldecode({})",
                self.pick(&[
                    "\"a: x\\nb: 'y'\\n\"",
                    "\"{a: 1, b: true}\"",
                    "\"a: [1, x]\""
                ])
            ),
            6 => format!("{{ for k, v in {} : upper(k) => v }}", self.map(d)),
            7 => format!("{{ a = {}, b = {} }}", self.string(d), self.string(d)),
            8 => format!(
                "jsondecode({})",
                self.pick(&[
                    "\"{\\\"a\\\": [1, 2.5, null, true]}\"",
                    "\"{\\\"b\\\": \\\"x\\\"}\""
                ])
            ),
            _ => format!("{{ for x in {} : substr(x, 0, 1) => x... }}", self.list(d)),
        }
    }

    fn any(&mut self, d: usize) -> String {
        match self.below(6) {
            0 => self.string(d),
            1 => self.number(d),
            2 => self.boolean(d),
            3 => self.list(d),
            4 => self.map(d),
            _ => self.numbers(d),
        }
    }

    /// A top-level expression; heredocs only here (they need their own lines).
    fn top(&mut self) -> String {
        let d = 1 + self.below(3);
        match self.below(12) {
            0 => format!(
                "<<EOT\n  line ${{{}}}\n    %{{ for x in {} }}${{x}}\n    %{{ endfor }}\nEOT",
                self.string(d - 1),
                self.list(d - 1)
            ),
            1 => format!(
                "<<-EOT\n    first ${{{}}}\n      indented\n    %{{ if {} }}yes%{{ endif }}\n    EOT",
                self.string(d - 1),
                self.boolean(d - 1)
            ),
            _ => self.any(d),
        }
    }
}

/// What one side made of an expression.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Value(serde_json::Value),
    Error(String),
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= table(*c) << (18 - 6 * i);
        }
        let len = chunk.len().saturating_sub(1);
        for i in 0..len {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Runs `terraform console` in `dir` with `input`; returns stdout and stderr.
fn console(dir: &Path, input: &str) -> (String, String) {
    let rc = dir.join("empty.tfrc");
    std::fs::write(&rc, "").expect("write the empty CLI configuration");
    let mut child = Command::new("terraform")
        .args(["console", "-no-color"])
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", &rc)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.as_bytes())
            .expect("write to terraform console");
    }
    let out = child.wait_with_output().expect("terraform console ends");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Terraform's outcome for each expression: errors by line, then the values of the others.
fn terraform_outcomes(exprs: &[String]) -> Vec<Outcome> {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = match std::env::var_os("ORACLE_KEEP") {
        Some(_) => {
            let kept = dir.keep();
            println!("terraform's directory: {}", kept.display());
            tempfile::Builder::new()
                .disable_cleanup(true)
                .tempdir_in(kept)
                .expect("temp dir")
        }
        None => dir,
    };
    let mut tf = String::from("locals {\n");
    let mut lines = Vec::new();
    let mut line = 2;
    for (i, e) in exprs.iter().enumerate() {
        let n = e.lines().count().max(1);
        lines.push((line, line + n - 1));
        writeln!(tf, "  e{i} = {e}").expect("write to a string");
        line += n;
    }
    tf.push_str("}\n");
    std::fs::write(dir.path().join("main.tf"), &tf).expect("write main.tf");
    // Errors name their line; the expressions that erred are left out and the rest asked
    // again (an error can hide another), until one run gives values.
    let mut errors: BTreeMap<usize, String> = BTreeMap::new();
    let mut rounds = 0;
    let (good, values) = loop {
        rounds += 1;
        let good: Vec<usize> = (0..exprs.len())
            .filter(|i| !errors.contains_key(i))
            .collect();
        // Each encoded alone: a value JSON cannot hold (an infinity) spoils only itself.
        let list: Vec<String> = good
            .iter()
            .map(|i| format!("try(jsonencode(local.e{i}), \"!\")"))
            .collect();
        // In a file, not on the console's input line, which has a length limit.
        std::fs::write(
            dir.path().join("all.tf"),
            format!(
                "locals {{\n  all = base64encode(jsonencode([\n{}\n  ]))\n}}\n",
                list.join(",\n")
            ),
        )
        .expect("write all.tf");
        let (stdout, stderr) = console(dir.path(), "local.all\n");
        if std::env::var_os("ORACLE_KEEP").is_some() {
            let _ = std::fs::write(dir.path().join(format!("round{rounds}.out")), &stdout);
            let _ = std::fs::write(dir.path().join(format!("round{rounds}.err")), &stderr);
        }
        let before = errors.len();
        let mut current: Option<String> = None;
        for l in stderr.lines() {
            if let Some(title) = l.strip_prefix("Error: ") {
                current = Some(title.to_string());
            } else if let (Some(title), Some(rest)) =
                (&current, l.trim().strip_prefix("on main.tf line "))
            {
                let n: usize = rest
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                let Some(i) = lines.iter().position(|(a, b)| (*a..=*b).contains(&n)) else {
                    panic!("terraform rejected the generated file:\n{stderr}\n{tf}");
                };
                errors.entry(i).or_insert_with(|| title.clone());
                current = None;
            }
        }
        // The value is the last line; warnings come before it on stdout.
        let text = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('"'))
            .unwrap_or("")
            .trim_matches('"');
        if errors.len() == before {
            let values: Vec<String> =
                serde_json::from_slice(&decode_base64(text)).unwrap_or_else(|e| {
                    panic!("terraform console printed no values ({e}):\n{stdout}\n{stderr}")
                });
            break (good, values);
        }
        assert!(rounds < 20, "terraform keeps finding new errors:\n{stderr}");
    };
    assert_eq!(values.len(), good.len(), "one value per expression");
    let mut out: Vec<Outcome> = vec![Outcome::Error(String::new()); exprs.len()];
    for (i, m) in errors {
        out[i] = Outcome::Error(m);
    }
    for (i, v) in good.into_iter().zip(values) {
        out[i] = match serde_json::from_str(&v) {
            Ok(v) => Outcome::Value(v),
            Err(_) => Outcome::Error(format!("jsonencode failed: {v}")),
        };
    }
    out
}

/// trailwatch's outcome for each expression, as the `input` of a `terraform_data` resource.
fn trailwatch_outcomes(exprs: &[String]) -> Vec<Outcome> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut tf = String::new();
    let mut lines = Vec::new();
    let mut line = 1;
    for (i, e) in exprs.iter().enumerate() {
        let n = e.lines().count().max(1) + 2;
        lines.push((line, line + n - 1));
        writeln!(
            tf,
            "resource \"terraform_data\" \"e{i}\" {{\n  input = {e}\n}}"
        )
        .expect("write to a string");
        line += n;
    }
    std::fs::write(dir.path().join("main.tf"), &tf).expect("write main.tf");
    let loaded = load(&[dir.path().to_path_buf()], &LoadOptions::default());
    let mut errors: BTreeMap<usize, String> = BTreeMap::new();
    for d in &loaded.diagnostics {
        if d.severity == Severity::Note {
            continue;
        }
        let at = d.location.as_ref().map_or(0, |l| l.line);
        match lines.iter().position(|(a, b)| (*a..=*b).contains(&at)) {
            Some(i) => {
                errors.entry(i).or_insert_with(|| d.message.clone());
            }
            None => panic!("trailwatch could not load the generated file: {d:?}"),
        }
    }
    let mut out = vec![Outcome::Error("no instance".into()); exprs.len()];
    for inst in &loaded.instances {
        let Some(i) = inst
            .name
            .strip_prefix('e')
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        out[i] = match (errors.get(&i), inst.attributes.get("input")) {
            (Some(m), _) => Outcome::Error(m.clone()),
            // Terraform cannot encode an infinite number either.
            (None, Some(v)) if !finite(v) => Outcome::Error("an infinite number".into()),
            (None, Some(v)) if v.is_wholly_known() => Outcome::Value(v.to_json()),
            (None, Some(Value::Unknown(u))) => Outcome::Error(format!("unknown: {}", u.reason)),
            (None, Some(v)) => Outcome::Error(format!("not wholly known: {}", v.render())),
            (None, None) => Outcome::Value(serde_json::Value::Null),
        };
    }
    out
}

fn finite(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_finite(),
        Value::List(l) => l.iter().all(finite),
        Value::Map(m) => m.values().all(finite),
        _ => true,
    }
}

/// Disagreements of a class trailwatch does not model yet (docs/evaluator-oracle.md):
/// reported and counted, but not failures.
fn known_class(e: &str) -> Option<&'static str> {
    if ["setunion(", "setintersection(", "setsubtract(", "toset("]
        .iter()
        .any(|f| e.contains(f))
    {
        // trailwatch keeps sets as sorted lists: it indexes, slices and mixes them with
        // lists where Terraform refuses to.
        return Some("sets are lists");
    }
    if e.contains("tobool(null)") {
        // Terraform evaluates both operands of && and || and refuses a null one.
        return Some("null operand of && or ||");
    }
    None
}

/// Equal JSON, numbers within 1e-9 relative (trailwatch uses f64, Terraform big floats).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Disagreements outside the known classes in the default run, all listed as open in
/// docs/evaluator-oracle.md.
const OPEN_AT_DEFAULT: usize = 8;

#[test]
#[ignore = "needs terraform on PATH: bash scripts/evaluator-oracle.sh"]
fn evaluator_agrees_with_terraform_console() {
    let seed: u64 = std::env::var("ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_128);
    let count: usize = std::env::var("ORACLE_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000);
    let mut g = Gen { state: seed | 1 };
    let exprs: Vec<String> = (0..count).map(|_| g.top()).collect();
    let theirs = terraform_outcomes(&exprs);
    let ours = trailwatch_outcomes(&exprs);
    let mut agree = (0, 0);
    let mut disagreements = Vec::new();
    let mut known: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in exprs.iter().enumerate() {
        match (&theirs[i], &ours[i]) {
            (Outcome::Value(a), Outcome::Value(b)) if same(a, b) => agree.0 += 1,
            (Outcome::Error(_), Outcome::Error(_)) => agree.1 += 1,
            (t, o) => {
                let text = format!("e{i} = {e}\n  terraform:  {t:?}\n  trailwatch: {o:?}");
                match known_class(e) {
                    Some(class) => {
                        *known.entry(class).or_default() += 1;
                        println!("known ({class}): {text}\n");
                    }
                    None => disagreements.push(text),
                }
            }
        }
    }
    println!(
        "compared {count} expressions (seed {seed}): {} equal values, {} rejected by both, {} in known classes {known:?}, {} other disagreements",
        agree.0,
        agree.1,
        known.values().sum::<usize>(),
        disagreements.len()
    );
    for d in &disagreements {
        println!("{d}\n");
    }
    // The open disagreements of the default run (docs/evaluator-oracle.md lists them): more
    // is a regression; fewer, lower this. Other seeds: set ORACLE_ALLOWED.
    let default_run = seed == 20_261_128 && count == 3_000;
    let allowed: usize = std::env::var("ORACLE_ALLOWED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if default_run { OPEN_AT_DEFAULT } else { 0 });
    assert!(
        disagreements.len() <= allowed,
        "{} disagreements (allowed: {allowed})",
        disagreements.len()
    );
}
