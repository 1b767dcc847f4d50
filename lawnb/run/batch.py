"""From params files to notebook jobs, and a batch run of them with its index page.

``plan_jobs`` takes params files and a dataset loader and gives the ``Job`` list they ask for:
one page per report, ``outputs/<year>/<district>/<unit>``, and one overview per district.
``run_plans`` runs the jobs, writes their files and the index page, and gives the results.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from lawnb.errors import ParamsError
from lawnb.names import NO_DISTRICT
from lawnb.run.datasets import OpenDataset
from lawnb.run.index import write_index
from lawnb.run.jobs import Job, JobResult
from lawnb.run.layout import NOTEBOOKS, OVERVIEW_NOTEBOOK, OVERVIEW_STEM, page_stem
from lawnb.run.params import RunPlan, plan_from_params, read_params
from lawnb.run.runner import run_jobs


@cache
def declared_parameters(notebook: Path) -> frozenset[str]:
    """The parameters a notebook's ``parameters`` cell declares (read by papermill)."""
    import papermill

    return frozenset(papermill.inspect_notebook(str(notebook)))


def _job(
    notebook: Path, parameters: dict[str, Any], out_stem: Path, title: str, label: str, **index: Any
) -> Job:
    """A ``Job``, refused when the notebook does not declare one of the parameters.

    ``index`` holds what the index page shows of the job (``district``, ``unit``,
    ``fictional``; see ``lawnb.run.jobs.Job``).
    """
    undeclared = set(parameters) - declared_parameters(notebook)
    if undeclared:
        raise ParamsError(
            f"{notebook.name} 没有声明参数 {', '.join(sorted(undeclared))}；"
            f"它的参数是：{', '.join(sorted(declared_parameters(notebook)))}。"
        )
    return Job(
        notebook=notebook,
        parameters=parameters,
        out_stem=out_stem,
        title=title,
        label=label,
        **index,
    )


def _label(*parts: object) -> str:
    return " ".join(str(part) for part in parts if part)


def _jobs_of_plan(plan: RunPlan, notebook: str, source: Path, outputs: Path) -> list[Job]:
    """The jobs of one notebook for one plan: one page per report (district, unit), or one
    overview per district, written to ``outputs/<year>/<district>/``."""
    year_folder = (Path(outputs) / str(plan.year)).resolve()
    name = NOTEBOOKS[notebook]

    def stem(district: str, unit: str) -> Path:
        return page_stem(year_folder, district, unit, f"{plan.file}（数据集 {plan.dataset}）")

    if notebook == OVERVIEW_NOTEBOOK:
        districts = sorted({district for district, _ in plan.reports if district})
        return [
            _job(
                source,
                {"year": plan.year, "dataset": plan.dataset, "district": district},
                stem(district, OVERVIEW_STEM),
                f"{district}{plan.year}年度法治政府建设情况汇总",
                _label(plan.year, district, name),
                district=district,
                unit="",
                fictional=plan.fictional,
                timeout=plan.timeout,
            )
            for district in districts
        ]
    assert plan.loaded is not None
    declares_district = "district" in declared_parameters(source)
    jobs = []
    for district, unit in plan.reports:
        parameters: dict[str, Any] = {"unit": unit, "year": plan.year, "dataset": plan.dataset}
        if declares_district:
            parameters["district"] = district
        elif len(districts := plan.loaded.districts_of_unit(unit, plan.year)) > 1:
            raise ParamsError(
                f"{plan.file}: {plan.year}年有{len(districts)}个“{unit}”（"
                f"{'、'.join(d or NO_DISTRICT for d in districts)}），"
                f"但 {source.name} 没有声明参数 district，无法区分。请在它的 parameters 单元加入 "
                'district: str = ""，并传给 validate_notebook_parameters(unit, year, dataset, district)。'
            )
        shown = unit if not district or unit.startswith(district) else f"{district}{unit}"
        jobs.append(
            _job(
                source,
                parameters,
                stem(district, unit),
                f"{shown}{plan.year}年度法治政府建设情况分析",
                _label(plan.year, district, unit, name),
                district=district,
                unit=unit,
                fictional=plan.fictional,
                timeout=plan.timeout,
            )
        )
    return jobs


def plan_jobs(
    params_files: Sequence[Path],
    *,
    open_dataset: OpenDataset,
    years: Iterable[int] | None = None,
    units: Sequence[str] | None = None,
    notebooks_dir: Path = Path("notebooks"),
    outputs: Path = Path("outputs"),
) -> list[Job]:
    """The notebook jobs that the params files ask for, narrowed to ``years`` and ``units``.

    ``open_dataset`` loads the dataset each file names (see ``plan_from_params``).
    """
    wanted_years = set(years) if years else None
    jobs: list[Job] = []
    made_by: dict[Path, Path] = {}  # output stem → the params file that asked for it
    found: set[str] = set()  # the --unit entries some params file has a report of
    known: set[str] = set()  # the units of the years asked for, to name in an error
    for file in params_files:
        if wanted_years is not None and not _may_be_of(Path(file), wanted_years):
            continue  # before any check: a file of another year may name other units
        plan = plan_from_params(
            Path(file), open_dataset=open_dataset, units=list(units) if units else None
        )
        if units:
            found |= {u for u in units if _asked_for(u, plan.reports)}
            if plan.loaded is not None:
                known |= {u for u in plan.loaded.units() if plan.year in plan.loaded.years(u)}
            if not plan.reports:
                continue
        for notebook in plan.notebooks:
            source = (Path(notebooks_dir) / f"{notebook}.ipynb").resolve()
            if not source.exists():
                raise ParamsError(f"{file}: 找不到笔记本 {source}。请在项目根目录运行 lawnb run。")
            for job in _jobs_of_plan(plan, notebook, source, plan.output or outputs):
                _claim(made_by, job.out_stem, Path(file))
                jobs.append(job)
    if wanted_years is not None and not jobs and not units:
        raise ParamsError(f"参数文件中没有所选年度 {sorted(wanted_years)} 的内容。")
    missing = [u for u in units or [] if u not in found]
    if missing:
        years_said = (
            f"{'、'.join(map(str, sorted(wanted_years)))}年" if wanted_years else "任何年度"
        )
        raise ParamsError(
            f"--unit {'、'.join(missing)}：所选参数文件（{'、'.join(str(f) for f in params_files)}）"
            f"在{years_said}的数据集中都没有这个单位的报告。已有单位：{'、'.join(sorted(known)) or '（无）'}。"
            "请检查单位名称，或用 --params 指定参数文件。"
        )
    return jobs


def _may_be_of(file: Path, years: set[int]) -> bool:
    """Whether a params file may be of one of ``years``: its ``year``, or, when the file cannot
    be read, the year its name starts with (``params/2021.yaml``); unknown counts as yes, so
    that the file's own error is shown."""
    try:
        year = read_params(file).get("year")
    except ParamsError:
        named = re.match(r"(\d{4})", file.stem)
        return named is None or int(named.group(1)) in years
    # A year that is not a number: the file's own check names it.
    return not isinstance(year, int) or isinstance(year, bool) or year in years


def _asked_for(entry: str, reports: list[tuple[str, str]]) -> bool:
    """True when a ``--unit`` entry (``unit`` or ``district/unit``) is among the reports."""
    district, _, unit = entry.rpartition("/")
    return any(u == unit and (not district or d == district) for d, u in reports)


def _claim(made_by: dict[Path, Path], out_stem: Path, file: Path) -> None:
    """Record that ``file`` makes ``out_stem``; a ``ParamsError`` naming both files on a clash."""
    key = out_stem.resolve()
    if key in made_by and made_by[key] != file:
        raise ParamsError(
            f"{made_by[key]} 与 {file} 都要生成 {out_stem}（同一年度、同一单位）。"
            "请删除或改名其中一个参数文件，或用 --params 只运行其中一个。"
        )
    made_by[key] = file


def run_plans(
    jobs: Sequence[Job],
    *,
    outputs: Path,
    max_workers: int | None,
    timeout: int | None,
    progress: bool,
    executor: concurrent.futures.Executor | None = None,
) -> list[JobResult]:
    """Run the jobs in parallel, write their files and the index page; return the results."""
    results = run_jobs(
        jobs, max_workers=max_workers, timeout=timeout, progress=progress, executor=executor
    )
    write_index(Path(outputs), results)
    return results
