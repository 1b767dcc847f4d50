"""Batch bench: ``lawnb run`` against the naive papermill + nbconvert loop and the floor.

The same N unit-year annual reports of the demo district (示例区, dataset ``demo``) are made,
in the same run and alternating round by round, by

  (a) ``lawnb run --params ... --outputs TMP --no-progress --jobs 2`` (the CLI, a subprocess),
  (b) the loop a user would otherwise write, one report after the other::

          papermill notebooks/annual_report.ipynb OUT.ipynb -p unit U -p year Y -p dataset demo
          jupyter nbconvert --to html --no-input OUT.ipynb

  (c) the floor: ``lawnb run`` exactly as in (a) on the same N jobs, but with an EMPTY
      ``annual_report.ipynb`` (its parameters cell only), via ``--notebooks-dir``.

It prints seconds per report (wall clock, and CPU seconds of all processes), the speed-up b/a
and the ratio a/c per round and their medians, the HTML size of each report, and the time the
kernel spends importing lawnb. Other processes on the machine add noise: the 1-minute load
average is printed with every measurement; look at the medians and the spread.

With ``--candidate DIR`` (a folder holding a changed copy of ``lawnb/``), (a) and (c) are also
run with that copy first on PYTHONPATH (the CLI, its workers and the kernels all import it), in
the same rounds: a'/a is the candidate's gain, measured against the installed code.

Usage::

    python bench/batch.py              # N = 12 (4 units x 2021-2023), 3 rounds
    python bench/batch.py --rounds 5
    python bench/batch.py --quick      # N = 1, 1 round: a smoke run (< 1 minute), not the target
    python bench/batch.py --candidate /tmp/scratch   # /tmp/scratch/lawnb: a changed copy
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, Timed, load, median, noise, run_timed, spread, tool

UNITS = ["东湖镇", "北城街道", "南岭乡", "西山镇"]
YEARS = [2021, 2022, 2023]
NOTEBOOK = ROOT / "notebooks" / "annual_report.ipynb"
MB = 1024 * 1024
HTML_LIMIT = 1.5 * MB

IMPORT_PROBE = """\
import sys, time
_t = time.perf_counter()
import lawnb, lawnb.present.views, lawnb.present.charts
_lawnb = time.perf_counter() - _t
_heavy = sorted(m for m in ("pandas", "numpy", "matplotlib", "matplotlib.pyplot", "yaml")
                if m in sys.modules)
_t = time.perf_counter()
import pandas, matplotlib.figure
_rest = time.perf_counter() - _t
print("LAWNB_PROBE", {"lawnb": _lawnb, "pandas_mpl_after": _rest,
                      "heavy_after_lawnb": _heavy})
"""


def write_params(folder: Path, units: list[str], years: list[int]) -> list[Path]:
    """One params file per year asking for the annual report of ``units``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for year in years:
        path = folder / f"{year}.yaml"
        path.write_text(
            f"year: {year}\ndataset: demo\nunits: [{', '.join(units)}]\n"
            "notebooks: [annual_report]\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def write_empty_notebook(folder: Path) -> Path:
    """``annual_report.ipynb`` with the real notebook's parameters cell and nothing else."""
    source = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in source.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    nb.cells = [params[0]]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "annual_report.ipynb"
    nbformat.write(nb, path)
    return path


def write_probe_notebook(folder: Path) -> Path:
    source = nbformat.read(NOTEBOOK, as_version=4)
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    nb.cells = [nbformat.v4.new_code_cell(IMPORT_PROBE)]
    path = folder / "import_probe.ipynb"
    nbformat.write(nb, path)
    return path


def lawnb_run(
    params: list[Path],
    outputs: Path,
    notebooks_dir: Path | None = None,
    env: dict[str, str] | None = None,
) -> Timed:
    if outputs.exists():
        shutil.rmtree(outputs)
    cmd = [tool("lawnb"), "run"]
    for p in params:
        cmd += ["--params", str(p)]
    cmd += ["--outputs", str(outputs), "--no-progress", "--jobs", "2"]
    if notebooks_dir is not None:
        cmd += ["--notebooks-dir", str(notebooks_dir)]
    return run_timed(cmd, cwd=ROOT, env=env)


def naive_loop(reports: list[tuple[str, int]], outputs: Path) -> Timed:
    """papermill then nbconvert, one report after the other, as two commands each."""
    if outputs.exists():
        shutil.rmtree(outputs)
    outputs.mkdir(parents=True)
    total = Timed(0.0, 0.0, load(), 0.0)
    for unit, year in reports:
        out = outputs / f"{year}-{unit}.ipynb"
        for cmd in (
            [
                tool("papermill"),
                str(NOTEBOOK),
                str(out),
                "-p",
                "unit",
                unit,
                "-p",
                "year",
                str(year),
                "-p",
                "dataset",
                "demo",
            ],
            [tool("jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
        ):
            t = run_timed(cmd, cwd=ROOT)
            total.wall += t.wall
            total.cpu += t.cpu
    total.load_after = load()
    return total


def import_probe(probe: Path, out: Path) -> dict:
    run_timed([tool("papermill"), str(probe), str(out)], cwd=ROOT)
    nb = nbformat.read(out, as_version=4)
    for output in nb.cells[0].outputs:
        text = output.get("text", "")
        if "LAWNB_PROBE" in text:
            import ast

            return ast.literal_eval(text.split("LAWNB_PROBE", 1)[1].strip())
    raise SystemExit(f"import probe printed nothing: {out}")


def html_sizes(outputs: Path) -> dict[str, int]:
    return {
        f"{p.parent.name}/{p.stem}": p.stat().st_size
        for p in sorted(outputs.glob("*/*/*.html"))
        if p.name != "index.html"
    }


def check_outputs(outputs: Path, n: int, label: str) -> None:
    runs = json.loads((outputs / "runs.json").read_text(encoding="utf-8"))["runs"]
    bad = [stem for stem, e in runs.items() if not e.get("ok")]
    if len(runs) != n or bad:
        raise SystemExit(f"{label}: expected {n} good reports, got {len(runs)} (failed: {bad})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of a, b, c (default 3)")
    parser.add_argument("--quick", action="store_true", help="N = 1, 1 round (smoke run)")
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    parser.add_argument(
        "--candidate",
        type=Path,
        help="also run (a) and (c) with the lawnb package found in this folder (PYTHONPATH): "
        "a changed copy of the repository's lawnb/ to measure against the installed one",
    )
    parser.add_argument(
        "--candidate-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment variable for the candidate's runs (may repeat)",
    )
    args = parser.parse_args(argv)
    units, years, rounds = UNITS, YEARS, args.rounds
    if args.quick:
        units, years, rounds = UNITS[:1], [2022], 1
    reports = [(u, y) for y in years for u in units]
    n = len(reports)

    tmp = Path(tempfile.mkdtemp(prefix="lawnb-bench-batch-"))
    work = args.keep or tmp
    try:
        params = write_params(work / "params", units, years)
        empty_dir = work / "empty_notebooks"
        write_empty_notebook(empty_dir)
        probe = write_probe_notebook(work)
        print(f"N = {n} annual reports ({len(units)} units x {years}), {rounds} round(s), --jobs 2")
        print(f"python {sys.version.split()[0]}, {sys.executable}")
        results: dict[str, list[Timed]] = {"a": [], "b": [], "c": [], "a2": [], "c2": []}
        cand_env = None
        if args.candidate:
            cand_env = dict(os.environ, PYTHONPATH=str(args.candidate.resolve()))
            cand_env.update(v.split("=", 1) for v in args.candidate_env)
            print(f"candidate: lawnb from {args.candidate} {args.candidate_env or ''}")
        probes = []
        for r in range(1, rounds + 1):
            a = lawnb_run(params, work / "out_a")
            check_outputs(work / "out_a", n, "lawnb run")
            b = naive_loop(reports, work / "out_b")
            c = lawnb_run(params, work / "out_c", empty_dir)
            check_outputs(work / "out_c", n, "floor")
            probes.append(import_probe(probe, work / "import_probe.out.ipynb"))
            for key, t in zip("abc", (a, b, c), strict=True):
                results[key].append(t)
            line = (
                f"round {r}: s/report  a {a.wall / n:.2f}  b {b.wall / n:.2f}  c {c.wall / n:.2f}"
                f"  | b/a {b.wall / a.wall:.2f}x  a/c {a.wall / c.wall:.2f}x"
            )
            if cand_env is not None:
                a2 = lawnb_run(params, work / "out_a2", env=cand_env)
                check_outputs(work / "out_a2", n, "candidate")
                c2 = lawnb_run(params, work / "out_c2", empty_dir, env=cand_env)
                check_outputs(work / "out_c2", n, "candidate floor")
                results["a2"].append(a2)
                results["c2"].append(c2)
                line += (
                    f"  | candidate a {a2.wall / n:.2f} c {c2.wall / n:.2f}"
                    f" b/a {b.wall / a2.wall:.2f}x a/c {a2.wall / c2.wall:.2f}x"
                )
            print(f"{line}  | load {a.load_before:.1f}->{load():.1f}", flush=True)

        def per(key: str, attr: str = "wall") -> list[float]:
            return [getattr(t, attr) / n for t in results[key]]

        speedups = [b.wall / a.wall for a, b in zip(results["a"], results["b"], strict=True)]
        floors = [a.wall / c.wall for a, c in zip(results["a"], results["c"], strict=True)]
        cpu_speedups = [b.cpu / a.cpu for a, b in zip(results["a"], results["b"], strict=True)]
        cpu_floors = [a.cpu / c.cpu for a, c in zip(results["a"], results["c"], strict=True)]
        print()
        print("seconds per report, wall clock: median [min-max] over rounds (noise)")
        print(f"  (a) lawnb run --jobs 2        {spread(per('a'))}  ({noise(per('a'))})")
        print(f"  (b) papermill + nbconvert     {spread(per('b'))}  ({noise(per('b'))})")
        print(f"  (c) floor, empty notebooks    {spread(per('c'))}  ({noise(per('c'))})")
        print("CPU seconds per report (all processes: less sensitive to other load)")
        print(f"  (a) {spread(per('a', 'cpu'))}  (b) {spread(per('b', 'cpu'))}", end="")
        print(f"  (c) {spread(per('c', 'cpu'))}")
        print("ratios (per round, then median)")
        ok_speed = median(speedups) >= 4
        ok_floor = median(floors) <= 2
        print(
            f"  speed-up b/a  {spread(speedups)}x   target >= 4x: "
            f"{'MET' if ok_speed else 'NOT MET'}   (CPU b/a {spread(cpu_speedups)}x)"
        )
        print(
            f"  a/c (floor)   {spread(floors)}x   target <= 2x (aim 1.5x): "
            f"{'MET' if ok_floor else 'NOT MET'}   (CPU a/c {spread(cpu_floors)}x)"
        )

        if results["a2"]:
            a2s = [t.wall / n for t in results["a2"]]
            c2s = [t.wall / n for t in results["c2"]]
            sp2 = [b.wall / a.wall for a, b in zip(results["a2"], results["b"], strict=True)]
            fl2 = [a.wall / c.wall for a, c in zip(results["a2"], results["c2"], strict=True)]
            gain = [x.wall / y.wall for x, y in zip(results["a2"], results["a"], strict=True)]
            print("candidate (same rounds)")
            print(f"  (a') lawnb run, candidate     {spread(a2s)}  ({noise(a2s)})")
            print(f"  (c') floor, candidate         {spread(c2s)}  ({noise(c2s)})")
            print(
                f"  (a') CPU s/report {spread([t.cpu / n for t in results['a2']])}"
                f"  (c') {spread([t.cpu / n for t in results['c2']])}"
            )
            print(f"  a'/a (candidate against installed, per round)  {spread(gain)}x")
            print(
                f"  speed-up b/a' {spread(sp2)}x (target >= 4x: "
                f"{'MET' if median(sp2) >= 4 else 'NOT MET'});  a'/c' {spread(fl2)}x "
                f"(target <= 2x: {'MET' if median(fl2) <= 2 else 'NOT MET'}); "
                f"a'/c {median(a2s) / median(per('c')):.2f}x of the installed floor"
            )

        sizes = html_sizes(work / "out_a")
        print("\nHTML size of each report (lawnb run, last round)")
        for name, size in sizes.items():
            print(f"  {name:<16} {size / MB:6.2f} MB")
        biggest = max(sizes.values())
        print(
            f"  max {biggest / MB:.2f} MB, median {median(list(sizes.values())) / MB:.2f} MB; "
            f"target < 1.5 MB: {'MET' if biggest < HTML_LIMIT else 'NOT MET'}"
        )
        naive_sizes = [p.stat().st_size for p in (work / "out_b").glob("*.html")]
        print(f"  (naive loop's HTML, for comparison: max {max(naive_sizes) / MB:.2f} MB)")

        print("\nkernel import time (a fresh kernel, median over rounds)")
        print(
            f"  import lawnb, lawnb.present.views, lawnb.present.charts  {spread([p['lawnb'] for p in probes])} s"
        )
        print(
            f"  import pandas, matplotlib.figure after   "
            f"{spread([p['pandas_mpl_after'] for p in probes])} s"
        )
        print(f"  heavy modules loaded by importing lawnb: {probes[-1]['heavy_after_lawnb']}")
        if args.keep:
            print(f"\noutputs kept in {work}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
