"""``outputs/runs.json`` and ``outputs/index.html``: every page ``lawnb run`` made, in one list.

``write_index`` takes the outputs folder and a batch's ``JobResult`` list, merges them with the
runs recorded earlier and the pages found on disk, and writes both files. runs.json keeps one
entry per page (its ``error`` as text); the page is the Jinja template ``lawnb_index``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lawnb.errors import RunError
from lawnb.fileio import write_problem, write_text
from lawnb.names import NO_DISTRICT
from lawnb.run.datasets import is_fictional
from lawnb.run.export import TEMPLATE_DIR, page_css
from lawnb.run.jobs import JobResult, cell_number, now
from lawnb.run.layout import (
    NOTEBOOK_NAMES,
    OVERVIEW_NOTEBOOK,
    OVERVIEW_STEM,
    district_of_folder,
    year_of,
)

STATUS_FILE = "runs.json"
INDEX_FILE = "index.html"
#: The Jinja template of ``outputs/index.html`` (not an nbconvert template).
INDEX_TEMPLATE_DIR = TEMPLATE_DIR / "lawnb_index"
INDEX_TEMPLATE = "index.html.j2"


def _rel(path: Path, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def _district_from_path(parts: Sequence[str]) -> str | None:
    """The district of ``<year>/<district>/<name>`` ("" for 未知区县); None for another layout."""
    if len(parts) == 3 and year_of(parts[0]) is not None:
        return district_of_folder(parts[1])
    return None


def _blank_entry(stem: str) -> dict[str, Any]:
    parts = stem.split("/")
    district = _district_from_path(parts)
    is_overview = district is not None and parts[-1] == OVERVIEW_STEM
    return {
        "stem": stem,
        "year": year_of(parts[0]) if len(parts) > 1 else None,
        "district": district,
        "unit": "" if is_overview else parts[-1],
        "notebook": OVERVIEW_NOTEBOOK if is_overview else "",
        "title": "",
        "label": "",
        "fictional": False,
        "ok": None,
        "error": None,
        "failed_cell": None,
        "seconds": None,
        "updated": None,
    }


def _entry_from_result(result: JobResult, outputs_dir: Path, stamp: str) -> dict[str, Any]:
    job = result.job
    params = job.parameters
    entry = _blank_entry(_rel(job.out_stem, outputs_dir))
    year = year_of(params.get("year"))
    if year is not None:
        entry["year"] = year
    if job.district is not None:
        entry["district"] = job.district
    elif isinstance(params.get("district"), str):
        entry["district"] = params["district"]
    if job.unit is not None:
        entry["unit"] = job.unit
    elif params.get("unit"):
        entry["unit"] = str(params["unit"])
    entry.update(
        notebook=job.notebook.stem,
        title=job.title,
        label=job.label,
        fictional=bool(job.fictional),
        ok=result.ok,
        error=result.error,
        failed_cell=result.failed_cell,
        seconds=round(result.seconds, 1),
        updated=result.finished or stamp,
    )
    return entry


def _describe_from_ipynb(entry: dict[str, Any], path: Path) -> None:
    """Fill in a found page's notebook, unit, district and fictional mark from the executed
    notebook's papermill metadata (input path and parameters)."""
    with contextlib.suppress(Exception):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("papermill")
        input_path = meta.get("input_path")
        if input_path:
            entry["notebook"] = Path(input_path).stem
        params = meta.get("parameters") or {}
        if params.get("unit"):
            entry["unit"] = str(params["unit"])
        if isinstance(params.get("district"), str) and entry["district"] is not None:
            entry["district"] = params["district"]
        if "dataset" in params:
            entry["fictional"] = is_fictional(None, params.get("dataset") or None)


def _load_runs(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        runs = data["runs"]
        if not isinstance(runs, dict):
            raise TypeError("runs is not an object")
    except Exception as exc:
        raise RunError(
            f"运行记录文件 {path} 已损坏（{exc}）：请删除该文件后重新运行，索引将根据已有输出重建。"
        ) from exc
    return {str(key): value for key, value in runs.items() if isinstance(value, dict)}


def _page_files(folder: Path) -> list[Path]:
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.suffix in (".html", ".ipynb")
    ]


def _scan_outputs(outputs_dir: Path) -> dict[str, dict[str, Any]]:
    """Pages found on disk: ``outputs/<year>/<district>/*.html|*.ipynb`` and the pages of an
    older lawnb, ``outputs/<year>/*.html|*.ipynb``. Only the file times are read here."""
    found: dict[str, dict[str, Any]] = {}
    if not outputs_dir.is_dir():
        return found
    for year_dir in sorted(outputs_dir.iterdir()):
        if not year_dir.is_dir() or year_of(year_dir.name) is None:
            continue
        files = _page_files(year_dir)
        for district_dir in sorted(year_dir.iterdir()):
            if district_dir.is_dir() and not district_dir.name.startswith("."):
                files += _page_files(district_dir)
        for path in files:
            stem = _rel(path.with_suffix(""), outputs_dir)
            entry = found.setdefault(stem, _blank_entry(stem))
            modified = datetime.fromtimestamp(path.stat().st_mtime).isoformat(
                sep=" ", timespec="seconds"
            )
            entry["updated"] = max(entry["updated"] or "", modified)
            if path.suffix == ".html":
                entry["ok"] = True
    return found


def _supersedes_key(entry: Mapping[str, Any]) -> tuple[str, int | None, str]:
    """What a page is of: ("overview", year, district) or ("unit", year, unit)."""
    name = str(entry["stem"]).split("/")[-1]
    if len(str(entry["stem"]).split("/")) == 3:
        if entry.get("notebook") == OVERVIEW_NOTEBOOK or name == OVERVIEW_STEM:
            return ("overview", entry.get("year"), str(entry.get("district") or ""))
        return ("unit", entry.get("year"), str(entry.get("unit") or name))
    # An older lawnb's outputs/<year>/<unit> and outputs/<year>/<district>汇总.
    if entry.get("notebook") == OVERVIEW_NOTEBOOK or name.endswith(OVERVIEW_STEM):
        return ("overview", entry.get("year"), name.removesuffix(OVERVIEW_STEM))
    return ("unit", entry.get("year"), name)


def _drop_superseded(runs: dict[str, dict[str, Any]], outputs_dir: Path, fresh: set[str]) -> None:
    """Remove the pages an older lawnb wrote as ``outputs/<year>/<unit>`` once the same page
    exists as ``outputs/<year>/<district>/<unit>`` (their files and their index rows)."""
    current = {
        _supersedes_key(entry)
        for stem, entry in runs.items()
        if len(stem.split("/")) == 3 and _district_from_path(stem.split("/")) is not None
    }
    for stem, entry in list(runs.items()):
        parts = stem.split("/")
        if stem in fresh or len(parts) != 2 or year_of(parts[0]) is None:
            continue
        if _supersedes_key(entry) in current:
            base = outputs_dir / stem
            for suffix in (".html", ".ipynb"):
                with contextlib.suppress(FileNotFoundError):
                    base.with_name(base.name + suffix).unlink()
            del runs[stem]


@cache
def _index_template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(INDEX_TEMPLATE_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(INDEX_TEMPLATE)


def _href(path: Path, outputs_dir: Path) -> str:
    return quote(_rel(path, outputs_dir), safe="/")


def _index_rows(entries: Sequence[Mapping[str, Any]], outputs_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        stem = outputs_dir / entry["stem"]
        html_path = stem.with_name(stem.name + ".html")
        ipynb_path = stem.with_name(stem.name + ".ipynb")
        notebook = str(entry.get("notebook") or "")
        district = entry.get("district")
        cell = entry.get("failed_cell")
        seconds = entry.get("seconds")
        rows.append(
            {
                "year": entry.get("year") or "—",
                "district": NO_DISTRICT if district == "" else (district or "—"),
                "district_known": bool(district),
                "unit": entry.get("unit") or ("全部单位" if notebook == OVERVIEW_NOTEBOOK else "—"),
                "notebook": NOTEBOOK_NAMES.get(notebook, notebook) or "—",
                "fictional": bool(entry.get("fictional")),
                "ok": entry.get("ok"),
                "error": str(entry.get("error") or "未知错误"),
                "failed_cell": cell_number(cell),
                "html": _href(html_path, outputs_dir) if html_path.is_file() else None,
                "title": entry.get("title") or entry.get("unit") or stem.name,
                "ipynb": _href(ipynb_path, outputs_dir) if ipynb_path.is_file() else None,
                "ipynb_name": ipynb_path.name,
                "seconds": None if seconds is None else f"{seconds:.1f} 秒",
                "updated": entry.get("updated") or "",
            }
        )
    return rows


def _render_index(entries: Sequence[Mapping[str, Any]], outputs_dir: Path, stamp: str) -> str:
    rows = _index_rows(entries, outputs_dir)
    return _index_template().render(
        css=page_css(),
        rows=rows,
        stamp=stamp,
        n_ok=sum(row["ok"] is True for row in rows),
        n_fail=sum(row["ok"] is False for row in rows),
        n_fictional=sum(row["fictional"] for row in rows),
    )


def _order(entry: Mapping[str, Any]) -> tuple:
    """Newest year first; in a year, districts by name (units without one last), each district
    overview before its units."""
    district = entry.get("district")
    return (
        -(entry.get("year") or 0),
        not district,
        str(district or ""),
        entry.get("notebook") != OVERVIEW_NOTEBOOK,
        str(entry.get("unit") or ""),
        str(entry.get("notebook") or ""),
        entry["stem"],
    )


def write_index(outputs_dir: Path, results: Sequence[JobResult]) -> Path:
    """Merge ``results`` into ``outputs/runs.json`` and rewrite ``outputs/index.html``.

    One row per page: year, district, unit, the notebook's Chinese name, status, links, time
    taken and when that page was made; rows from a fictional dataset are marked 虚构示例数据.
    Runs recorded earlier and pages found in ``outputs/<year>/<district>/`` stay listed, so
    running one year keeps the others; entries whose files are all gone are dropped, and so are
    the pages an older lawnb wrote as ``outputs/<year>/<unit>`` once their successor exists.
    Newest year first. Returns the path of ``index.html``; raises ``RunError`` when the folder
    cannot be written (the notebooks' own files are not touched).
    """
    outputs_dir = Path(outputs_dir)
    stamp = now()
    status_path = outputs_dir / STATUS_FILE
    runs = _load_runs(status_path)
    fresh: set[str] = set()
    for result in results:
        entry = _entry_from_result(result, outputs_dir, stamp)
        runs[entry["stem"]] = entry
        fresh.add(entry["stem"])
    for stem, entry in _scan_outputs(outputs_dir).items():
        if stem not in runs:
            base = outputs_dir / stem
            _describe_from_ipynb(entry, base.with_name(base.name + ".ipynb"))
            runs[stem] = entry

    def exists(entry: Mapping[str, Any]) -> bool:
        # normpath: a page in a params file's own output folder is "../<folder>/…", and
        # "outputs/.." does not resolve while outputs/ itself does not exist yet.
        stem = Path(os.path.normpath(outputs_dir / entry["stem"]))
        return any(stem.with_name(stem.name + suffix).is_file() for suffix in (".html", ".ipynb"))

    kept = {stem: entry for stem, entry in runs.items() if exists(entry)}
    _drop_superseded(kept, outputs_dir, fresh)
    ordered = sorted(kept.values(), key=_order)
    index_path = outputs_dir / INDEX_FILE
    try:
        write_text(
            status_path,
            json.dumps(
                {"version": 1, "runs": {e["stem"]: e for e in ordered}},
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
        )
        write_text(index_path, _render_index(ordered, outputs_dir, stamp))
    except OSError as exc:
        raise RunError(f"索引页未更新：{write_problem(exc, index_path)}") from exc
    return index_path
