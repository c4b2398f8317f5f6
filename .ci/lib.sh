# shellcheck shell=bash
# Shared by .ci scripts (source it after `set -euo pipefail`): scratch and cache folders,
# pass/fail counters with the closing "N passed, N failed" line, tool installs.
#
# Environment: TMPDIR (default /tmp) holds trailwatch-ci/{cache,<scratch>}; KEEP_TMP=1 keeps
# the scratch folder.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${TMPDIR:-/tmp}/trailwatch-ci
CACHE=$BASE/cache
mkdir -p "$CACHE"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 CARGO_TERM_COLOR=never
# Where cargo builds. Debug builds (the binary under test, `cargo package`'s verification):
# the folder `cargo test` used. Release builds (the wheel, the pre-commit source hook, which
# reuses the wheel's): CARGO_TARGET_DIR when set, else a cache folder that outlives the run
# (the one the pre-commit stage always used), so a machine that ran CI before starts warm.
# shellcheck disable=SC2034 # read by the scripts that source this file
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# shellcheck disable=SC2034
RELEASE_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/pre-commit-cargo-target}

# new_scratch NAME: a fresh folder for this run, removed on exit unless KEEP_TMP=1.
new_scratch() {
  SCRATCH=$(mktemp -d "$BASE/$1.XXXXXX")
  if [[ ${KEEP_TMP:-0} != 1 ]]; then
    # shellcheck disable=SC2064 # expand now: SCRATCH is this run's
    trap "rm -rf '$SCRATCH'" EXIT
  else
    echo "scratch directory: $SCRATCH"
  fi
}

passed=0
failed=0
pass() {
  passed=$((passed + 1))
  echo "PASS: $*"
}
# fail MESSAGE [LOG]: LOG's first lines are shown under the message.
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1"
  if [[ -n ${2:-} && -f $2 ]]; then sed 's/^/    /' "$2" | head -n 40; fi
}
# check NAME CMD...: passes when CMD exits 0; its output is shown when it does not.
check() {
  local name=$1
  shift
  if "$@" >"$SCRATCH/last.log" 2>&1 </dev/null; then pass "$name"; else fail "$name" "$SCRATCH/last.log"; fi
}
# reject NAME CMD...: passes when CMD exits non-zero (a negative control).
reject() {
  local name=$1
  shift
  if "$@" >"$SCRATCH/last.log" 2>&1 </dev/null; then fail "$name (was accepted)" "$SCRATCH/last.log"; else pass "$name"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]] || exit 1
  exit 0
}

apt_install() {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "missing: $* (install it, or run as root on Debian)" >&2
    return 1
  fi
}

# tool_venv NAME PROBE PIP_ARGS...: prints the path of a cached venv $CACHE/NAME in which
# `bin/PROBE` runs, made anew with `pip install PIP_ARGS` when it does not.
tool_venv() {
  local venv=$CACHE/$1 probe=$2
  shift 2
  if ! "$venv/bin/$probe" --version >/dev/null 2>&1; then
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || { apt_install python3-venv >&2 && python3 -m venv "$venv" >&2; }
    "$venv/bin/pip" install -q "$@" >&2
  fi
  echo "$venv"
}

# cargo_version: the package version in Cargo.toml.
cargo_version() {
  sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n 1
}
