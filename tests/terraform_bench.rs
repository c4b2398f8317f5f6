//! Load time of a generated 5,000-file configuration tree. Not a timed test: run with
//! `cargo test --release --test terraform_bench -- --ignored --nocapture`.

use std::path::Path;
use std::time::Instant;

use trailwatch::terraform::{LoadOptions, load};

const ROOTS: usize = 250;
const FILES_PER_ROOT: usize = 19;

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create dir");
    }
    std::fs::write(path, text).expect("write file");
}

/// 250 root modules of 19 files each, plus one shared local module per root: 5,000 files.
fn generate(base: &Path) -> usize {
    let mut files = 0;
    for r in 0..ROOTS {
        let root = base.join(format!("env-{r:03}"));
        write(
            &root.join("variables.tf"),
            "variable \"prefix\" {\n  default = \"cis\"\n}\n\nvariable \"events\" {\n  default = [\"CreateTrail\", \"StopLogging\", \"DeleteTrail\"]\n}\n",
        );
        files += 1;
        for f in 1..FILES_PER_ROOT - 1 {
            let text = format!(
                r#"locals {{
  controls_{f} = {{
    a = {{ metric = "M{f}a", pattern = "{{ ${{join(" || ", [for e in var.events : "($.eventName = ${{e}})"])}} }}" }}
    b = {{ metric = "M{f}b", pattern = <<-EOT
      {{ $.userIdentity.type = "Root" }}
    EOT
    }}
  }}
}}

resource "aws_cloudwatch_log_group" "g{f}" {{
  name = "${{var.prefix}}-{r}-{f}"
}}

resource "aws_cloudwatch_log_metric_filter" "f{f}" {{
  for_each       = local.controls_{f}
  name           = each.value.metric
  pattern        = each.value.pattern
  log_group_name = aws_cloudwatch_log_group.g{f}.name

  metric_transformation {{
    name      = each.value.metric
    namespace = upper(var.prefix)
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "a{f}" {{
  for_each            = aws_cloudwatch_log_metric_filter.f{f}
  alarm_name          = "${{var.prefix}}-${{each.key}}"
  metric_name         = each.value.metric_transformation[0].name
  namespace           = each.value.metric_transformation[0].namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [module.topic.arn]
}}
"#
            );
            write(&root.join(format!("file{f:02}.tf")), &text);
            files += 1;
        }
        write(
            &root.join("topic.tf"),
            "module \"topic\" {\n  source = \"./modules/topic\"\n  name   = var.prefix\n}\n",
        );
        write(
            &root.join("modules/topic/main.tf"),
            "variable \"name\" {}\nresource \"aws_sns_topic\" \"t\" {\n  name = \"${var.name}-alarms\"\n}\noutput \"arn\" {\n  value = aws_sns_topic.t.arn\n}\n",
        );
        files += 2;
    }
    files
}

#[test]
#[ignore = "benchmark; run with --ignored --release"]
fn load_5000_files() {
    let base = std::env::temp_dir().join(format!("trailwatch-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let files = generate(&base);
    assert_eq!(files, 5_000);
    let start = Instant::now();
    let loaded = load(std::slice::from_ref(&base), &LoadOptions::default());
    let elapsed = start.elapsed();
    println!(
        "loaded {files} files, {} root modules, {} instances, {} diagnostics in {:.2?} ({} threads)",
        loaded.roots.len(),
        loaded.instances.len(),
        loaded.diagnostics.len(),
        elapsed,
        rayon::current_num_threads(),
    );
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        &loaded.diagnostics[..1]
    );
    assert_eq!(loaded.roots.len(), ROOTS);
    let _ = std::fs::remove_dir_all(&base);
}
