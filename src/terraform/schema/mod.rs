//! The AWS provider's argument schema for the resource types trailwatch reads, as data
//! (`aws.toml`, transcribed from the provider's source with the file and commit of each
//! type). The rules stage checks configurations against it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The whole data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub provider: Provider,
    pub resource: BTreeMap<String, Resource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub source: String,
    pub version: String,
    /// The provider version since which every resource accepts `region`.
    pub region_since: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// `path@commit` in the provider's repository.
    pub source: String,
    /// What the provider sets `id` to: `name`, `arn` or another attribute.
    pub id: String,
    /// The operations a `timeouts` block may name; none means no `timeouts` block.
    #[serde(default)]
    pub timeouts: Vec<String>,
    /// A CustomizeDiff rule: when `when` is set, exactly one of `one_of` must be.
    pub exactly_one_of_when: Option<ExactlyOneOfWhen>,
    #[serde(flatten)]
    pub body: Block,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExactlyOneOfWhen {
    pub when: String,
    pub one_of: Vec<String>,
}

/// A resource body or a nested block type.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    #[serde(default)]
    pub min_items: usize,
    pub max_items: Option<usize>,
    #[serde(default)]
    pub conflicts: Vec<String>,
    #[serde(default)]
    pub arguments: BTreeMap<String, Argument>,
    #[serde(default)]
    pub blocks: BTreeMap<String, Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    String,
    Number,
    Bool,
    List,
    Set,
    Map,
}

impl Type {
    /// How Terraform names the type in its own messages.
    pub fn terraform_name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Number => "number",
            Type::Bool => "bool",
            Type::List => "list of string",
            Type::Set => "set of string",
            Type::Map => "map of string",
        }
    }
}

/// What an argument names: the AWS API takes a name or an ARN there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wants {
    Name,
    Arn,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Argument {
    #[serde(rename = "type")]
    pub ty: Type,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub computed: bool,
    #[serde(default)]
    pub one_of: Vec<String>,
    #[serde(default)]
    pub ignore_case: bool,
    pub or_pattern: Option<String>,
    pub pattern: Option<String>,
    pub pattern_means: Option<String>,
    pub len: Option<[usize; 2]>,
    pub at_least: Option<f64>,
    pub between: Option<[f64; 2]>,
    #[serde(default)]
    pub int_in: Vec<i64>,
    pub or_multiple_of: Option<i64>,
    #[serde(default)]
    pub arn: bool,
    pub wants: Option<Wants>,
    pub max_items: Option<usize>,
    #[serde(default)]
    pub conflicts: Vec<String>,
}

const DATA: &str = include_str!("aws.toml");

/// The schema data, parsed once. `Err` is a defect of trailwatch's own data (a test
/// parses it, so a release never carries one).
pub fn aws() -> Result<&'static Schema, &'static str> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            toml::from_str(DATA).map_err(|e| format!("the provider schema data is invalid: {e}"))
        })
        .as_ref()
        .map_err(String::as_str)
}

/// A compiled regex of the data, cached: the data's patterns are few and fixed.
pub fn regex(pattern: &str) -> Option<&'static regex::Regex> {
    static CACHE: OnceLock<std::sync::Mutex<BTreeMap<String, &'static regex::Regex>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().ok()?;
    if let Some(r) = map.get(pattern) {
        return Some(r);
    }
    let compiled: &'static regex::Regex = Box::leak(Box::new(regex::Regex::new(pattern).ok()?));
    map.insert(pattern.to_string(), compiled);
    Some(compiled)
}

/// The resource type of an address (`module.m["k"].aws_sns_topic.x` → `aws_sns_topic`).
pub fn address_type(address: &str) -> Option<&str> {
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        // The call's name, then its instance key (which may hold dots), then a dot.
        let name_end = after.find(['.', '['])?;
        rest = if after[name_end..].starts_with('[') {
            &after[after.find("].")? + 2..]
        } else {
            &after[name_end + 1..]
        };
    }
    let t = rest.split('.').next()?;
    (t != "data" && !t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_and_every_pattern_compiles() {
        let schema = aws().expect("aws.toml parses");
        assert_eq!(schema.resource.len(), 9);
        fn walk(b: &Block) {
            for a in b.arguments.values() {
                for p in a.pattern.iter().chain(&a.or_pattern) {
                    assert!(regex(p).is_some(), "{p} compiles");
                }
                assert_eq!(a.pattern.is_some(), a.pattern_means.is_some());
            }
            b.blocks.values().for_each(walk);
        }
        for r in schema.resource.values() {
            walk(&r.body);
            assert!(r.source.contains('@'), "{} names its commit", r.source);
        }
    }

    #[test]
    fn address_types() {
        assert_eq!(
            address_type("module.a.module.b[\"k\"].aws_sns_topic.x[0]"),
            Some("aws_sns_topic")
        );
        assert_eq!(
            address_type("module.a[\"x.y\"].aws_sns_topic.x"),
            Some("aws_sns_topic")
        );
        assert_eq!(address_type("aws_kms_key.k"), Some("aws_kms_key"));
        assert_eq!(address_type("data.aws_kms_key.k"), None);
    }
}
