#!/usr/bin/env bash
# Re-run trailwatch on the real-world corpus (issue 11, item 14) and print findings per level.
# Not part of CI: it needs the repository snapshots (the `fetch` tool puts them under
# /work/.mirror/<owner>+<name>/repo; set MIRROR to look elsewhere, or clone them there).
#
#   scripts/corpus/run.sh                      # counts per root module and totals
#   scripts/corpus/run.sh --rules              # also counts per rule id (for reading a change)
#   TRAILWATCH=path/to/trailwatch scripts/corpus/run.sh
#
# Each repository is checked out at the commit in repos.txt into a temporary directory (never
# into this repository); nothing from it is run. When scripts/corpus/expected-counts.txt
# exists (expected-rules.txt with --rules), the output is compared with it and the script
# exits 1 on any difference. Record a new baseline once every changed line has been read:
#   scripts/corpus/run.sh > scripts/corpus/expected-counts.txt
#   scripts/corpus/run.sh --rules > scripts/corpus/expected-rules.txt
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
mirror="${MIRROR:-/work/.mirror}"
trailwatch="${TRAILWATCH:-${CARGO_TARGET_DIR:-$repo_root/target}/release/trailwatch}"
per_rule=0
[[ "${1:-}" == "--rules" ]] && per_rule=1

if [[ ! -x "$trailwatch" ]]; then
  echo "trailwatch not found at $trailwatch: run 'cargo build --release --locked' or set TRAILWATCH" >&2
  exit 2
fi
command -v jq >/dev/null || { echo "jq is required" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A checked_out
total_e=0 total_w=0 total_n=0 missing=0
report="$work/report.txt"
: >"$report"

while read -r repo commit path kind args; do
  [[ -z "$repo" || "$repo" == \#* ]] && continue
  key="${repo/\//+}"
  git_dir="$mirror/$key/repo"
  dest="$work/$key@${commit:0:12}"
  if [[ -z "${checked_out[$dest]:-}" ]]; then
    if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
      printf '%-62s %-72s snapshot missing (fetch github:%s at %s)\n' "$repo" "$path" "$repo" "$commit" >>"$report"
      missing=$((missing + 1))
      continue
    fi
    mkdir -p "$dest"
    git --git-dir="$git_dir" archive "$commit" | tar -x -C "$dest"
    # A checkout is a Git repository: trailwatch lets modules leave the scanned directory
    # but not the repository, so the copy needs its own .git to be judged as users see it.
    git init -q "$dest"
    checked_out[$dest]=1
  fi
  json="$work/out.json"
  # --fail-on never: the exit status is about the corpus, not the findings.
  if ! (cd "$dest" && "$trailwatch" check "$path" ${args:-} --format json --fail-on never >"$json" 2>"$work/err"); then
    printf '%-62s %-72s trailwatch failed: %s\n' "$repo" "$path" "$(head -c 200 "$work/err" | tr '\n' ' ')" >>"$report"
    continue
  fi
  read -r e w n < <(jq -r '[.findings[].level] as $l | [("error", "warning", "note") as $k | $l | map(select(. == $k)) | length] | @tsv' "$json")
  if [[ "$(jq -r '.nothing_to_check' "$json")" == "true" ]]; then n="$n (nothing to check)"; fi
  total_e=$((total_e + e)) total_w=$((total_w + w)) total_n=$((total_n + ${n%% *}))
  # Control statuses too: a status that changes without a finding is a regression as well.
  read -r cp cf cu < <(jq -r '[.controls[]] as $s | [("pass", "fail", "unverifiable") as $k | $s | map(select(. == $k)) | length] | @tsv' "$json")
  printf '%-62s %-72s error=%-4s warning=%-4s note=%-4s controls pass=%-2s fail=%-2s unverifiable=%-2s%s\n' \
    "$repo" "$path" "$e" "$w" "$n" "$cp" "$cf" "$cu" "${args:+ [$args]}" >>"$report"
  if [[ $per_rule -eq 1 ]]; then
    jq -r '.findings[] | "\(.level) \(.rule)\(if .defect and .defect != .rule then "/" + .defect else "" end)"' "$json" \
      | sort | uniq -c | sed 's/^/    /' >>"$report"
  fi
done <"$here/repos.txt"

printf '%-62s %-72s error=%-4s warning=%-4s note=%-4s\n' "TOTAL" "" "$total_e" "$total_w" "$total_n" >>"$report"
cat "$report"

status=0
[[ $missing -gt 0 ]] && status=1
expected="$here/expected-counts.txt"
[[ $per_rule -eq 1 ]] && expected="$here/expected-rules.txt"
if [[ -f "$expected" ]]; then
  if diff -u "$expected" "$report" >"$work/diff"; then
    echo "counts match $expected" >&2
  else
    echo "counts differ from $expected:" >&2
    cat "$work/diff" >&2
    status=1
  fi
fi
exit $status
