#!/usr/bin/env bash
# End-to-end benchmark of the trailwatch binary on generated monorepos, with the
# parse-only floor and Checkov side by side. Prints a Markdown table.
#
#   bash benches/run.sh                    # N = 10 100 1000, Checkov included
#   NS="10 100" bash benches/run.sh        # other corpus sizes
#   SKIP_CHECKOV=1 bash benches/run.sh     # trailwatch only
#
# Environment: NS (root counts), SEED (generator seed, default 6), RUNS (timed runs of
# each command, best kept; default 3), CORPUS_DIR (default target/bench-corpus),
# CHECKOV_TIMEOUT (seconds per Checkov run, default 1200), CHECKOV_VERSION (pip spec,
# default: latest), CARGO_LOCK (a lock file that serialises cargo on shared machines;
# default /tmp/trailwatch-cargo.lock, used when `flock` exists).
#
# What is measured, per N:
#   wall, peak RSS  `target/release/trailwatch check CORPUS --format json --fail-on never`
#                   (best wall of RUNS after one warm-up run, so the files are in the page
#                   cache; peak RSS is the largest of those runs, from /usr/bin/time -v)
#   floor           benches/parse_floor.rs: discovery + reading + parsing every file with
#                   trailwatch's own parsers, in parallel, and nothing else (best of 5)
#   inspect         `trailwatch inspect CORPUS --format json` (loading + evaluation +
#                   JSON of the monitoring resources; not a floor: it does more output work)
#   Checkov         `checkov -d CORPUS --framework terraform --quiet --compact -o json`,
#                   installed with pip into a throw-away virtualenv, one run, capped at
#                   CHECKOV_TIMEOUT seconds
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
NS=${NS:-"10 100 1000"}
SEED=${SEED:-6}
RUNS=${RUNS:-3}
CORPUS_DIR=${CORPUS_DIR:-$REPO/target/bench-corpus}
CHECKOV_TIMEOUT=${CHECKOV_TIMEOUT:-1200}
CARGO_LOCK=${CARGO_LOCK:-/tmp/trailwatch-cargo.lock}

log() { printf '%s\n' "$*" >&2; }

cargo_locked() {
    if command -v flock > /dev/null; then
        flock "$CARGO_LOCK" cargo "$@"
    else
        cargo "$@"
    fi
}

# /usr/bin/time (Debian package `time`) gives peak RSS; the shell keyword does not.
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (/usr/bin/time) ..."
    if command -v apt-get > /dev/null; then
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get install -y -qq time > /dev/null || true
    fi
    [ -x /usr/bin/time ] || { log "error: /usr/bin/time is required (apt-get install time)"; exit 2; }
fi

log "building the release binary and the parse-floor benchmark ..."
cargo_locked build --release --locked --quiet
cargo_locked bench --locked --no-run --quiet --bench parse_floor
BIN=$REPO/target/release/trailwatch
FLOOR_BIN=$(ls -t "$REPO"/target/release/deps/parse_floor-* 2> /dev/null | grep -v '\.d$' | head -n 1)
[ -x "$FLOOR_BIN" ] || { log "error: parse_floor benchmark binary not found"; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Checkov, in a throw-away virtualenv.
CHECKOV=""
if [ -n "${SKIP_CHECKOV:-}" ]; then
    log "Checkov skipped (SKIP_CHECKOV is set)"
elif ! python3 -m venv "$TMP/venv" > "$TMP/venv.log" 2>&1; then
    log "Checkov skipped: python3 -m venv failed (install python3-venv): $(tail -n 1 "$TMP/venv.log")"
elif ! timeout 1200 "$TMP/venv/bin/pip" install --quiet --disable-pip-version-check \
        "checkov${CHECKOV_VERSION:+==$CHECKOV_VERSION}" > "$TMP/pip.log" 2>&1; then
    log "Checkov skipped: pip install checkov failed: $(tail -n 3 "$TMP/pip.log")"
else
    CHECKOV="$TMP/venv/bin/checkov"
    log "Checkov $("$CHECKOV" --version 2> /dev/null | tail -n 1) installed in a throw-away venv"
fi

# Runs a command under /usr/bin/time; prints "<wall seconds> <max RSS KiB>".
timed() {
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" > /dev/null 2> "$TMP/stderr" || true
    tail -n 1 "$TMP/time"
}

fmt_rss() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
fmt_s() { awk -v s="$1" 'BEGIN { if (s < 10) printf "%.2f s", s; else printf "%.0f s", s }'; }

declare -A FILES WALL PEAK FLOOR INSPECT_WALL INSPECT_RSS FINDINGS CHECKOV_CELL RATIO_CELL
# trailwatch first, for every N (so Checkov's runs cannot disturb its timings), then Checkov.
for n in $NS; do
    corpus=$CORPUS_DIR/$n
    log "N=$n: generating $corpus (seed $SEED) ..."
    FILES[$n]=$(python3 "$REPO/benches/gen_corpus.py" --roots "$n" --seed "$SEED" --out "$corpus")

    log "N=$n: trailwatch check ($RUNS runs after a warm-up) ..."
    timed "$BIN" check "$corpus" --format json --fail-on never > /dev/null
    best=""; peak=0
    for _ in $(seq "$RUNS"); do
        read -r wall rss < <(timed "$BIN" check "$corpus" --format json --fail-on never)
        if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    WALL[$n]=$best; PEAK[$n]=$peak
    # The JSON report must be complete (the run did not crash).
    "$BIN" check "$corpus" --format json --fail-on never > "$TMP/report.json" 2> /dev/null || true
    FINDINGS[$n]=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["findings"]))' "$TMP/report.json" 2> /dev/null || echo "?")

    log "N=$n: parse-only floor ..."
    FLOOR[$n]=$("$FLOOR_BIN" "$corpus" 5 | sed -n 's/^floor_seconds=//p')

    log "N=$n: trailwatch inspect ..."
    read -r INSPECT_WALL[$n] INSPECT_RSS[$n] < <(timed "$BIN" inspect "$corpus" --format json)
    CHECKOV_CELL[$n]="not run"; RATIO_CELL[$n]="—"
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -n "$CHECKOV" ]; then
    for n in $NS; do
        corpus=$CORPUS_DIR/$n
        log "N=$n: checkov (timeout ${CHECKOV_TIMEOUT} s) ..."
        start=$(date +%s.%N)
        set +e
        timeout "$CHECKOV_TIMEOUT" "$CHECKOV" -d "$corpus" --framework terraform --quiet --compact -o json \
            > /dev/null 2> "$TMP/checkov.err"
        status=$?
        set -e
        end=$(date +%s.%N)
        secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
        if [ "$status" -eq 124 ]; then
            CHECKOV_CELL[$n]="> ${CHECKOV_TIMEOUT} s"
            RATIO_CELL[$n]=$(awk -v c="$CHECKOV_TIMEOUT" -v t="${WALL[$n]}" 'BEGIN { printf "> %.0f×", c / t }')
        elif [ "$status" -gt 1 ]; then
            CHECKOV_CELL[$n]="failed ($status)"
            log "checkov failed: $(tail -n 3 "$TMP/checkov.err")"
        else
            CHECKOV_CELL[$n]=$(fmt_s "$secs")
            RATIO_CELL[$n]=$(awk -v c="$secs" -v t="${WALL[$n]}" 'BEGIN { printf "%.0f×", c / t }')
        fi
        log "N=$n: checkov ${CHECKOV_CELL[$n]}"
    done
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(free -h | awk '/^Mem:/ { print $2 }')
echo
echo "trailwatch $(git -C "$REPO" rev-parse --short HEAD 2> /dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($cpu), $mem RAM; load average after the trailwatch runs: $LOAD"
echo
echo "| N | files | wall | files/s | peak RSS | parse-only floor | Checkov | ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $NS; do
    fps=$(awk -v f="${FILES[$n]}" -v s="${WALL[$n]}" 'BEGIN { printf "%.0f", f / s }')
    echo "| $n | ${FILES[$n]} | $(fmt_s "${WALL[$n]}") | $fps | $(fmt_rss "${PEAK[$n]}") | $(fmt_s "${FLOOR[$n]}") | ${CHECKOV_CELL[$n]} | ${RATIO_CELL[$n]} |"
done
echo
echo "| N | check / floor | inspect wall | inspect peak RSS | findings |"
echo "|---:|---:|---:|---:|---:|"
for n in $NS; do
    echo "| $n | $(awk -v t="${WALL[$n]}" -v f="${FLOOR[$n]}" 'BEGIN { printf "%.1f×", t / f }') | $(fmt_s "${INSPECT_WALL[$n]}") | $(fmt_rss "${INSPECT_RSS[$n]}") | ${FINDINGS[$n]} |"
done
if [ -n "${WALL[100]:-}" ] && [ -n "${WALL[1000]:-}" ]; then
    echo
    echo "scaling: N=1000 wall / N=100 wall = $(awk -v a="${WALL[1000]}" -v b="${WALL[100]}" 'BEGIN { printf "%.1f", a / b }') (linear: 10)"
fi
