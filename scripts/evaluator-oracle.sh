#!/usr/bin/env bash
# Differential test of trailwatch's Terraform evaluator against `terraform console`
# (tests/terraform_oracle.rs, ignored by `cargo test`). Skips, saying so, when `terraform`
# is not on PATH. Needs no providers and no network: it runs in a temporary directory
# with TF_CLI_CONFIG_FILE pointing to an empty file.
#
#   bash scripts/evaluator-oracle.sh                      # 3,000 expressions, default seed
#   ORACLE_SEED=7 ORACLE_COUNT=10000 bash scripts/evaluator-oracle.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v terraform > /dev/null 2>&1; then
    echo "evaluator oracle: skipped (terraform is not on PATH)"
    exit 0
fi
echo "evaluator oracle: $(terraform version | head -n 1)"
cargo test --locked --test terraform_oracle -- --ignored --nocapture
