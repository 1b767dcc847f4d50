"""Import bench: reading and extracting a folder of reports, 10 → 100 → 1,000 reports.

The reports are the fictional ones in ``tests/fixtures/reports/*.txt`` and
``lawnb/data/demo_reports/*.txt``, copied into a temp folder with the unit (towns, townships,
sub-districts) or the district (departments, county governments) renamed so that every copy
is a distinct report (``区县单位-年度.txt``, unit and year found by the reader).

For each size, in a fresh process (so that peak memory is that size's own):

- ``read_report`` + ``extract_facts`` on one core, one file after the other, nothing kept:
  characters per second (of the normalised report text) and MB of UTF-8 file per second,
  CPU and wall clock; peak RSS above the process's RSS after its imports, and the
  tracemalloc peak (Python allocations, measured in a second pass since tracing is slow);
- ``lawnb import FOLDER --dataset TMP`` (the CLI, a subprocess): seconds, seconds per report
  and the child's peak RSS.

Growth is printed as ratios against the 10-report size measured in the same run: time per
report and peak memory should stay flat (1.0×) as the folder grows.

Usage::

    python bench/import_reports.py                 # 10, 100, 1000 reports
    python bench/import_reports.py --quick         # 10 and 100 (< 1 minute)
    python bench/import_reports.py --sizes 10 300 --no-cli
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, load, median, tool

SOURCES = [ROOT / "tests" / "fixtures" / "reports", ROOT / "lawnb" / "data" / "demo_reports"]
# Characters for made-up place names: no numerals, measure words or qualifiers among them.
NAME_CHARS = (
    "青禾岚溪桐川鹤汀云雾梅松柏枫桂园望湖柳塘白沙石桥临江城岭山海河泉宁安平和顺康乐丰盛新华碧翠"
)
TOWN_LEVELS = ("街道", "镇", "乡")
MB = 1024 * 1024

# Runs in a fresh interpreter: read + extract every file of a folder, print JSON.
WORKER = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from lawnb.read.reader import read_report
from lawnb.extract.facts import extract_facts
files = sorted(Path(sys.argv[1]).glob("*.txt"))
trace = sys.argv[2] == "trace"
# warm up on every template: rules, regexes and modules loaded on first use are one-offs
for folder in sys.argv[3:]:
    for f in sorted(Path(folder).glob("*.txt")):
        extract_facts(read_report(f))
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if trace:
    tracemalloc.start()
chars = nbytes = facts = 0
wall, cpu = time.perf_counter(), time.process_time()
for f in files:
    report = read_report(f)
    facts += len(extract_facts(report))
    chars += len(report.text)
    nbytes += f.stat().st_size
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
out = {"files": len(files), "chars": chars, "bytes": nbytes, "facts": facts, "cpu": cpu,
       "wall": wall, "rss0_kb": rss0,
       "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
if trace:
    out["trace_peak"] = tracemalloc.get_traced_memory()[1]
print(json.dumps(out))
"""

# Runs the CLI as its only child, so RUSAGE_CHILDREN's maxrss is that child's peak.
CLI_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "wall": wall, "cpu": use.ru_utime + use.ru_stime,
                  "rss_kb": use.ru_maxrss, "stdout": proc.stdout[-500:],
                  "stderr": proc.stderr[-2000:]}))
"""


def templates() -> list[tuple[str, str, str, str]]:
    """(text, district, unit, year) of every fictional .txt report, as the reader sees it."""
    from lawnb.read.reader import read_report

    out = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            report = read_report(path)
            text = path.read_text(encoding="utf-8-sig")
            out.append((text, str(report.district), str(report.unit), str(report.year)))
    return out


def names(count: int) -> list[str]:
    pairs = [a + b for a in NAME_CHARS for b in NAME_CHARS if a != b]
    if count > len(pairs):
        raise SystemExit(f"at most {len(pairs)} distinct names")
    return pairs[:count]


def make_folder(folder: Path, count: int, tpls: list[tuple[str, str, str, str]]) -> None:
    """``count`` distinct reports: template i % len, its unit or district renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, stem in enumerate(names(count)):
        text, district, unit, year = tpls[i % len(tpls)]
        level = next((lv for lv in TOWN_LEVELS if unit.endswith(lv)), None)
        if level is not None:
            new_unit, new_district = f"{stem}{level}", district
            text = text.replace(unit, new_unit)
        else:  # a department or the county government: rename the district
            new_district = f"{stem}{district[-1]}"
            new_unit = unit.replace(district, new_district)
            text = text.replace(district, new_district)
        (folder / f"{new_district}{new_unit}-{year}.txt").write_text(text, encoding="utf-8")


def read_extract(folder: Path, trace: bool) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(folder), "trace" if trace else "plain"]
        + [str(s) for s in SOURCES],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    if proc.returncode:
        raise SystemExit(f"read/extract failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli_import(folder: Path, dataset: Path) -> dict:
    shutil.rmtree(dataset, ignore_errors=True)
    cmd = [tool("lawnb"), "import", str(folder), "--dataset", str(dataset)]
    proc = subprocess.run(
        [sys.executable, "-c", CLI_WRAPPER, *cmd], capture_output=True, text=True, cwd=ROOT
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] not in (0,):
        print(f"  lawnb import exit status {result['rc']}: {result['stderr'][-600:]}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 100, one run")
    parser.add_argument("--no-cli", action="store_true", help="skip the `lawnb import` runs")
    parser.add_argument(
        "--cli-sizes", type=int, nargs="+", help="sizes for `lawnb import` (default: all)"
    )
    args = parser.parse_args(argv)
    sizes, repeat = (args.sizes, args.repeat) if not args.quick else ([10, 100], 1)
    cli_sizes = [] if args.no_cli else (args.cli_sizes or sizes)

    tmp = Path(tempfile.mkdtemp(prefix="lawnb-bench-import-"))
    try:
        tpls = templates()
        print(f"{len(tpls)} fictional reports as templates; sizes {sizes}; load {load():.1f}")
        rows = {}
        for size in sizes:
            folder = tmp / f"reports-{size}"
            make_folder(folder, size, tpls)
            runs = [read_extract(folder, trace=False) for _ in range(repeat)]
            traced = read_extract(folder, trace=True)
            cpu = median([r["cpu"] for r in runs])
            wall = median([r["wall"] for r in runs])
            r0 = runs[0]
            rows[size] = {
                "chars": r0["chars"],
                "bytes": r0["bytes"],
                "facts": r0["facts"],
                "cpu": cpu,
                "wall": wall,
                "cpus": [r["cpu"] for r in runs],
                "rss_growth_kb": median([r["rss_kb"] - r["rss0_kb"] for r in runs]),
                "rss_kb": median([r["rss_kb"] for r in runs]),
                "trace_peak": traced["trace_peak"],
            }
        print("\nread_report + extract_facts, one core, one process (median CPU time)")
        print(
            f"  {'reports':>7} {'chars':>9} {'MB':>6} {'facts':>6} {'CPU s':>7} {'chars/s':>9} "
            f"{'MB/s':>6} {'ms/report':>9} {'RSS+ MB':>8} {'RSS MB':>7} {'traced MB':>9}"
        )
        for size, r in rows.items():
            print(
                f"  {size:>7} {r['chars']:>9} {r['bytes'] / MB:>6.2f} {r['facts']:>6} "
                f"{r['cpu']:>7.2f} {r['chars'] / r['cpu']:>9.0f} {r['bytes'] / MB / r['cpu']:>6.2f} "
                f"{r['cpu'] / size * 1000:>9.1f} {r['rss_growth_kb'] / 1024:>8.1f} "
                f"{r['rss_kb'] / 1024:>7.1f} {r['trace_peak'] / MB:>9.2f}"
            )
        first = sizes[0]
        base = rows[first]
        print(f"  growth against {first} reports (1.00x = flat):")
        for size, r in rows.items():
            per = (r["cpu"] / size) / (base["cpu"] / first)
            print(
                f"    {size:>5}: CPU per report {per:.2f}x, throughput "
                f"{(r['chars'] / r['cpu']) / (base['chars'] / base['cpu']):.2f}x, traced peak "
                f"{r['trace_peak'] / base['trace_peak']:.2f}x, RSS growth "
                f"{r['rss_growth_kb'] / max(base['rss_growth_kb'], 1):.2f}x "
                f"(CPU runs {', '.join(f'{c:.2f}' for c in r['cpus'])})"
            )
        best = max(r["bytes"] / MB / r["cpu"] for r in rows.values())
        print(
            f"  target >= 1 MB of text per second on one core: "
            f"{'MET' if best >= 1 else 'NOT MET'} ({best:.2f} MB/s of UTF-8 files; "
            f"1 MB of UTF-8 Chinese is about 350,000 characters)"
        )

        if cli_sizes:
            print("\nlawnb import FOLDER --dataset TMP (CLI, a subprocess, one run per size)")
            cli = {}
            for size in cli_sizes:
                folder = tmp / f"reports-{size}"
                if not folder.exists():
                    make_folder(folder, size, tpls)
                result = cli_import(folder, tmp / f"dataset-{size}")
                cli[size] = result
                print(
                    f"  {size:>5} reports: {result['wall']:7.1f} s wall, {result['cpu']:7.1f} s CPU, "
                    f"{result['cpu'] / size * 1000:7.1f} ms CPU per report, peak RSS "
                    f"{result['rss_kb'] / 1024:7.1f} MB  ({result['stdout'].strip()[-80:]})",
                    flush=True,
                )
            first_cli = cli_sizes[0]
            for size, result in cli.items():
                per = (result["cpu"] / size) / (cli[first_cli]["cpu"] / first_cli)
                rss = result["rss_kb"] / cli[first_cli]["rss_kb"]
                print(
                    f"    {size:>5}: CPU per report {per:.2f}x, peak RSS {rss:.2f}x of {first_cli}"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
