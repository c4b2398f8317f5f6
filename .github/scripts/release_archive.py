"""Release archives and their checksums, the same on every runner (used by release.yml and CI).

    release_archive.py archive TARGET BINARY OUTDIR
        OUTDIR/trailwatch-TARGET.tar.gz (a .zip for Windows targets) holding
        trailwatch-TARGET/{trailwatch[.exe], README.md, LICENSE}.
    release_archive.py checksums DIR
        DIR/SHA256SUMS: `sha256sum -c` lines for every other file in DIR, sorted by name.

Archives are reproducible: entries sorted, owner 0, mtime SOURCE_DATE_EPOCH (default: the
last commit's time when git is there, else 0). The names are a contract with action.yml and
the README's install section: see docs/releasing.md.
"""

import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKSUMS = "SHA256SUMS"


def mtime() -> int:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 0


def archive(target: str, binary: Path, outdir: Path) -> Path:
    windows = "windows" in target
    exe = "trailwatch.exe" if windows else "trailwatch"
    top = f"trailwatch-{target}"
    # (name in the archive, content, executable)
    entries = sorted(
        [
            (f"{top}/{exe}", binary.read_bytes(), True),
            (f"{top}/README.md", (ROOT / "README.md").read_bytes(), False),
            (f"{top}/LICENSE", (ROOT / "LICENSE").read_bytes(), False),
        ]
    )
    stamp = mtime()
    outdir.mkdir(parents=True, exist_ok=True)
    if windows:
        path = outdir / f"{top}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data, executable in entries:
                info = zipfile.ZipInfo(name, date_time=zip_time(stamp))
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        return path
    path = outdir / f"{top}.tar.gz"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dir_info = tarfile.TarInfo(top)
        dir_info.type, dir_info.mode, dir_info.mtime = tarfile.DIRTYPE, 0o755, stamp
        tar.addfile(dir_info)
        for name, data, executable in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), stamp
            info.mode = 0o755 if executable else 0o644
            tar.addfile(info, io.BytesIO(data))
    # mtime=0 in the gzip header: the archive's bytes depend on its content only.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0, filename="") as gz:
        gz.write(buf.getvalue())
    return path


def zip_time(stamp: int) -> tuple:
    t = time.gmtime(max(stamp, 315532800))  # zip cannot hold times before 1980
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def checksums(directory: Path) -> Path:
    lines = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if path.is_file() and path.name != CHECKSUMS:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.name}\n")
    if not lines:
        sys.exit(f"release_archive.py: no files to checksum in {directory}")
    out = directory / CHECKSUMS
    out.write_text("".join(lines), encoding="ascii", newline="\n")
    return out


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "archive":
        print(archive(args[1], Path(args[2]), Path(args[3])))
    elif len(args) == 2 and args[0] == "checksums":
        print(checksums(Path(args[1])))
    else:
        sys.exit(__doc__)


main()
