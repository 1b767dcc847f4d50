"""Fingerprint what lawnb makes, to prove a refactor changed nothing a user gets.

Re-imports both bundled datasets from their sources into a temporary folder, runs the
default ``lawnb run`` into another, and hashes every file of both (and of the bundled
``lawnb/data`` folders), with timestamps, durations and temporary paths masked.

    python bench/output_snapshot.py --save /tmp/before.json     # on the old code
    python bench/output_snapshot.py --compare /tmp/before.json  # on the new code

``--compare`` prints each file that differs and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LAWNB = [str(Path(sys.executable).parent / "lawnb")]

# What legitimately changes from one run to the next.
_MASKS = [
    (
        re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"),
        b"<time>",
    ),
    (re.compile(rb'"(duration|elapsed|seconds|elapsed_seconds)": ?[0-9.e-]+'), b'"\\1": <n>'),
    (re.compile("\\d+(\\.\\d+)? ?(s\\b|秒)".encode()), b"<secs>"),
    (re.compile(rb"/tmp/[A-Za-z0-9_./-]+"), b"<tmp>"),
    (re.compile(rb"Generated on .*?<"), b"<gen><"),
    (re.compile(rb'"id": "[0-9a-f]{8}"'), b'"id": <id>'),  # papermill's injected cell
    # Module paths are what a refactor moves: `from lawnb.present import views` == `from lawnb import views`.
    (re.compile(rb"\blawnb(?:\.[a-z_]+)+"), b"lawnb"),
]


def _masked_hash(path: Path, tmp: Path) -> str:
    data = path.read_bytes().replace(str(tmp).encode(), b"<tmp>")
    data = data.replace(str(ROOT).encode(), b"<root>")  # the checkout compared may sit elsewhere
    for pattern, replacement in _MASKS:
        data = pattern.sub(replacement, data)
    return hashlib.sha256(data).hexdigest()


def _hash_tree(folder: Path, tmp: Path, label: str) -> dict[str, str]:
    return {
        f"{label}/{p.relative_to(folder).as_posix()}": _masked_hash(p, tmp)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".lock" not in p.name
    }


def _lawnb(*args: str) -> None:
    subprocess.run([*LAWNB, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def snapshot(jobs: int) -> dict[str, str]:
    """Masked hashes of the bundled datasets, fresh re-imports of them and a full run."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        founding = SHARED / "reports" / "市中区齐村镇-2020.txt"
        _lawnb(
            "import",
            str(founding),
            "--dataset",
            str(tmp / "sample"),
            "--no-sentences",
            "--force",
            "--no-progress",
        )
        _lawnb(
            "import",
            "lawnb/data/demo_reports",
            "--dataset",
            str(tmp / "demo"),
            "--force",
            "--no-progress",
        )
        _lawnb("run", "--outputs", str(tmp / "outputs"), "--jobs", str(jobs), "--no-progress")
        hashes: dict[str, str] = {}
        for label in ("sample", "demo"):
            hashes |= _hash_tree(ROOT / "lawnb" / "data" / label, tmp, f"bundled-{label}")
            hashes |= _hash_tree(tmp / label, tmp, f"imported-{label}")
        hashes |= _hash_tree(tmp / "outputs", tmp, "outputs")
        return hashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the fingerprints to this JSON file")
    group.add_argument("--compare", type=Path, help="compare with fingerprints saved before")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    hashes = snapshot(args.jobs)
    if args.save:
        args.save.write_text(json.dumps(hashes, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(hashes)} files fingerprinted into {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | hashes.keys() if before.get(k) != hashes.get(k))
    for key in differ:
        state = "missing" if key not in hashes else "new" if key not in before else "differs"
        print(f"{state:8} {key}")
    print(f"{len(hashes)} files, {len(differ)} differ from {args.compare}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
