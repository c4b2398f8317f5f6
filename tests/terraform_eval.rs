//! Loader and evaluator behaviour through the library API.

use std::path::{Path, PathBuf};

use trailwatch::terraform::{Instance, LoadOptions, Loaded, Value, VarArg, load};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

fn instance<'a>(l: &'a Loaded, address: &str) -> &'a Instance {
    l.instances
        .iter()
        .find(|i| i.address == address)
        .unwrap_or_else(|| panic!("no instance {address}: {:?}", l.diagnostics))
}

/// The source text a byte of a string value came from.
fn source_at(l: &Loaded, v: &Value, needle: &str) -> String {
    let Value::String(s) = v else {
        panic!("not a string: {v:?}")
    };
    let at = s.text.find(needle).expect("needle in value");
    let (file, off) = s.source_of(at).expect("origin");
    let text = &l.sources.get(file).expect("file").text;
    text[off..off + needle.len()].to_string()
}

#[test]
fn heredoc_chars_map_back_after_dedent() {
    let l = load(&[fixture("heredoc_seed")], &LoadOptions::default());
    let f = instance(&l, "aws_cloudwatch_log_metric_filter.indented");
    let pattern = f.get("pattern").expect("pattern");
    assert_eq!(source_at(&l, pattern, "StopLoging"), "StopLoging");
    assert_eq!(
        source_at(&l, pattern, "($.eventName = CreateTrail)"),
        "($.eventName = CreateTrail)"
    );
    let Value::String(s) = pattern else { panic!() };
    let at = s.text.find("StopLoging").unwrap();
    let (file, off) = s.source_of(at).unwrap();
    let src = l.sources.get(file).unwrap();
    assert_eq!(src.lines.line_col(&src.text, off), (40, 24));
}

#[test]
fn joined_pattern_points_at_list_items() {
    let l = load(&[fixture("join_patterns")], &LoadOptions::default());
    let f = instance(&l, "aws_cloudwatch_log_metric_filter.iam");
    let p = f.get("pattern").unwrap();
    assert_eq!(source_at(&l, p, "DeleteRolePolicy"), "DeleteRolePolicy");
    let nacl = instance(&l, "aws_cloudwatch_log_metric_filter.nacl");
    assert_eq!(
        source_at(&l, nacl.get("pattern").unwrap(), "DeleteNetworkAcl"),
        "DeleteNetworkAcl"
    );
}

#[test]
fn json_string_escapes_map_back() {
    let l = load(&[fixture("tf_json")], &LoadOptions::default());
    let f = instance(&l, "aws_cloudwatch_log_metric_filter.root");
    let p = f.get("pattern").unwrap();
    assert_eq!(source_at(&l, p, "NOT EXISTS"), "NOT EXISTS");
    assert_eq!(source_at(&l, p, "Root"), "Root");
    assert_eq!(
        f.get("metric_transformation[0].namespace"),
        Some(&Value::str("CISBenchmark"))
    );
}

#[test]
fn templatefile_points_into_the_template() {
    let l = load(&[fixture("templates_yaml")], &LoadOptions::default());
    let f = instance(&l, "aws_cloudwatch_log_metric_filter.templated");
    let p = f.get("pattern").unwrap();
    assert_eq!(source_at(&l, p, "kms.amazonaws.com"), "kms.amazonaws.com");
    let Value::String(s) = p else { panic!() };
    let (file, _) = s.source_of(0).unwrap();
    assert_eq!(l.sources.get(file).unwrap().display, "patterns/kms.tftpl");
}

#[test]
fn broken_file_does_not_stop_the_others() {
    let l = load(&[fixture("broken_file")], &LoadOptions::default());
    assert!(l.instances.iter().any(|i| i.address == "aws_sns_topic.ok"));
    let errors: Vec<_> = l
        .diagnostics
        .iter()
        .filter_map(|d| d.location.as_ref().map(|loc| (loc.file.as_str(), loc.line)))
        .collect();
    assert!(errors.contains(&("broken.tf", 3)), "{errors:?}");
    assert!(errors.contains(&("broken.tf.json", 1)), "{errors:?}");
}

#[test]
fn cli_vars_override_tfvars() {
    let opts = LoadOptions {
        vars: vec![
            VarArg::File(fixture("tfvars_patterns/env/prod.tfvars")),
            VarArg::Value("log_group".into(), "cli".into()),
            VarArg::Value("period".into(), "42".into()),
        ],
        ..LoadOptions::default()
    };
    let l = load(&[fixture("tfvars_patterns")], &opts);
    let a = instance(&l, "aws_cloudwatch_metric_alarm.from_vars[\"RootUsage\"]");
    assert_eq!(a.get("period"), Some(&Value::Number(42.0)));
    let f = instance(
        &l,
        "aws_cloudwatch_log_metric_filter.from_vars[\"RootUsage\"]",
    );
    assert_eq!(f.get("log_group_name"), Some(&Value::str("cli")));
}

#[test]
fn unknown_carries_references() {
    let l = load(&[fixture("local_module")], &LoadOptions::default());
    let t = instance(&l, "aws_cloudtrail.org");
    let Some(Value::Unknown(u)) = t.get("cloud_watch_logs_group_arn") else {
        panic!()
    };
    assert_eq!(
        u.derived_from[0].to_string(),
        "aws_cloudwatch_log_group.trail.arn"
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("trailwatch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Evaluates `local.x` for a snippet of HCL.
fn eval_local(hcl: &str) -> (Value, Loaded) {
    let d = temp(&format!(
        "eval-{}",
        hcl.len() ^ hcl.bytes().map(usize::from).sum::<usize>()
    ));
    write(
        &d,
        "main.tf",
        &format!("{hcl}\nresource \"aws_sns_topic\" \"probe\" {{\n  name = local.x\n}}\n"),
    );
    let l = load(std::slice::from_ref(&d), &LoadOptions::default());
    let v = instance(&l, "aws_sns_topic.probe")
        .get("name")
        .cloned()
        .unwrap();
    let _ = std::fs::remove_dir_all(&d);
    (v, l)
}

fn json(v: &Value) -> String {
    v.to_json().to_string()
}

#[test]
fn expressions() {
    let cases: &[(&str, &str)] = &[
        (r#"locals { x = 1 + 2 * 3 }"#, "7"),
        (r#"locals { x = 7 % 4 == 3 && !false }"#, "true"),
        (
            r#"locals { x = [for s in ["a", "b"] : upper(s) if s != "b"] }"#,
            r#"["A"]"#,
        ),
        (
            r#"locals { x = { for k, v in { a = 1, b = 2 } : v => k } }"#,
            r#"{"1":"a","2":"b"}"#,
        ),
        (
            r#"locals { x = { for s in ["a", "ab", "b"] : substr(s, 0, 1) => s... } }"#,
            r#"{"a":["a","ab"],"b":["b"]}"#,
        ),
        (r#"locals { x = [{ n = 1 }, { n = 2 }][*].n }"#, "[1,2]"),
        (r#"locals { x = [{ n = 1 }, { n = 2 }].*.n }"#, "[1,2]"),
        (r#"locals { x = { a = [10, 20] }.a[1] }"#, "20"),
        (r#"locals { x = "a$${b}%%{c}" }"#, r#""a${b}%{c}""#),
        (
            r#"locals { x = "%{ if true }yes%{ else }no%{ endif }" }"#,
            r#""yes""#,
        ),
        (
            r#"locals { x = "%{ for v in [1, 2] }${v},%{ endfor }" }"#,
            r#""1,2,""#,
        ),
        (r#"locals { x = "a ${~ "b" ~} c" }"#, r#""abc""#),
        (
            "locals {\n  x = try(local.y.missing, \"fallback\")\n  y = {}\n}",
            r#""fallback""#,
        ),
        ("locals {\n  x = can(local.y.missing)\n  y = {}\n}", "false"),
        (r#"locals { x = terraform.workspace }"#, r#""default""#),
        (r#"locals { x = path.module }"#, r#"".""#),
        (r#"locals { x = lookup({ a = "b" }, "z", "d") }"#, r#""d""#),
        (r#"locals { x = true ? "t" : "f" }"#, r#""t""#),
        (r#"locals { x = -(3) }"#, "-3"),
        (
            r#"locals { x = concat([["a"], ["b"]]...) }"#,
            r#"["a","b"]"#,
        ),
    ];
    for (hcl, want) in cases {
        let (v, l) = eval_local(hcl);
        assert_eq!(&json(&v), want, "{hcl}\n{:?}", l.diagnostics);
    }
}

#[test]
fn unknown_reasons() {
    let (v, _) = eval_local("variable \"v\" {}\nlocals { x = var.v }");
    assert!(json(&v).contains("has no value"), "{}", json(&v));
    let (v, _) = eval_local("locals { x = cidrhost(\"10.0.0.0/8\", 1) }");
    assert!(json(&v).contains("not modelled"));
    let (v, _) = eval_local("locals {\n x = local.y\n y = local.x\n}");
    assert!(json(&v).contains("cycle"));
    let (v, _) = eval_local("data \"aws_region\" \"r\" {}\nlocals { x = data.aws_region.r.name }");
    assert!(json(&v).contains("read from the cloud"));
}

#[test]
fn errors_become_diagnostics_not_panics() {
    for bad in [
        "locals { x = [1][5] }",
        "locals { x = {}.a }",
        "locals { x = 1 / 0 }",
        "locals { x = null.a }",
        "locals { x = \"${[1]}\" }",
        "locals { x = for }",
        "locals { x = count.index }",
        "locals { x = each.key }",
        "locals { x = aws_nope.nope.id }",
        "locals { x = module.nope.out }",
        "locals { x = var.undeclared }",
        "locals { x = [for v in 3 : v] }",
        "locals { x = file(\"/etc/passwd\") }",
        "locals { x = file(\"../../../../etc/passwd\") }",
    ] {
        let d = temp("bad");
        write(
            &d,
            "main.tf",
            &format!("{bad}\nresource \"aws_sns_topic\" \"t\" {{ name = local.x }}\n"),
        );
        let l = load(std::slice::from_ref(&d), &LoadOptions::default());
        let v = l.instances.first().and_then(|i| i.get("name")).cloned();
        assert!(
            !matches!(v, Some(Value::String(_))),
            "{bad}: should not produce a string: {v:?}"
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}

#[test]
fn optional_attributes_get_defaults() {
    let (v, l) = eval_local(
        r#"variable "o" {
  type = object({ a = optional(string, "dflt"), b = optional(number), c = string })
  default = { c = "x" }
}
locals { x = "${var.o.a}/${var.o.b == null}/${var.o.c}" }"#,
    );
    assert_eq!(json(&v), r#""dflt/true/x""#, "{:?}", l.diagnostics);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = temp("outside");
    write(
        &outside,
        "secret.tf",
        "resource \"aws_sns_topic\" \"outside\" { name = \"x\" }\n",
    );
    let root = temp("root");
    write(
        &root,
        "main.tf",
        "resource \"aws_sns_topic\" \"inside\" { name = \"y\" }\n",
    );
    std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
    std::os::unix::fs::symlink(root.join("main.tf"), root.join("sub.tf")).unwrap();
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    assert!(l.instances.iter().all(|i| i.name != "outside"));
    assert!(
        l.skipped.iter().any(|s| s.reason.contains("outside")),
        "{:?}",
        l.skipped
    );
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&outside);
}

#[test]
fn skips_dot_terraform_and_tests() {
    let root = temp("skips");
    write(
        &root,
        "main.tf",
        "resource \"aws_sns_topic\" \"a\" { name = \"a\" }\n",
    );
    write(
        &root,
        ".terraform/modules/x/main.tf",
        "resource \"aws_sns_topic\" \"b\" { name = \"b\" }\n",
    );
    write(&root, "x.tftest.hcl", "run \"t\" {}\n");
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    assert_eq!(l.instances.len(), 1);
    let reasons: Vec<&str> = l.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.contains(".terraform")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("test")), "{reasons:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn registry_module_from_modules_json() {
    let root = temp("modjson");
    write(
        &root,
        "main.tf",
        "module \"cis\" {\n  source = \"acme/cis/aws\"\n  topic = \"t\"\n}\n",
    );
    write(
        &root,
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"cis","Source":"registry.terraform.io/acme/cis/aws","Dir":".terraform/modules/cis"}]}"#,
    );
    write(
        &root,
        ".terraform/modules/cis/main.tf",
        "variable \"topic\" {}\nresource \"aws_sns_topic\" \"this\" { name = var.topic }\n",
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    let t = instance(&l, "module.cis.aws_sns_topic.this");
    assert_eq!(t.get("name"), Some(&Value::str("t")));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn plan_without_configuration_points_into_the_plan() {
    use trailwatch::terraform::plan::load_plan;
    let plan = fixture("plan_json/plan.json");
    let l = load_plan(&plan, None, &LoadOptions::default());
    let a = instance(&l, "module.cis.aws_cloudwatch_metric_alarm.root");
    assert_eq!(a.module, "module.cis");
    let loc = l.sources.location(a.span);
    assert_eq!((loc.file.as_str(), loc.line), ("plan.json", 1));
    let Some(Value::List(actions)) = a.get("alarm_actions") else {
        panic!()
    };
    assert_eq!(
        actions[0],
        Value::Reference(trailwatch::terraform::Reference::new(
            "aws_sns_topic.alerts",
            "arn"
        ))
    );
}

#[test]
fn broken_plan_is_a_diagnostic() {
    use trailwatch::terraform::plan::load_plan;
    let d = temp("badplan");
    write(&d, "plan.json", "{\"planned_values\": [");
    let l = load_plan(&d.join("plan.json"), None, &LoadOptions::default());
    assert!(l.instances.is_empty());
    assert!(l.diagnostics[0].message.contains("invalid plan JSON"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn long_reference_chains_do_not_overflow() {
    let mut hcl = String::from("locals {\n  x = local.l0\n");
    for i in 0..2000 {
        hcl.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    hcl.push_str("  l2000 = \"end\"\n}\n");
    let (v, _) = eval_local(&hcl);
    // Either the value or an unknown saying the chain is too deep; never a crash.
    assert!(
        json(&v).contains("end") || json(&v).contains("too deeply"),
        "{}",
        json(&v)
    );
}

#[test]
fn dynamic_blocks_become_lists() {
    let root = temp("dynamic");
    write(
        &root,
        "main.tf",
        r#"
locals {
  selectors = [{ rw = "All", mgmt = true }, { rw = "WriteOnly", mgmt = false }]
}

resource "aws_cloudtrail" "t" {
  name = "t"
  dynamic "event_selector" {
    for_each = local.selectors
    iterator = sel
    content {
      read_write_type           = sel.value.rw
      include_management_events = sel.value.mgmt
    }
  }
}
"#,
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    let t = instance(&l, "aws_cloudtrail.t");
    assert_eq!(
        t.get("event_selector[1].read_write_type"),
        Some(&Value::str("WriteOnly"))
    );
    assert_eq!(
        t.get("event_selector[0].include_management_events"),
        Some(&Value::Bool(true))
    );
    assert!(
        t.attribute_spans
            .contains_key("event_selector[1].read_write_type")
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn nested_modules_with_count_and_outputs() {
    let root = temp("nested");
    write(
        &root,
        "main.tf",
        r#"
module "outer" {
  count  = 2
  source = "./outer"
  name   = "n${count.index}"
}

resource "aws_sns_topic" "echo" {
  name = module.outer[1].inner_name
}
"#,
    );
    write(
        &root,
        "outer/main.tf",
        r#"
variable "name" {}
module "inner" {
  source = "../inner"
  name   = "${var.name}-inner"
}
output "inner_name" {
  value = module.inner.topic_name
}
"#,
    );
    write(
        &root,
        "inner/main.tf",
        r#"
variable "name" {}
resource "aws_sns_topic" "t" {
  name = var.name
}
output "topic_name" {
  value = aws_sns_topic.t.name
}
"#,
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    assert_eq!(
        l.roots,
        vec!["."],
        "outer and inner are called modules, not roots"
    );
    let t = instance(&l, "module.outer[1].module.inner.aws_sns_topic.t");
    assert_eq!(t.get("name"), Some(&Value::str("n1-inner")));
    assert_eq!(t.module, "module.outer[1].module.inner");
    let e = instance(&l, "aws_sns_topic.echo");
    assert_eq!(e.get("name"), Some(&Value::str("n1-inner")));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn unknown_count_keeps_one_instance() {
    let root = temp("unknowncount");
    write(
        &root,
        "main.tf",
        r#"
variable "n" { type = number }
resource "aws_cloudwatch_log_metric_filter" "f" {
  count   = var.n
  name    = "f-${count.index}"
  pattern = "{ $.eventName = ConsoleLogin }"
}
"#,
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    let f = instance(&l, "aws_cloudwatch_log_metric_filter.f[?]");
    assert_eq!(
        f.get("pattern"),
        Some(&Value::str("{ $.eventName = ConsoleLogin }"))
    );
    assert!(matches!(f.get("name"), Some(Value::Unknown(_))));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn function_results_remember_references() {
    let (v, _) = eval_local(
        "resource \"aws_sns_topic\" \"t\" {}\nlocals {\n  x = jsonencode({ Resource = aws_sns_topic.t.arn })\n}",
    );
    let Value::Unknown(u) = v else {
        panic!("{v:?}")
    };
    assert_eq!(u.derived_from[0].to_string(), "aws_sns_topic.t.arn");
}

#[test]
fn overlapping_paths_load_each_file_once() {
    let root = temp("overlap");
    write(
        &root,
        "a/main.tf",
        "resource \"aws_sns_topic\" \"t\" { name = \"t\" }\n",
    );
    let l = load(&[root.clone(), root.join("a")], &LoadOptions::default());
    assert_eq!(l.instances.len(), 1, "{:?}", l.diagnostics);
    let _ = std::fs::remove_dir_all(&root);
}

/// Roots are evaluated while the rest of the tree is still being parsed, and module
/// directories are found by a byte scan first; neither may change what is loaded. A source
/// the scan cannot see (`"\u002e./mod2"`), a scan false positive (a `source = "./x"` that is
/// a comment, so `x` is a root), a module called by many roots, and a broken module file
/// reported once.
#[test]
fn streaming_loader_finds_every_root_and_module() {
    let root = temp("streaming");
    let topic =
        |name: &str| format!("resource \"aws_sns_topic\" \"t\" {{\n  name = \"{name}\"\n}}\n");
    write(
        &root,
        "mod/main.tf",
        &format!("variable \"n\" {{}}\n{}", topic("${var.n}")),
    );
    write(&root, "mod/broken.tf", "resource \"x\" {\n");
    for i in 0..6 {
        write(
            &root,
            &format!("live/r{i}/main.tf"),
            &format!("module \"m\" {{\n  source = \"../../mod\"\n  n = \"r{i}\"\n}}\n"),
        );
    }
    write(
        &root,
        "hidden/main.tf",
        "module \"m\" {\n  source = \"\\u002e./mod2\"\n}\n",
    );
    write(&root, "mod2/main.tf", &topic("only-through-hidden"));
    write(
        &root,
        "x/main.tf",
        &format!("# source = \"../x\"\n{}", topic("x-is-a-root")),
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    let mut names: Vec<String> = l
        .instances
        .iter()
        .map(|i| format!("{} {} {}", i.root, i.address, json(i.get("name").unwrap())))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "hidden module.m.aws_sns_topic.t \"only-through-hidden\"",
            "live/r0 module.m.aws_sns_topic.t \"r0\"",
            "live/r1 module.m.aws_sns_topic.t \"r1\"",
            "live/r2 module.m.aws_sns_topic.t \"r2\"",
            "live/r3 module.m.aws_sns_topic.t \"r3\"",
            "live/r4 module.m.aws_sns_topic.t \"r4\"",
            "live/r5 module.m.aws_sns_topic.t \"r5\"",
            "x aws_sns_topic.t \"x-is-a-root\"",
        ]
    );
    assert_eq!(
        l.roots,
        [
            "hidden", "live/r0", "live/r1", "live/r2", "live/r3", "live/r4", "live/r5", "x"
        ]
    );
    let broken: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| {
            d.location
                .as_ref()
                .is_some_and(|at| at.file == "mod/broken.tf")
        })
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", l.diagnostics);
    let _ = std::fs::remove_dir_all(&root);
}

/// Override files merge as Terraform's do: after every other file, in name order (so a
/// later override wins), attribute by attribute; nested blocks (`dynamic "x"` counting as
/// `x`) replace all blocks of their type; locals, variables and module inputs one by one.
#[test]
fn override_files_merge_like_terraform() {
    let root = temp("overrides");
    write(
        &root,
        "main.tf",
        r#"
variable "env" {
  default = "dev"
}
locals {
  name  = "base"
  kept  = "kept"
}
resource "aws_cloudtrail" "t" {
  name           = local.name
  s3_bucket_name = "bucket-${var.env}"
  event_selector {
    read_write_type = "ReadOnly"
  }
  dynamic "event_selector" {
    for_each = [1]
    content {
      read_write_type = "WriteOnly"
    }
  }
}
module "m" {
  source = "./m"
  topic  = "from-main"
}
"#,
    );
    write(
        &root,
        "m/main.tf",
        "variable \"topic\" {}\nresource \"aws_sns_topic\" \"t\" {\n  name = var.topic\n}\n",
    );
    write(
        &root,
        "a_override.tf",
        "locals {\n  name = \"from-a\"\n}\nvariable \"env\" {\n  default = \"prod\"\n}\n",
    );
    write(
        &root,
        "b_override.tf",
        r#"
locals {
  name = "from-b"
}
resource "aws_cloudtrail" "t" {
  event_selector {
    read_write_type = "All"
  }
}
module "m" {
  topic = "from-override"
}
"#,
    );
    write(
        &root,
        "override.tf.json",
        r#"{"resource": {"aws_cloudtrail": {"t": {"is_multi_region_trail": true}}}}"#,
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    let trail = instance(&l, "aws_cloudtrail.t");
    assert_eq!(json(trail.get("name").unwrap()), "\"from-b\"");
    assert_eq!(
        json(trail.get("s3_bucket_name").unwrap()),
        "\"bucket-prod\""
    );
    assert_eq!(json(trail.get("is_multi_region_trail").unwrap()), "true");
    assert_eq!(
        json(trail.get("event_selector").unwrap()),
        r#"[{"read_write_type":"All"}]"#
    );
    let at = &trail.attribute_spans["name"];
    assert_eq!(
        l.sources.location(*at).file,
        "main.tf",
        "the reference to local.name is in main.tf"
    );
    let topic = instance(&l, "module.m.aws_sns_topic.t");
    assert_eq!(json(topic.get("name").unwrap()), "\"from-override\"");
    let selector = &trail.attribute_spans["event_selector[0].read_write_type"];
    assert_eq!(l.sources.location(*selector).file, "b_override.tf");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let _ = std::fs::remove_dir_all(&root);
}

/// What Terraform rejects in override files is reported where it is: a block with nothing to
/// override, and `depends_on` in a resource override (the rest of the override still merges).
#[test]
fn override_errors_are_reported() {
    let root = temp("override-errors");
    write(
        &root,
        "main.tf",
        "resource \"aws_sns_topic\" \"t\" {\n  name = \"base\"\n}\n",
    );
    write(
        &root,
        "override.tf",
        "resource \"aws_sns_topic\" \"t\" {\n  name       = \"over\"\n  depends_on = []\n}\nlocals {\n  nothing = 1\n}\n",
    );
    let l = load(std::slice::from_ref(&root), &LoadOptions::default());
    assert_eq!(
        json(instance(&l, "aws_sns_topic.t").get("name").unwrap()),
        "\"over\""
    );
    let errors: Vec<(usize, &str)> = l
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.location.as_ref()?.line, d.message.as_str())))
        .collect();
    assert!(
        errors
            .iter()
            .any(|(line, m)| *line == 3 && m.contains("depends_on")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(line, m)| *line == 6 && m.contains("local.nothing")),
        "{errors:?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// The diagnostics of loading `files` (name, text) with `vars`, as `file:line: message`.
fn diagnostics_of(name: &str, files: &[(&str, &str)], vars: Vec<VarArg>) -> (Vec<String>, Loaded) {
    let d = temp(name);
    for (f, text) in files {
        write(&d, f, text);
    }
    let l = load(
        std::slice::from_ref(&d),
        &LoadOptions {
            vars,
            ..LoadOptions::default()
        },
    );
    let _ = std::fs::remove_dir_all(&d);
    let shown = l
        .diagnostics
        .iter()
        .map(|x| {
            let at = x
                .location
                .as_ref()
                .map_or("-".to_string(), |l| format!("{}:{}", l.file, l.line));
            format!("{at}: {}", x.message)
        })
        .collect();
    (shown, l)
}

fn has(diags: &[String], prefix: &str, needle: &str) -> bool {
    diags
        .iter()
        .any(|d| d.starts_with(prefix) && d.contains(needle))
}

/// Terraform's numbers are arbitrary precision: `1e400` and 400-digit literals parse; one
/// too large for a count is an error at the count, not a syntax error of the file.
#[test]
fn number_literals_beyond_f64_parse() {
    let big = format!("1{}", "0".repeat(400));
    let tf = format!(
        "locals {{\n  big = {big}\n  s   = \"x 1e400 y\"\n}}\nresource \"aws_sns_topic\" \"counted\" {{\n  count = 1e400\n}}\nresource \"aws_sns_topic\" \"t\" {{\n  name = local.big > 5\n  display_name = local.s\n}}\n"
    );
    let (diags, l) = diagnostics_of("huge-numbers", &[("main.tf", &tf)], vec![]);
    assert!(has(&diags, "main.tf:6", "not a valid count"), "{diags:?}");
    assert!(!diags.iter().any(|d| d.contains("expected")), "{diags:?}");
    let t = instance(&l, "aws_sns_topic.t");
    assert_eq!(json(t.get("name").unwrap()), "true");
    assert_eq!(json(t.get("display_name").unwrap()), "\"x 1e400 y\"");
}

/// `--var 'l=[1,2'` for a list variable is an error naming it; a wrong-typed `.tfvars`
/// value is an error at its line; a value for an undeclared variable is a warning at the
/// `.tfvars` entry that gave it.
#[test]
fn variable_values_are_checked_against_their_type() {
    let tf = "variable \"l\" {\n  type = list(string)\n}\nvariable \"n\" {\n  type = number\n}\nvariable \"o\" {\n  type = object({ name = string })\n}\nresource \"aws_sns_topic\" \"t\" {\n  name = var.n\n  tags = { l = var.l, o = var.o }\n}\n";
    let (diags, _) = diagnostics_of(
        "var-types",
        &[
            ("main.tf", tf),
            ("a.auto.tfvars", "n = \"twelve\"\n"),
            ("b.auto.tfvars", "o = { other = 1 }\nextra = 1\n"),
        ],
        vec![VarArg::Value("l".into(), "[1,2".into())],
    );
    assert!(
        has(&diags, "main.tf:1", "variable \"l\" given by --var"),
        "{diags:?}"
    );
    assert!(has(&diags, "a.auto.tfvars:1", "not a number"), "{diags:?}");
    assert!(
        has(&diags, "b.auto.tfvars:1", "attribute \"name\" is required"),
        "{diags:?}"
    );
    assert!(
        has(
            &diags,
            "b.auto.tfvars:2",
            "\"extra\", which is not declared"
        ),
        "{diags:?}"
    );
}

/// Chains longer than the reference depth bound evaluate when each link comes before the
/// next in dependency order, whatever the order of the names.
#[test]
fn long_reference_chains_evaluate_in_dependency_order() {
    let mut tf = String::from("resource \"aws_sns_topic\" \"r0\" {\n  name = \"t0\"\n}\n");
    for i in 1..2000 {
        let prev = i - 1;
        tf.push_str(&format!(
            "resource \"aws_sns_topic\" \"r{i}\" {{\n  name = aws_sns_topic.r{prev}.name\n}}\n"
        ));
    }
    let (diags, l) = diagnostics_of("chain-order", &[("main.tf", &tf)], vec![]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        json(instance(&l, "aws_sns_topic.r1999").get("name").unwrap()),
        "\"t0\""
    );
}
