"""Where one annual report's time goes: worker, kernel start, each cell, charts, export.

Runs, in this process, what a ``lawnb run`` worker does for one report (``lawnb.run.runner.render_job``:
``execute_notebook`` then ``nbformat.writes`` and ``export_html``) on the real annual report,
an empty notebook (the floor) and an instrumented copy of the annual report. The instrumented
copy times, inside the kernel and exclusive of each other: importing lawnb, loading the
dataset, the views (pandas work), building each chart, and the PNG rendering of each figure
(``lawnb.present.charts.figure_png``) split into its draws (a layout pass only if something asks for
a tight bounding box), tight bounding box and PNG encoding; DataFrame-to-HTML formatting; and
what is left (IPython, display, cell code).

Every figure is printed as seconds per report (median over ``--repeat`` runs) and as a share
of the whole; the floor run gives the baseline that the rest is measured against.

Usage::

    python bench/profile_report.py               # 东湖镇 2022, 3 repeats
    python bench/profile_report.py --repeat 5 --unit 南岭乡 --year 2023
    python bench/profile_report.py --quick       # 1 repeat
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, load, median

NOTEBOOK = ROOT / "notebooks" / "annual_report.ipynb"

# Runs first in the kernel: time the imports, then wrap the functions to time.
SETUP_CELL = r"""
import time as _lt
_lawnb_t0 = _lt.perf_counter()
import lawnb, lawnb.present.views, lawnb.present.charts, lawnb.present.parameters, lawnb.store.dataset
_lawnb_import = _lt.perf_counter() - _lawnb_t0

def _lawnb_instrument():
    import functools, inspect, sys
    from collections import defaultdict
    import matplotlib, matplotlib.image, pandas
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.figure import Figure

    excl, count, stack = defaultdict(float), defaultdict(int), []
    state = {"draws": 0, "cells": [], "cell_start": None}

    def timed(key, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            k = key(args) if callable(key) else key
            stack.append([k, 0.0])
            start = _lt.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                dt = _lt.perf_counter() - start
                _, child = stack.pop()
                excl[k] += dt - child
                count[k] += 1
                if stack:
                    stack[-1][1] += dt
        return wrapper

    def patch_module_functions(module, key_of):
        for name, fn in list(vars(module).items()):
            if inspect.isfunction(fn) and fn.__module__ == module.__name__:
                key = key_of(name)
                if key:
                    new = timed(key, fn)
                    for mod in list(sys.modules.values()):
                        if getattr(mod, "__name__", "").startswith("lawnb") and \
                                vars(mod).get(name) is fn:
                            setattr(mod, name, new)

    patch_module_functions(lawnb.present.views, lambda n: "views (pandas)")
    patch_module_functions(lawnb.present.charts, lambda n: "charts: build" if n in lawnb.present.charts.__all__
                           and n not in ("setup", "source_line") else None)
    fonts = lawnb.present.charts.fonts
    fonts.ensure_font = timed("charts: font set-up", fonts.ensure_font)
    patch_module_functions(lawnb.store.dataset, lambda n: "dataset load" if n == "load_dataset" else None)
    patch_module_functions(lawnb.present.parameters, lambda n: "validate parameters"
                           if n == "validate_notebook_parameters" else None)

    orig_print = FigureCanvasBase.print_figure
    def print_figure(self, *args, **kwargs):
        state["draws"] = 0
        state["tight"] = kwargs.get("bbox_inches") == "tight"
        return orig_print(self, *args, **kwargs)
    FigureCanvasBase.print_figure = timed("png: other", print_figure)
    orig_draw = Figure.draw
    def draw(self, renderer):
        state["draws"] += 1
        return orig_draw(self, renderer)
    Figure.draw = timed(lambda a: "png: layout pass (draw, no render)"
                        if state.get("tight") and state["draws"] == 1
                        else "png: draw (layout and render)",
                        lambda self, renderer: draw(self, renderer))
    Figure.get_tightbbox = timed("png: tight bbox", Figure.get_tightbbox)
    matplotlib.image.imsave = timed("png: encode", matplotlib.image.imsave)
    pandas.DataFrame._repr_html_ = timed("DataFrame to HTML", pandas.DataFrame._repr_html_)

    shell = get_ipython()
    def pre(*_):
        state["cell_start"] = _lt.perf_counter()
    def post(*_):
        if state["cell_start"] is not None:
            state["cells"].append(_lt.perf_counter() - state["cell_start"])
    shell.events.register("pre_run_cell", pre)
    shell.events.register("post_run_cell", post)
    return excl, count, state

_lawnb_excl, _lawnb_count, _lawnb_state = _lawnb_instrument()
"""

REPORT_CELL = r"""
import json as _lj
print("LAWNB_PROFILE" + _lj.dumps({
    "import": _lawnb_import,
    "excl": dict(_lawnb_excl), "count": dict(_lawnb_count),
    "cells": _lawnb_state["cells"],
}))
"""


def instrumented_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP_CELL))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    path = folder / "annual_report_profiled.ipynb"
    nbformat.write(nb, path)
    return path


def empty_notebook(folder: Path) -> Path:
    import nbformat

    source = nbformat.read(NOTEBOOK, as_version=4)
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    nb.cells = [c for c in source.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def cell_durations(nb) -> list[float]:  # type: ignore[no-untyped-def]
    return [
        float(c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in nb.cells
        if c.cell_type == "code"
    ]


def worker_side(notebook: Path, parameters: dict, out: Path) -> dict:
    """What ``lawnb.run.runner.render_job`` does, with a timer on each step."""
    import nbformat

    from lawnb.run.execute import execute_notebook
    from lawnb.run.export import export_html
    from lawnb.run.jobs import Job

    job = Job(notebook=notebook, parameters=parameters, out_stem=out / "x", title="测试")
    t0 = time.perf_counter()
    nb, error = execute_notebook(job)
    t1 = time.perf_counter()
    nbformat.writes(nb)
    t2 = time.perf_counter()
    html = export_html(nb, title=job.title) if error is None else ""
    t3 = time.perf_counter()
    if error:
        raise SystemExit(f"{notebook.name} failed: {error}")
    return {
        "execute": t1 - t0,
        "writes": t2 - t1,
        "export": t3 - t2,
        "cells": cell_durations(nb),
        "nb": nb,
        "html_bytes": len(html.encode()),
    }


def kernel_start_stop() -> tuple[float, float]:
    from jupyter_client.manager import start_new_kernel

    t0 = time.perf_counter()
    km, kc = start_new_kernel(
        kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=CRITICAL"]
    )
    t1 = time.perf_counter()
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return t1 - t0, time.perf_counter() - t1


def worker_imports() -> float:
    code = (
        "import time; t = time.perf_counter(); import lawnb.run.runner, papermill, nbconvert; "
        "from nbconvert import HTMLExporter; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def profile_from(nb) -> dict:  # type: ignore[no-untyped-def]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            if "LAWNB_PROFILE" in text:
                return json.loads(text.split("LAWNB_PROFILE", 1)[1])
    raise SystemExit("the instrumented notebook printed no profile")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--unit", default="东湖镇")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--quick", action="store_true", help="one repeat")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    params = {"unit": args.unit, "year": args.year, "dataset": "demo"}
    print(f"{args.unit} {args.year} (demo), {repeat} repeat(s); load {load():.1f}")

    with tempfile.TemporaryDirectory(prefix="lawnb-profile-") as tmp:
        folder = Path(tmp)
        nb_prof = instrumented_notebook(folder)
        nb_empty = empty_notebook(folder)
        runs: dict[str, list[dict]] = defaultdict(list)
        kstart, kstop, wimport = [], [], []
        for _ in range(repeat):
            wimport.append(worker_imports())
            a, b = kernel_start_stop()
            kstart.append(a)
            kstop.append(b)
            runs["real"].append(worker_side(NOTEBOOK, params, folder))
            runs["empty"].append(worker_side(nb_empty, params, folder))
            runs["profiled"].append(worker_side(nb_prof, params, folder))
        print(f"load after: {load():.1f}\n")

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in runs[kind]])

    real_total = med("real", "execute") + med("real", "writes") + med("real", "export")
    empty_total = med("empty", "execute") + med("empty", "writes") + med("empty", "export")
    real_cells = median([sum(r["cells"]) for r in runs["real"]])
    empty_cells = median([sum(r["cells"]) for r in runs["empty"]])
    n_cells = len(runs["real"][0]["cells"])
    print("worker side, seconds per report (median), real annual report vs empty notebook")
    rows = [
        (
            "worker imports lawnb.run+papermill+nbconvert (once per worker)",
            median(wimport),
            None,
        ),
        ("kernel start to ready (jupyter_client, measured apart)", median(kstart), None),
        ("kernel shutdown (graceful, measured apart)", median(kstop), None),
        ("papermill execute_notebook, total", med("real", "execute"), med("empty", "execute")),
        (f"  of which cells as timed by papermill ({n_cells} code cells)", real_cells, empty_cells),
        (
            "  of which the rest (kernel start/stop, papermill set-up, saves)",
            med("real", "execute") - real_cells,
            med("empty", "execute") - empty_cells,
        ),
        ("nbformat.writes", med("real", "writes"), med("empty", "writes")),
        ("export_html (nbconvert in-process)", med("real", "export"), med("empty", "export")),
        ("total per report (no file writes)", real_total, empty_total),
    ]
    for name, value, floor in rows:
        extra = f"{floor:7.3f}" if floor is not None else "       "
        print(f"  {name:<68} {value:7.3f} {extra}")
    print(f"  ratio real/empty: {real_total / empty_total:.2f}x")
    exports = ", ".join(f"{r['export']:.2f}" for r in runs["real"])
    print(
        f"  export_html per run: {exports} "
        "(the first in a process pays nbconvert's template loading)"
    )

    profiles = [profile_from(r["nb"]) for r in runs["profiled"]]
    keys = sorted({k for p in profiles for k in p["excl"]})
    # papermill's cell durations without the set-up cell (first) and the report cell (last)
    kernel_cells = [sum(p["cells"]) for p in profiles]
    paper_cells = [sum(r["cells"][1:-1]) for r in runs["profiled"]]
    total_kernel = median([sum(p["cells"]) + p["import"] for p in profiles])
    print("\nkernel side (instrumented copy), exclusive seconds per report (median)")
    table = [
        (
            "import lawnb, lawnb.present.views, lawnb.present.charts",
            median([p["import"] for p in profiles]),
        )
    ]
    for key in keys:
        table.append((key, median([p["excl"].get(key, 0.0) for p in profiles])))
    accounted = sum(v for _, v in table)
    table.append(("rest: IPython, display, cell code", total_kernel - accounted))
    for name, value in table:
        count = profiles[-1]["count"].get(name, "")
        print(f"  {name:<48} {value:7.3f}  {value / total_kernel * 100:5.1f}%  {count}")
    print(f"  {'total inside the kernel':<48} {total_kernel:7.3f}")
    overhead = median([p - k for p, k in zip(paper_cells, kernel_cells, strict=True)])
    n = len(profiles[-1]["cells"])
    print(
        f"  papermill/nbclient per-cell overhead (messages, saves): {overhead:.3f} s over {n} "
        f"cells = {overhead / n * 1000:.0f} ms per cell"
    )
    draws = profiles[-1]["count"].get("png: draw (layout and render)", 0)
    layouts = profiles[-1]["count"].get("png: layout pass (draw, no render)", 0)
    print(f"  figures rendered: {draws}; layout passes: {layouts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
