#!/usr/bin/env python3
"""Writes a synthetic Terraform monorepo for trailwatch's benchmarks.

    python3 benches/gen_corpus.py --roots 1000 --seed 6 --out /tmp/corpus-1000

The tree looks like a real infrastructure monorepo:

    modules/{cis-alarms,vpc,s3-bucket}/       shared local modules (called with ../../..)
    live/<account>/<region>/<stack>/          one root module per stack

About 45 % of the roots are security baselines (CloudTrail -> log group -> metric filters
-> alarms -> SNS), written in one of the styles real configurations use: literal
resources, heredoc patterns, `for_each` over a locals map, `count` toggles, a per-root
local module, the shared module with `for_each`, patterns from `.tfvars`, `join` over
event lists, and `.tf.json`. Each control is compliant or broken in one of the ways seen
in the wild (typo, quoted heredoc without its brace, `&&` for `||`, threshold 5, no alarm
action, namespace mismatch, missing control); a few trails are single-region and a few
topics have no subscription. The other roots are application stacks (VPC, subnets,
security groups, IAM roles and policies, S3 buckets, application log groups with their
own non-CIS metric filters), so monitoring resources are a minority of the resources.

Deterministic: the same --roots and --seed always write the same bytes. About 10 files per
root (N=1000 -> ~10,000 files). Needs Python >= 3.11 (tomllib) and reads rules/*.toml for
the recommended patterns.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

ACCOUNTS = ["security", "shared-services", "payments", "identity", "data-platform",
            "marketing", "logistics", "search", "ml-training", "edge"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
STACK_WORDS = ["api", "web", "worker", "batch", "ingest", "etl", "cache", "queue",
               "gateway", "auth", "billing", "ledger", "reports", "search", "feeds",
               "media", "notify", "audit", "catalog", "orders"]
ENVS = ["dev", "staging", "prod", "sandbox", "qa"]


def load_controls() -> list[tuple[str, str]]:
    controls = []
    for path in sorted((REPO / "rules").glob("*.toml")):
        with path.open("rb") as f:
            data = tomllib.load(f)
        controls.append((data["id"], data["pattern"]))
    return controls


def hcl_str(s: str) -> str:
    """A double-quoted HCL string literal."""
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{")
    return '"' + out + '"'


def ident(control_id: str) -> str:
    return control_id.replace("-", "_")


def event_names(pattern: str) -> list[str] | None:
    """The event names of a pure `($.eventName = X) || ...` pattern, else None."""
    body = pattern.strip()[1:-1]
    parts = [p.strip() for p in body.split("||")]
    names = []
    for p in parts:
        m = re.fullmatch(r'\(\s*\$\.eventName\s*=\s*"?([A-Za-z]+)"?\s*\)', p)
        if not m:
            return None
        names.append(m.group(1))
    return names


# ---------------------------------------------------------------------------------------
# Defects


def break_pattern(rng: random.Random, pattern: str) -> tuple[str, str]:
    """Returns (kind, broken pattern)."""
    kind = rng.choice(["typo", "quoted", "and-for-or", "drop-brace"])
    if kind == "typo":
        m = list(re.finditer(r"(eventName\s*=\s*\"?)([A-Za-z]{6,})", pattern))
        if m:
            hit = rng.choice(m)
            name = hit.group(2)
            i = rng.randrange(2, len(name) - 1)
            bad = name[:i] + name[i + 1:]
            return kind, pattern[:hit.start(2)] + bad + pattern[hit.end(2):]
        kind = "quoted"
    if kind == "and-for-or" and "||" in pattern:
        return kind, pattern.replace("||", "&&")
    if kind == "drop-brace":
        return kind, pattern.strip()[1:]
    # Quoted and brace-less, like the published CIS 4.4 remediation.
    return "quoted", '"' + pattern.strip()[1:] + '"'


class Root:
    """One root module's files."""

    def __init__(self, rng: random.Random, idx: int, rel: str, depth: int):
        self.rng = rng
        self.idx = idx
        self.rel = rel
        self.up = "/".join([".."] * depth)  # from the root back to the corpus top
        self.files: dict[str, str] = {}
        self.env = rng.choice(ENVS)
        self.name = f"{rng.choice(STACK_WORDS)}-{self.env}-{idx:04d}"
        self.account = f"{rng.randrange(10**11, 10**12)}"

    def add(self, name: str, text: str) -> None:
        self.files[name] = text


# ---------------------------------------------------------------------------------------
# Files shared by every root


def versions_tf(r: Root) -> str:
    return f'''terraform {{
  required_version = ">= 1.5"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.{r.rng.randrange(0, 80)}"
    }}
  }}

  backend "s3" {{
    bucket         = "tfstate-{r.account}"
    key            = "{r.rel}/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = local.tags
  }}
}}
'''


def variables_tf(r: Root, extra: str = "") -> str:
    return f'''variable "region" {{
  description = "AWS region of this stack."
  type        = string
  default     = "us-east-1"
}}

variable "environment" {{
  description = "Deployment environment."
  type        = string
}}

variable "owner" {{
  description = "Team that owns the stack."
  type        = string
  default     = "platform"
}}

variable "vpc_cidr" {{
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}}

variable "enable_nat" {{
  description = "Create NAT gateways for the private subnets."
  type        = bool
  default     = false
}}

variable "buckets" {{
  description = "Extra S3 buckets, by short name."
  type = map(object({{
    versioning = optional(bool, true)
    expire_days = optional(number, 365)
  }}))
  default = {{}}
}}

locals {{
  name = "{r.name}"
  tags = {{
    Environment = var.environment
    Owner       = var.owner
    Stack       = local.name
    ManagedBy   = "terraform"
  }}
}}
{extra}'''


def tfvars(r: Root, extra: str = "") -> str:
    n = r.rng.randrange(1, 4)
    buckets = "\n".join(
        f'  {w} = {{ versioning = {str(r.rng.random() < 0.7).lower()}, expire_days = {r.rng.choice([30, 90, 365, 730])} }}'
        for w in r.rng.sample(["artifacts", "exports", "uploads", "backups", "reports", "assets"], n)
    )
    return f'''# Values for {r.name}.
environment = "{r.env}"
owner       = "{r.rng.choice(["platform", "payments", "identity", "data", "sre", "security"])}"
region      = "{r.rng.choice(REGIONS)}"
vpc_cidr    = "10.{r.rng.randrange(0, 255)}.0.0/16"
enable_nat  = {str(r.env == "prod").lower()}

buckets = {{
{buckets}
}}
{extra}'''


def network_tf(r: Root) -> str:
    azs = r.rng.sample(["a", "b", "c", "d", "e", "f"], r.rng.randrange(2, 5))
    subnets = "\n".join(f'    "{az}" = {{ public = "10.0.{i}.0/24", private = "10.0.{i + 100}.0/24" }}'
                        for i, az in enumerate(azs))
    ports = r.rng.sample([80, 443, 8080, 5432, 6379, 9200, 22], 3)
    port_list = ", ".join(str(p) for p in ports)
    if r.rng.random() < 0.3:
        vpc = f'''module "vpc" {{
  source = "{r.up}/modules/vpc"

  name       = local.name
  cidr_block = var.vpc_cidr
  tags       = local.tags
}}

locals {{
  vpc_id = module.vpc.vpc_id
}}
'''
    else:
        vpc = '''resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = local.name })
}

locals {
  vpc_id = aws_vpc.main.id
}
'''
    return f'''{vpc}
locals {{
  subnets = {{
{subnets}
  }}
  ingress_ports = [{port_list}]
}}

resource "aws_subnet" "public" {{
  for_each = local.subnets

  vpc_id                  = local.vpc_id
  cidr_block              = each.value.public
  availability_zone       = "${{var.region}}${{each.key}}"
  map_public_ip_on_launch = true

  tags = merge(local.tags, {{ Name = "${{local.name}}-public-${{each.key}}", Tier = "public" }})
}}

resource "aws_subnet" "private" {{
  for_each = local.subnets

  vpc_id            = local.vpc_id
  cidr_block        = each.value.private
  availability_zone = "${{var.region}}${{each.key}}"

  tags = merge(local.tags, {{ Name = "${{local.name}}-private-${{each.key}}", Tier = "private" }})
}}

resource "aws_internet_gateway" "main" {{
  vpc_id = local.vpc_id
  tags   = local.tags
}}

resource "aws_eip" "nat" {{
  count  = var.enable_nat ? 1 : 0
  domain = "vpc"
}}

resource "aws_nat_gateway" "main" {{
  count = var.enable_nat ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = values(aws_subnet.public)[0].id
  tags          = local.tags
}}

resource "aws_route_table" "public" {{
  vpc_id = local.vpc_id

  route {{
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }}

  tags = local.tags
}}

resource "aws_route_table_association" "public" {{
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}}

resource "aws_security_group" "app" {{
  name        = "${{local.name}}-app"
  description = "Application traffic for ${{local.name}}"
  vpc_id      = local.vpc_id

  dynamic "ingress" {{
    for_each = local.ingress_ports
    content {{
      description = "port ${{ingress.value}}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [var.vpc_cidr]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = local.tags
}}

resource "aws_network_acl" "private" {{
  vpc_id     = local.vpc_id
  subnet_ids = [for s in aws_subnet.private : s.id]

  ingress {{
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = var.vpc_cidr
    from_port  = 0
    to_port    = 65535
  }}

  tags = local.tags
}}
'''


def iam_tf(r: Root) -> str:
    roles = r.rng.sample(["app", "deploy", "reader", "lambda", "ecs-task", "ci"], r.rng.randrange(2, 4))
    blocks = []
    for role in roles:
        rid = ident(role)
        svc = r.rng.choice(["ec2", "lambda", "ecs-tasks", "codebuild"])
        actions = r.rng.sample(["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "sqs:ReceiveMessage",
                                "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt",
                                "logs:PutLogEvents", "secretsmanager:GetSecretValue"], 3)
        act = ", ".join(f'"{a}"' for a in actions)
        blocks.append(f'''resource "aws_iam_role" "{rid}" {{
  name = "${{local.name}}-{role}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "{svc}.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
  tags = local.tags
}}

resource "aws_iam_role_policy" "{rid}" {{
  name = "{role}-inline"
  role = aws_iam_role.{rid}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid      = "App"
        Effect   = "Allow"
        Action   = [{act}]
        Resource = "*"
      }},
    ]
  }})
}}

resource "aws_iam_role_policy_attachment" "{rid}_ssm" {{
  role       = aws_iam_role.{rid}.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}}
''')
    return "\n".join(blocks)


def s3_tf(r: Root) -> str:
    shared = r.rng.random() < 0.25
    if shared:
        head = f'''module "bucket" {{
  source   = "{r.up}/modules/s3-bucket"
  for_each = var.buckets

  name        = "${{local.name}}-${{each.key}}"
  versioning  = each.value.versioning
  expire_days = each.value.expire_days
  tags        = local.tags
}}
'''
    else:
        head = '''resource "aws_s3_bucket" "extra" {
  for_each = var.buckets

  bucket = "${local.name}-${each.key}"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "extra" {
  for_each = var.buckets

  bucket = aws_s3_bucket.extra[each.key].id
  versioning_configuration {
    status = each.value.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "extra" {
  for_each = var.buckets

  bucket = aws_s3_bucket.extra[each.key].id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = each.value.expire_days
    }
  }
}
'''
    return head + f'''
resource "aws_s3_bucket" "logs" {{
  bucket = "${{local.name}}-access-logs-{r.account}"
  tags   = local.tags
}}

resource "aws_s3_bucket_public_access_block" "logs" {{
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {{
  bucket = aws_s3_bucket.logs.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "aws:kms"
    }}
  }}
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${{aws_s3_bucket.logs.arn}}", "${{aws_s3_bucket.logs.arn}}/*"]
      Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
    }}]
  }})
}}
'''


def compute_tf(r: Root) -> str:
    instance = r.rng.choice(["t3.small", "t3.medium", "m6i.large", "c6i.xlarge"])
    return f'''resource "aws_launch_template" "app" {{
  name_prefix   = "${{local.name}}-"
  image_id      = "ami-0{r.rng.randrange(16**15):015x}"
  instance_type = "{instance}"

  iam_instance_profile {{
    name = "${{local.name}}-profile"
  }}

  vpc_security_group_ids = [aws_security_group.app.id]

  metadata_options {{
    http_tokens = "required"
  }}

  tag_specifications {{
    resource_type = "instance"
    tags          = local.tags
  }}
}}

resource "aws_autoscaling_group" "app" {{
  name                = local.name
  min_size            = {r.rng.randrange(1, 3)}
  max_size            = {r.rng.randrange(3, 10)}
  vpc_zone_identifier = [for s in aws_subnet.private : s.id]

  launch_template {{
    id      = aws_launch_template.app.id
    version = "$Latest"
  }}

  dynamic "tag" {{
    for_each = local.tags
    content {{
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }}
  }}
}}

resource "aws_lb" "app" {{
  count              = var.environment == "prod" ? 1 : 0
  name               = substr(local.name, 0, 32)
  load_balancer_type = "application"
  subnets            = [for s in aws_subnet.public : s.id]
  security_groups    = [aws_security_group.app.id]
}}
'''


def outputs_tf(r: Root, extra: str = "") -> str:
    return f'''output "security_group_id" {{
  value = aws_security_group.app.id
}}

output "private_subnet_ids" {{
  value = [for s in aws_subnet.private : s.id]
}}

output "log_bucket" {{
  value = aws_s3_bucket.logs.bucket
}}
{extra}'''


# ---------------------------------------------------------------------------------------
# Application roots: no CloudTrail; their own log groups and non-CIS metric filters.


def app_logs_tf(r: Root) -> str:
    services = r.rng.sample(STACK_WORDS, r.rng.randrange(1, 4))
    svc_map = "\n".join(f'    {s} = {{ retention = {r.rng.choice([7, 14, 30, 90])}, threshold = {r.rng.randrange(1, 50)} }}'
                        for s in services)
    return f'''locals {{
  services = {{
{svc_map}
  }}
}}

resource "aws_cloudwatch_log_group" "service" {{
  for_each          = local.services
  name              = "/app/${{local.name}}/${{each.key}}"
  retention_in_days = each.value.retention
  tags              = local.tags
}}

resource "aws_cloudwatch_log_metric_filter" "errors" {{
  for_each       = local.services
  name           = "${{each.key}}-errors"
  log_group_name = aws_cloudwatch_log_group.service[each.key].name
  pattern        = "?ERROR ?Exception ?FATAL"

  metric_transformation {{
    name      = "${{each.key}}-errors"
    namespace = "App/${{local.name}}"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_log_metric_filter" "latency" {{
  for_each       = local.services
  name           = "${{each.key}}-slow-requests"
  log_group_name = aws_cloudwatch_log_group.service[each.key].name
  pattern        = "[ip, id, user, timestamp, request, status_code = 5*, size, latency > 1000]"

  metric_transformation {{
    name      = "${{each.key}}-slow-requests"
    namespace = "App/${{local.name}}"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "errors" {{
  for_each            = local.services
  alarm_name          = "${{local.name}}-${{each.key}}-errors"
  namespace           = "App/${{local.name}}"
  metric_name         = aws_cloudwatch_log_metric_filter.errors[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["arn:aws:sns:us-east-1:{r.account}:oncall-pager"]
}}
'''


# ---------------------------------------------------------------------------------------
# Baseline roots: CloudTrail, the log group, a topic, and the CIS controls.


def cloudtrail_tf(r: Root, single_region: bool) -> str:
    return f'''resource "aws_cloudwatch_log_group" "trail" {{
  name              = "aws-cloudtrail-logs-{r.account}"
  retention_in_days = 365
  tags              = local.tags
}}

resource "aws_iam_role" "cloudtrail_to_cloudwatch" {{
  name = "${{local.name}}-cloudtrail-to-cloudwatch"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "cloudtrail.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_iam_role_policy" "cloudtrail_to_cloudwatch" {{
  name = "deliver-to-log-group"
  role = aws_iam_role.cloudtrail_to_cloudwatch.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${{aws_cloudwatch_log_group.trail.arn}}:*"
    }}]
  }})
}}

resource "aws_cloudtrail" "main" {{
  name                          = "${{local.name}}-management-events"
  s3_bucket_name                = aws_s3_bucket.logs.id
  is_multi_region_trail         = {str(not single_region).lower()}
  include_global_service_events = true
  enable_logging                = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${{aws_cloudwatch_log_group.trail.arn}}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_to_cloudwatch.arn

  event_selector {{
    read_write_type           = "All"
    include_management_events = true
  }}

  tags = local.tags
}}
'''


def alerts_tf(r: Root, subscribed: bool) -> str:
    sub = f'''
resource "aws_sns_topic_subscription" "security_team" {{
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "security-{r.idx}@example.com"
}}
''' if subscribed else ""
    return f'''resource "aws_kms_key" "alerts" {{
  description             = "SNS alerts for ${{local.name}}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}}

resource "aws_sns_topic" "alerts" {{
  name              = "${{local.name}}-security-alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}}
{sub}'''


class Ctl:
    """One control as written in a root: pattern and the defects of its chain."""

    def __init__(self, cid: str, pattern: str, defect: str | None):
        self.id = cid
        self.ident = ident(cid)
        self.pattern = pattern
        self.defect = defect

    @property
    def threshold(self) -> int:
        return 5 if self.defect == "threshold" else 1

    @property
    def namespace(self) -> str:
        return "CISBenchmarks" if self.defect == "namespace" else "CISBenchmark"

    def actions(self, topic: str) -> str:
        return "[]" if self.defect == "no-action" else f"[{topic}]"


def choose_controls(r: Root, controls: list[tuple[str, str]]) -> list[Ctl]:
    picked = [c for c in controls if r.rng.random() < 0.85]
    out = []
    for cid, pattern in picked:
        defect = None
        if r.rng.random() < 0.12:
            defect = r.rng.choice(["pattern", "pattern", "threshold", "no-action", "namespace"])
        if defect == "pattern":
            kind, pattern = break_pattern(r.rng, pattern)
            defect = "pattern-" + kind
        out.append(Ctl(cid, pattern, defect))
    return out


def filter_alarm(c: Ctl, pattern_expr: str, lg: str, topic: str, count: str = "", idx: str = "") -> str:
    return f'''resource "aws_cloudwatch_log_metric_filter" "{c.ident}" {{{count}
  name           = "{c.id}"
  log_group_name = {lg}
  pattern        = {pattern_expr}

  metric_transformation {{
    name      = "{c.id}"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "{c.ident}" {{{count}
  alarm_name          = "cis-{c.id}"
  alarm_description   = "CIS monitoring: {c.id}"
  namespace           = "{c.namespace}"
  metric_name         = aws_cloudwatch_log_metric_filter.{c.ident}{idx}.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = {c.threshold}
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = {c.actions(topic)}
}}
'''


def heredoc(pattern: str) -> str:
    """A `<<-EOT` heredoc with the pattern split over lines at `||`."""
    body = pattern.replace(") || (", ") ||\n    (").replace(")||(", ")||\n    (")
    return "<<-EOT\n    " + body + "\n  EOT"


def style_literal(r: Root, ctls: list[Ctl]) -> None:
    lg, topic = "aws_cloudwatch_log_group.trail.name", "aws_sns_topic.alerts.arn"
    r.add("monitoring.tf", "# CIS CloudWatch alarms, one pair per control.\n\n" +
          "\n".join(filter_alarm(c, hcl_str(c.pattern), lg, topic) for c in ctls))


def style_heredoc(r: Root, ctls: list[Ctl]) -> None:
    lg, topic = "aws_cloudwatch_log_group.trail.name", "aws_sns_topic.alerts.arn"
    parts = []
    for c in ctls:
        if c.defect == "pattern-quoted":
            # The published remediation's shape: `<<PATTERN` holding a quoted pattern.
            expr = "<<PATTERN\n" + c.pattern + "\nPATTERN"
        else:
            expr = heredoc(c.pattern)
        parts.append(filter_alarm(c, expr, lg, topic))
    r.add("monitoring.tf", "\n".join(parts))


def style_count(r: Root, ctls: list[Ctl]) -> None:
    lg, topic = "aws_cloudwatch_log_group.trail.name", "aws_sns_topic.alerts.arn"
    parts = ['''variable "enable_cis_alarms" {
  description = "Create the CIS alarms."
  type        = bool
  default     = true
}

variable "enable_network_alarms" {
  description = "Create the network alarms (VPC, NACL, gateways, routes)."
  type        = bool
  default     = true
}
''']
    for c in ctls:
        toggle = "var.enable_network_alarms" if c.id in (
            "vpc-changes", "nacl-changes", "network-gateway-changes", "route-table-changes") else "var.enable_cis_alarms"
        parts.append(filter_alarm(c, hcl_str(c.pattern), lg, topic,
                                  count=f"\n  count = {toggle} ? 1 : 0\n", idx="[0]"))
    r.add("monitoring.tf", "\n".join(parts))


def style_for_each(r: Root, ctls: list[Ctl]) -> None:
    # Defects other than the pattern are per-control values in the map.
    rows = "\n".join(
        f'    "{c.id}" = {{ pattern = {hcl_str(c.pattern)}, threshold = {c.threshold}, namespace = "{c.namespace}", notify = {str(c.defect != "no-action").lower()} }}'
        for c in ctls)
    r.add("monitoring.tf", f'''variable "extra_controls" {{
  description = "Extra or replacement controls, by name."
  type = map(object({{
    pattern   = string
    threshold = optional(number, 1)
    namespace = optional(string, "CISBenchmark")
    notify    = optional(bool, true)
  }}))
  default = {{}}
}}

locals {{
  cis = merge({{
{rows}
  }}, var.extra_controls)
}}

resource "aws_cloudwatch_log_metric_filter" "cis" {{
  for_each = local.cis

  name           = each.key
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = each.value.pattern

  metric_transformation {{
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "cis" {{
  for_each = local.cis

  alarm_name          = "cis-${{each.key}}"
  alarm_description   = "CIS monitoring: ${{each.key}}"
  namespace           = each.value.namespace
  metric_name         = aws_cloudwatch_log_metric_filter.cis[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = each.value.notify ? [aws_sns_topic.alerts.arn] : []
}}
''')


def style_join(r: Root, ctls: list[Ctl]) -> None:
    lg, topic = "aws_cloudwatch_log_group.trail.name", "aws_sns_topic.alerts.arn"
    local_rows, parts = [], []
    for c in ctls:
        names = event_names(c.pattern)
        if names and r.rng.random() < 0.5:
            lst = ", ".join(f'"{n}"' for n in names)
            local_rows.append(f"  {c.ident}_events = [{lst}]")
            expr = f'format("{{ %s }}", join(" || ", [for e in local.{c.ident}_events : "($.eventName = ${{e}})"]))'
        elif names:
            lst = ", ".join(f'"{n}"' for n in names)
            local_rows.append(f"  {c.ident}_events = [{lst}]")
            expr = f'"{{ ${{join(" || ", [for e in local.{c.ident}_events : "($.eventName = ${{e}})"])}} }}"'
        else:
            expr = hcl_str(c.pattern)
        parts.append(filter_alarm(c, expr, lg, topic))
    r.add("monitoring.tf", "locals {\n" + "\n".join(local_rows) + "\n}\n\n" + "\n".join(parts))


def style_tfvars(r: Root, ctls: list[Ctl]) -> None:
    lg, topic = "aws_cloudwatch_log_group.trail.name", "aws_sns_topic.alerts.arn"
    decls, values, parts = [], [], []
    for c in ctls:
        decls.append(f'''variable "{c.ident}_pattern" {{
  description = "Filter pattern for {c.id}."
  type        = string
}}
''')
        if r.rng.random() < 0.5 and c.defect != "pattern-quoted":
            values.append(f"{c.ident}_pattern = <<-EOT\n  {c.pattern}\nEOT")
        else:
            values.append(f"{c.ident}_pattern = {hcl_str(c.pattern)}")
        parts.append(filter_alarm(c, f"var.{c.ident}_pattern", lg, topic))
    r.add("monitoring.tf", "\n".join(decls) + "\n" + "\n".join(parts))
    r.add("monitoring.auto.tfvars", "# Filter patterns for this account.\n" + "\n".join(values) + "\n")


def style_tf_json(r: Root, ctls: list[Ctl]) -> None:
    filters, alarms = {}, {}
    for c in ctls:
        filters[c.ident] = {
            "name": c.id,
            "log_group_name": "${aws_cloudwatch_log_group.trail.name}",
            "pattern": c.pattern.replace("${", "$${"),
            "metric_transformation": [{"name": c.id, "namespace": "CISBenchmark", "value": "1"}],
        }
        alarms[c.ident] = {
            "alarm_name": f"cis-{c.id}",
            "namespace": c.namespace,
            "metric_name": f"${{aws_cloudwatch_log_metric_filter.{c.ident}.metric_transformation[0].name}}",
            "statistic": "Sum",
            "period": 300,
            "threshold": c.threshold,
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "evaluation_periods": 1,
            "alarm_actions": [] if c.defect == "no-action" else ["${aws_sns_topic.alerts.arn}"],
        }
    doc = {"resource": {"aws_cloudwatch_log_metric_filter": filters, "aws_cloudwatch_metric_alarm": alarms}}
    r.add("monitoring.tf.json", json.dumps(doc, indent=2) + "\n")


def style_local_module(r: Root, ctls: list[Ctl]) -> None:
    r.add("monitoring.tf", '''module "cis_alarms" {
  source = "./modules/cis-alarms"

  log_group_name = aws_cloudwatch_log_group.trail.name
  sns_topic_arn  = aws_sns_topic.alerts.arn
}
''')
    r.add("modules/cis-alarms/variables.tf", '''variable "log_group_name" {
  description = "The CloudWatch Logs log group CloudTrail delivers to."
  type        = string
}

variable "sns_topic_arn" {
  description = "The SNS topic the alarms notify."
  type        = string
}

variable "namespace" {
  description = "The CloudWatch namespace of the metrics."
  type        = string
  default     = "CISBenchmark"
}
''')
    r.add("modules/cis-alarms/main.tf", "\n".join(
        filter_alarm(c, hcl_str(c.pattern), "var.log_group_name", "var.sns_topic_arn") for c in ctls))
    r.add("modules/cis-alarms/outputs.tf", "output \"alarm_arns\" {\n  value = [\n" + "".join(
        f"    aws_cloudwatch_metric_alarm.{c.ident}.arn,\n" for c in ctls) + "  ]\n}\n")


def style_shared_module(r: Root, ctls: list[Ctl]) -> None:
    rows = "\n".join(f'    "{c.id}" = {hcl_str(c.pattern)}' for c in ctls)
    r.add("monitoring.tf", f'''module "cis" {{
  source = "{r.up}/modules/cis-alarms"

  log_group_name = aws_cloudwatch_log_group.trail.name
  sns_topic_arn  = aws_sns_topic.alerts.arn
  controls = {{
{rows}
  }}
}}
''')


STYLES = [style_literal, style_heredoc, style_count, style_for_each, style_join,
          style_tfvars, style_tf_json, style_local_module, style_shared_module]


# ---------------------------------------------------------------------------------------
# Shared modules


def shared_modules(files: dict[str, str]) -> None:
    files["modules/cis-alarms/variables.tf"] = '''variable "log_group_name" {
  type = string
}

variable "sns_topic_arn" {
  type = string
}

variable "namespace" {
  type    = string
  default = "CISBenchmark"
}

variable "controls" {
  description = "Control name => filter pattern."
  type        = map(string)
}
'''
    files["modules/cis-alarms/main.tf"] = '''resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each = var.controls

  name           = each.key
  log_group_name = var.log_group_name
  pattern        = each.value

  metric_transformation {
    name      = each.key
    namespace = var.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = aws_cloudwatch_log_metric_filter.this

  alarm_name          = "cis-${each.key}"
  namespace           = var.namespace
  metric_name         = each.value.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.sns_topic_arn]
}
'''
    files["modules/cis-alarms/outputs.tf"] = '''output "alarm_arns" {
  value = [for a in aws_cloudwatch_metric_alarm.this : a.arn]
}
'''
    files["modules/vpc/variables.tf"] = '''variable "name" {
  type = string
}

variable "cidr_block" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
'''
    files["modules/vpc/main.tf"] = '''resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::central-flow-logs"
  log_destination_type = "s3"
}
'''
    files["modules/vpc/outputs.tf"] = '''output "vpc_id" {
  value = aws_vpc.this.id
}
'''
    files["modules/s3-bucket/main.tf"] = '''variable "name" {
  type = string
}

variable "versioning" {
  type    = bool
  default = true
}

variable "expire_days" {
  type    = number
  default = 365
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = var.expire_days
    }
  }
}

output "arn" {
  value = aws_s3_bucket.this.arn
}
'''


# ---------------------------------------------------------------------------------------


def make_root(rng: random.Random, idx: int, controls: list[tuple[str, str]], stats: dict) -> Root:
    account = ACCOUNTS[idx % len(ACCOUNTS)]
    region = REGIONS[(idx // len(ACCOUNTS)) % len(REGIONS)]
    r = Root(rng, idx, "", 4)
    r.rel = f"live/{account}/{region}/{r.name}"
    baseline = rng.random() < 0.45
    extra_vars = ""
    r.add("versions.tf", versions_tf(r))
    r.add("network.tf", network_tf(r))
    r.add("iam.tf", iam_tf(r))
    r.add("s3.tf", s3_tf(r))
    r.add("compute.tf", compute_tf(r))
    if baseline:
        single_region = rng.random() < 0.05
        subscribed = rng.random() >= 0.05
        r.add("cloudtrail.tf", cloudtrail_tf(r, single_region))
        r.add("alerts.tf", alerts_tf(r, subscribed))
        ctls = choose_controls(r, controls)
        style = rng.choice(STYLES)
        style(r, ctls)
        stats["baseline"] += 1
        stats["styles"][style.__name__] = stats["styles"].get(style.__name__, 0) + 1
        stats["controls"] += len(ctls)
        stats["broken"] += sum(1 for c in ctls if c.defect)
        stats["broken"] += int(single_region) + int(not subscribed)
        out_extra = '''
output "alert_topic_arn" {
  value = aws_sns_topic.alerts.arn
}
'''
    else:
        r.add("app-logs.tf", app_logs_tf(r))
        stats["app"] += 1
        out_extra = ""
    r.add("variables.tf", variables_tf(r, extra_vars))
    r.add("terraform.tfvars", tfvars(r))
    r.add("outputs.tf", outputs_tf(r, out_extra))
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--roots", type=int, required=True, help="number of root modules")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--out", type=Path, required=True, help="directory to (re)create")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    controls = load_controls()
    if args.out.exists():
        shutil.rmtree(args.out)
    files: dict[str, str] = {}
    shared_modules(files)
    stats = {"baseline": 0, "app": 0, "controls": 0, "broken": 0, "styles": {}}
    for i in range(args.roots):
        r = make_root(rng, i, controls, stats)
        for name, text in r.files.items():
            files[f"{r.rel}/{name}"] = text
    total_bytes = 0
    for rel in sorted(files):
        p = args.out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[rel])
        total_bytes += len(files[rel].encode())
    styles = ", ".join(f"{k.removeprefix('style_')}={v}" for k, v in sorted(stats["styles"].items()))
    print(f"{args.out}: {len(files)} files, {total_bytes / 1e6:.1f} MB, {args.roots} roots "
          f"({stats['baseline']} baseline, {stats['app']} application); "
          f"{stats['controls']} controls written, {stats['broken']} broken links; styles: {styles}",
          file=sys.stderr)
    print(len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
