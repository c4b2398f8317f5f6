//! Benchmark of plan loading (`terraform show -json` output) at scale: a generated plan
//! of 100,000 resource instances (a quarter of them metric filters, the rest buckets,
//! roles and topics, each with its `resource_changes` entry), loaded with
//! `terraform::plan::load_plan` and checked end to end with `check::check`.
//!
//!     cargo bench --bench plan
//!
//! The plan is written once under `target/bench-corpus/plan-100000.json`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use trailwatch::rules::check::CheckOptions;
use trailwatch::terraform::LoadOptions;
use trailwatch::terraform::plan::load_plan;

const RESOURCES: usize = 100_000;

/// Writes (once) the plan of `n` resources and returns its path.
fn plan(n: usize) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(format!("plan-{n}.json"));
    if path.exists() {
        return path;
    }
    let kinds = [
        "aws_s3_bucket",
        "aws_iam_role",
        "aws_sns_topic",
        "aws_cloudwatch_log_metric_filter",
    ];
    let mut resources = Vec::with_capacity(n);
    let mut changes = Vec::with_capacity(n);
    for i in 0..n {
        let rtype = kinds[i % kinds.len()];
        let address = format!("{rtype}.r{i}");
        let values = if rtype == "aws_cloudwatch_log_metric_filter" {
            json!({
                "name": format!("f{i}"),
                "log_group_name": "trail-logs",
                "pattern": "{ $.eventName = \"DeleteTrail\" }",
                "metric_transformation": [{"name": format!("m{i}"), "namespace": "CIS", "value": "1"}],
            })
        } else {
            json!({"name": format!("n{i}"), "tags": {"team": "x", "index": i.to_string()}, "arn": null})
        };
        resources.push(json!({
            "address": address, "mode": "managed", "type": rtype, "name": format!("r{i}"),
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": values, "sensitive_values": {},
        }));
        changes.push(json!({
            "address": address, "mode": "managed", "type": rtype, "name": format!("r{i}"),
            "change": {"actions": ["create"], "before": null, "after": values,
                       "after_unknown": {"arn": true, "id": true}},
        }));
    }
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": []}},
    });
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create target/bench-corpus");
    }
    std::fs::write(&path, doc.to_string()).expect("write the plan");
    path
}

fn plans(c: &mut Criterion) {
    let path = plan(RESOURCES);
    let controls = trailwatch::rules::controls().expect("rule data");
    let load = LoadOptions::default();
    let options = CheckOptions {
        selected: controls.iter().map(|c| c.id.clone()).collect(),
        ..CheckOptions::default()
    };
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(RESOURCES as u64));
    group.bench_function(format!("load/{RESOURCES}-resources"), |b| {
        b.iter(|| black_box(load_plan(&path, None, &load)))
    });
    group.bench_function(format!("check/{RESOURCES}-resources"), |b| {
        b.iter(|| {
            black_box(trailwatch::check::check(
                &[],
                Some(&path),
                &load,
                &options,
                &controls,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, plans);
criterion_main!(benches);
