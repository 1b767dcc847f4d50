"""Charts bench: build + render every chart of the demo reports, these charts against a baseline.

Every figure that the annual reports (12 demo unit-years) and the district overviews (3 years)
display is built and rendered to PNG the way the notebooks show it: with the variant's
``figure_png`` when it has one, else the way ``%matplotlib inline`` does (IPython's
``print_figure(fig, "png", bbox_inches="tight")``, at the figure's dpi). Each variant runs in a
fresh process (the first chart of a kernel pays the font set-up), rounds alternate the
variants, and CPU time (``time.process_time``: less sensitive to other processes than the
wall clock) is split into build (the chart function) and render (layout, draw, PNG).

The baseline is the package as committed (``git archive REF lawnb``, REF from
``--baseline-ref``, default HEAD) unless ``--baseline DIR`` names another checkout; either
layout works (``lawnb.present.charts`` or the older flat ``lawnb.charts``). The speed-ups of
the rendering work were measured with ``--baseline-ref 0f4a837`` (the last commit before them). The PNGs of both are compared: the look must not
change, so every image must be identical (or, with ``--tolerance``, differ by at most that many
grey levels in any pixel).

Usage::

    python bench/charts.py                 # 5 rounds
    python bench/charts.py --quick         # 1 round, 4 reports
    python bench/charts.py --save-png DIR  # also write both variants' PNGs into DIR
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, load, median

# Runs in a fresh interpreter: argv = checkout holding lawnb/, output folder, number of reports.
WORKER = r"""
import json, sys, time
from pathlib import Path
t0 = time.process_time()
sys.path.insert(0, sys.argv[1])
try:
    from lawnb.present import charts, views
except ImportError:  # a checkout from before the stage packages
    from lawnb import charts, views
from lawnb import load_dataset
from IPython.core.pylabtools import print_figure
import matplotlib.figure, matplotlib.backends.backend_agg
ds = load_dataset("demo")
out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
limit = int(sys.argv[3])
t_import = time.process_time() - t0

jobs = []  # (name, chart function, args, kwargs)
units = ["东湖镇", "北城街道", "南岭乡", "西山镇"]
reports = [(u, y) for y in (2021, 2022, 2023) for u in units][:limit]
for unit, year in reports:
    view = views.annual_view(ds, unit, year)
    p = f"{year}-{unit}-"
    jobs.append((p + "by_dimension", charts.by_dimension, (view.facts,), {"source": view.source}))
    for i, (title, rows) in enumerate(views.chart_groups(view.facts)):
        jobs.append((p + f"bars{i}", charts.indicator_bars, (rows,),
                     {"title": title, "source": view.source}))
    for i, whole in enumerate(views.compositions(view.facts)):
        jobs.append((p + f"composition{i}", charts.composition, (view.facts,),
                     {"of": whole, "source": view.source}))
    changes = views.comparison(ds, view)
    if not changes.changes.empty:
        jobs.append((p + "year_on_year", charts.year_on_year, (changes.changes,),
                     {"source": view.source}))
    kept = views.promises(ds, view)
    if not kept.chart.empty:
        jobs.append((p + "targets", charts.targets_vs_results, (kept.chart,),
                     {"source": view.source}))
for year in sorted({y for _, y in reports}):
    dv = views.district_view(ds, year)
    jobs.append((f"{year}-district-parts", charts.parts_present, (dv.tables["parts"],),
                 {"source": dv.source}))
    jobs.append((f"{year}-district-coverage", charts.coverage_heatmap, (dv.tables["coverage"],),
                 {"source": dv.source}))
build = render = 0.0
first = None
for name, func, args, kwargs in jobs:
    a = time.process_time()
    fig = func(*args, **kwargs)
    b = time.process_time()
    if hasattr(charts, "figure_png"):
        png = charts.figure_png(fig)[0]
    else:
        png = print_figure(fig, "png", bbox_inches="tight")
    c = time.process_time()
    build += b - a
    render += c - b
    if first is None:
        first = c - a
    (out / f"{name}.png").write_bytes(png)
print(json.dumps({"n": len(jobs), "build": build, "render": render, "first": first,
                  "import": t_import}))
"""


def run_variant(checkout: Path, out: Path, limit: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(checkout), str(out), str(limit)],
        capture_output=True,
        text=True,
        cwd=out.parent,
    )
    if proc.returncode:
        raise SystemExit(f"{checkout}: failed\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def compare_pngs(a: Path, b: Path, tolerance: int) -> tuple[int, int, list[str]]:
    """(identical files, files within tolerance, names of the others)."""
    import numpy as np
    from PIL import Image

    same = close = 0
    bad = []
    for fa in sorted(a.glob("*.png")):
        fb = b / fa.name
        if fa.read_bytes() == fb.read_bytes():
            same += 1
            continue
        ia = np.asarray(Image.open(fa).convert("RGBA"), dtype=int)
        ib = np.asarray(Image.open(fb).convert("RGBA"), dtype=int)
        if ia.shape == ib.shape and np.abs(ia - ib).max() <= tolerance:
            close += 1
        else:
            diff = "size" if ia.shape != ib.shape else f"max {np.abs(ia - ib).max()}"
            bad.append(f"{fa.name} ({diff})")
    return same, close, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="baseline checkout (a folder holding lawnb/)")
    parser.add_argument(
        "--baseline-ref", default="HEAD", help="git revision of the baseline (default HEAD)"
    )
    parser.add_argument("--tolerance", type=int, default=0, help="grey levels per pixel")
    parser.add_argument("--quick", action="store_true", help="1 round, 4 reports")
    parser.add_argument("--save-png", type=Path, help="keep the PNGs of both variants here")
    args = parser.parse_args(argv)
    rounds, limit = (1, 4) if args.quick else (args.rounds, 12)

    with tempfile.TemporaryDirectory(prefix="lawnb-bench-charts-") as tmp_name:
        tmp = args.save_png or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        baseline = args.baseline
        if baseline is None:
            baseline = Path(tmp_name) / "baseline-src"
            baseline.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.baseline_ref, "lawnb"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        current = ROOT
        variants = {"baseline": baseline, "current": current}
        results: dict[str, list[dict]] = {name: [] for name in variants}
        print(f"baseline {baseline}\ncurrent  {current}\nload {load():.1f}")
        for r in range(rounds):
            order = list(variants) if r % 2 == 0 else list(variants)[::-1]
            for name in order:
                results[name].append(run_variant(variants[name], tmp / name, limit))
            line = "  ".join(
                f"{n} build {results[n][-1]['build']:.2f} render {results[n][-1]['render']:.2f}"
                for n in variants
            )
            print(f"round {r + 1}: {line}  (CPU s)", flush=True)
        n = results["current"][0]["n"]
        print(f"\n{n} figures per run; CPU seconds per figure, median over {rounds} round(s)")
        base = {k: median([x[k] for x in results["baseline"]]) for k in ("build", "render")}
        for name in variants:
            build = median([x["build"] for x in results[name]])
            render = median([x["render"] for x in results[name]])
            first = median([x["first"] for x in results[name]])
            total = build + render
            ratio = total / (base["build"] + base["render"])
            print(
                f"  {name:<9} build {build / n * 1000:6.1f} ms  render {render / n * 1000:6.1f} ms"
                f"  total {total / n * 1000:6.1f} ms  ({ratio:.2f}x of baseline)"
                f"  first chart of the process {first * 1000:.0f} ms"
            )
        same, close, bad = compare_pngs(tmp / "baseline", tmp / "current", args.tolerance)
        print(
            f"PNGs: {same} identical, {close} within {args.tolerance} grey levels, "
            f"{len(bad)} different{': ' + ', '.join(bad[:8]) if bad else ''}"
        )
        if args.save_png:
            print(f"PNGs kept in {args.save_png}/baseline and {args.save_png}/current")
        return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
