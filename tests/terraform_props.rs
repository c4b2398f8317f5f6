//! Arbitrary input never panics the loader: it becomes diagnostics and unknown values.

use proptest::prelude::*;
use trailwatch::terraform::{LoadOptions, load};

const TOKENS: &[&str] = &[
    "resource \"aws_sns_topic\" \"t\" {\n",
    "locals {\n",
    "variable \"v\" {\n",
    "module \"m\" {\n",
    "}\n",
    "  x = ",
    "  y = ",
    "  name = ",
    "  count = ",
    "  for_each = ",
    "  source = \"./\"\n",
    "local.x",
    "local.y",
    "var.v",
    "each.key",
    "each.value",
    "count.index",
    "aws_sns_topic.t",
    "module.m",
    "data.a.b",
    "path.module",
    "\"${",
    "}\"",
    "\"%{ if true }",
    "%{ endif }\"",
    "\"%{ for a in [1] }${a}%{ endfor }\"",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    "=>",
    "...",
    "for x in ",
    " : ",
    " if ",
    "?",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "&&",
    "||",
    "!",
    "[*]",
    ".*",
    ".name",
    "[0]",
    "[\"k\"]",
    "1",
    "0",
    "-1",
    "1e308",
    "\"s\"",
    "null",
    "true",
    "join(\",\", ",
    "format(\"%s\", ",
    "lookup(",
    "try(",
    "can(",
    "merge(",
    "element(",
    "range(",
    "regex(\"(\", ",
    "jsondecode(",
    "yamldecode(",
    "file(",
    "templatefile(",
    "tolist(",
    "toset(",
    "zipmap(",
    "flatten(",
    "<<-EOT\n  a\n  EOT\n",
    "<<EOT\n${x}\nEOT\n",
    "\n",
    " ",
    "\"",
    "\\",
    "$${",
    "%%{",
    "é",
    "#",
    "//",
    "/*",
    "*/",
];

fn config() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

const EXPR: &[&str] = &[
    "local.x",
    "local.y",
    "var.v",
    "each.key",
    "count.index",
    "aws_sns_topic.t.arn",
    "module.m.o",
    "path.module",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    "1",
    "\"s\"",
    "null",
    "true",
    "a = 1",
    "+",
    "==",
    "&&",
    "?",
    ":",
    "[*]",
    ".*",
    ".name",
    "[0]",
    "for v in [1, 2] :",
    "v",
    "=>",
    "join(\",\",",
    "format(\"%s %d\",",
    "lookup(",
    "try(",
    "can(",
    "merge(",
    "concat(",
    "split(\",\",",
    "replace(",
    "regexall(\"a\",",
    "jsonencode(",
    "length(",
    "keys(",
    "\"${local.y}\"",
    "\"%{ for a in local.y }${a}%{ endfor }\"",
    "...",
];

fn expr() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(EXPR), 1..14).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn evaluator_never_panics(x in expr(), y in expr()) {
        let dir = std::env::temp_dir().join(format!("trailwatch-prop-e-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "variable \"v\" {{\n  default = [1, 2]\n}}\nlocals {{\n  x = {x}\n  y = {y}\n}}\n\
             resource \"aws_sns_topic\" \"t\" {{\n  count = 1\n  name = local.x\n  tags = local.y\n}}\n\
             module \"m\" {{\n  source = \"./m\"\n  i = local.y\n}}\n"
        );
        std::fs::write(dir.join("main.tf"), &text).unwrap();
        std::fs::create_dir_all(dir.join("m")).unwrap();
        std::fs::write(dir.join("m/main.tf"), "variable \"i\" {}\noutput \"o\" {\n  value = var.i\n}\n").unwrap();
        let _ = load(std::slice::from_ref(&dir), &LoadOptions::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn loader_never_panics(hcl in config(), json in "[\\[\\]{}\":,a-z0-9 $\\\\]{0,80}") {
        let dir = std::env::temp_dir().join(format!("trailwatch-prop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), &hcl).unwrap();
        std::fs::write(dir.join("other.tf.json"), &json).unwrap();
        std::fs::write(dir.join("terraform.tfvars"), &hcl).unwrap();
        let loaded = load(std::slice::from_ref(&dir), &LoadOptions::default());
        // Every diagnostic with a location names a real file.
        for d in &loaded.diagnostics {
            if let Some(l) = &d.location {
                prop_assert!(!l.file.is_empty());
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
