#!/usr/bin/env bash
# Installs a trailwatch release binary for this machine, verified against the release's
# SHA256SUMS before it is run (action.yml's install step; tested by .ci/validate-action
# against a local HTTP server).
#
#   install.sh VERSION DEST_DIR
#
# Downloads BASE/trailwatch-TARGET.tar.gz (.zip on Windows) and BASE/SHA256SUMS, where BASE
# is $TRAILWATCH_RELEASE_URL or https://github.com/$TRAILWATCH_REPOSITORY/releases/download/vVERSION,
# checks the archive's SHA-256 against its line in SHA256SUMS, unpacks
# trailwatch-TARGET/trailwatch[.exe] into DEST_DIR, and checks that it runs and is VERSION.
# The asset names are the release workflow's (docs/releasing.md).
#
# Environment: TRAILWATCH_REPOSITORY (default trailwatch/trailwatch), TRAILWATCH_RELEASE_URL,
# TRAILWATCH_TARGET (default: from RUNNER_OS/RUNNER_ARCH, else uname).
#
# Exit status: 0 installed (prints the binary's path last); 3 no release asset fits this
# machine or could be downloaded (the caller may build from source); 4 the download is not
# what the release published (checksum mismatch, not listed, wrong content): never run it,
# never fall back silently; 2 usage.
set -euo pipefail

usage() { echo "usage: install.sh VERSION DEST_DIR" >&2; exit 2; }
[[ $# -eq 2 && -n $1 && -n $2 ]] || usage
version=${1#v}
dest=$2
repo=${TRAILWATCH_REPOSITORY:-trailwatch/trailwatch}
base=${TRAILWATCH_RELEASE_URL:-https://github.com/$repo/releases/download/v$version}
base=${base%/}

no_asset() { echo "trailwatch: $*" >&2; exit 3; }
refuse() { echo "trailwatch: refusing the download: $*" >&2; exit 4; }

# The runner's OS and architecture, else the machine's.
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
target=${TRAILWATCH_TARGET:-}
if [[ -z $target ]]; then
  case "$os-$arch" in
    Linux-X64 | Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-ARM64 | Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    macOS-X64 | Darwin-x86_64) target=x86_64-apple-darwin ;;
    macOS-ARM64 | Darwin-arm64) target=aarch64-apple-darwin ;;
    Windows-X64 | MINGW*-x86_64 | MSYS*-x86_64) target=x86_64-pc-windows-msvc ;;
    *) no_asset "no release binary for $os/$arch (releases have Linux x86_64 and arm64, macOS x86_64 and arm64, Windows x86_64)" ;;
  esac
fi
exe=trailwatch
archive=trailwatch-$target.tar.gz
if [[ $target == *windows* ]]; then
  exe=trailwatch.exe
  archive=trailwatch-$target.zip
fi

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trailwatch-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch() {
  local url=$1 out=$2
  if ! curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 -o "$out" "$url" 2>"$work/curl.err"; then
    no_asset "cannot download $url ($(tr '\n' ' ' <"$work/curl.err" | sed 's/ *$//'))"
  fi
}
echo "trailwatch: downloading $archive and SHA256SUMS of v$version from $base" >&2
fetch "$base/$archive" "$work/$archive"
fetch "$base/SHA256SUMS" "$work/SHA256SUMS"

# The archive's line: `HASH  NAME` (or `HASH *NAME`, binary mode).
expected=$(awk -v name="$archive" '($2 == name || $2 == "*" name) { print tolower($1); exit }' "$work/SHA256SUMS")
[[ $expected =~ ^[0-9a-f]{64}$ ]] ||
  refuse "SHA256SUMS of v$version has no checksum for $archive"
if command -v sha256sum >/dev/null 2>&1; then
  actual=$(sha256sum "$work/$archive" | awk '{ print $1 }')
elif command -v shasum >/dev/null 2>&1; then
  actual=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
else
  refuse "neither sha256sum nor shasum is installed, so $archive cannot be verified"
fi
[[ $actual == "$expected" ]] ||
  refuse "$archive has SHA-256 $actual, but the release's SHA256SUMS says $expected: the file was changed after the release was published, or a proxy altered it"
echo "trailwatch: $archive matches SHA256SUMS ($actual)" >&2

mkdir -p "$work/unpacked"
if [[ $archive == *.zip ]]; then
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$work/$archive" -d "$work/unpacked" || refuse "$archive is not a valid zip archive"
  else
    7z x -y -o"$work/unpacked" "$work/$archive" >/dev/null || refuse "$archive is not a valid zip archive"
  fi
else
  tar -xzf "$work/$archive" -C "$work/unpacked" || refuse "$archive is not a valid tar.gz archive"
fi
binary=$work/unpacked/trailwatch-$target/$exe
[[ -f $binary && ! -L $binary ]] || refuse "$archive holds no trailwatch-$target/$exe"
chmod +x "$binary"
reported=$("$binary" --version 2>/dev/null) || refuse "trailwatch-$target/$exe from $archive does not run here"
[[ $reported == "trailwatch $version" ]] ||
  refuse "trailwatch-$target/$exe from $archive says '$reported', not 'trailwatch $version'"

mkdir -p "$dest"
mv -f "$binary" "$dest/$exe"
echo "$dest/$exe"
