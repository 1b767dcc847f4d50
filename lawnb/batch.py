"""From params files to notebook jobs, and a batch run of them with its index page."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from lawnb.errors import ParamsError
from lawnb.params import NOTEBOOKS, RunPlan, check_unit_name, districts_of, plan_from_params


@cache
def declared_parameters(notebook: Path) -> frozenset[str]:
    """The parameters a notebook's ``parameters`` cell declares (read by papermill)."""
    import papermill

    return frozenset(papermill.inspect_notebook(str(notebook)))


def _job(notebook: Path, parameters: dict[str, Any], out_stem: Path, title: str, label: str):  # type: ignore[no-untyped-def]
    from lawnb.runner import Job

    undeclared = set(parameters) - declared_parameters(notebook)
    if undeclared:
        raise ParamsError(
            f"{notebook.name} 没有声明参数 {', '.join(sorted(undeclared))}；"
            f"它的参数是：{', '.join(sorted(declared_parameters(notebook)))}。"
        )
    return Job(
        notebook=notebook, parameters=parameters, out_stem=out_stem, title=title, label=label
    )


def _jobs_of_plan(plan: RunPlan, notebook: str, source: Path, outputs: Path) -> list:
    folder = (Path(outputs) / str(plan.year)).resolve()
    if notebook == "district_overview":
        assert plan.loaded is not None
        return [
            _job(
                source,
                {"year": plan.year, "dataset": plan.dataset, "district": district},
                folder / f"{check_unit_name(district, str(plan.file))}汇总",
                f"{district}{plan.year}年度法治政府建设情况汇总",
                f"{plan.year} {district} {NOTEBOOKS[notebook]}",
            )
            for district in districts_of(plan.loaded, plan.year, plan.units)
        ]
    return [
        _job(
            source,
            {"unit": unit, "year": plan.year, "dataset": plan.dataset},
            folder / unit,
            f"{unit}{plan.year}年度法治政府建设情况分析",
            f"{plan.year} {unit} {NOTEBOOKS[notebook]}",
        )
        for unit in plan.units
    ]


def plan_jobs(
    params_files: Sequence[Path],
    *,
    years: Iterable[int] | None = None,
    units: Sequence[str] | None = None,
    notebooks_dir: Path = Path("notebooks"),
    outputs: Path = Path("outputs"),
) -> list:
    """The notebook jobs that the params files ask for, narrowed to ``years`` and ``units``."""
    wanted_years = set(years) if years else None
    jobs = []
    for file in params_files:
        plan = plan_from_params(Path(file), units=list(units) if units else None)
        if wanted_years is not None and plan.year not in wanted_years:
            continue
        for notebook in plan.notebooks:
            source = (Path(notebooks_dir) / f"{notebook}.ipynb").resolve()
            if not source.exists():
                raise ParamsError(f"{file}: 找不到笔记本 {source}。请在项目根目录运行 lawnb run。")
            jobs.extend(_jobs_of_plan(plan, notebook, source, outputs))
    if wanted_years is not None and not jobs:
        raise ParamsError(f"参数文件中没有所选年度 {sorted(wanted_years)} 的内容。")
    return jobs


def run_plans(
    jobs: Sequence,
    *,
    outputs: Path,
    max_workers: int | None,
    timeout: int | None,
    progress: bool,
    executor: concurrent.futures.Executor | None = None,
) -> list:
    """Run the jobs in parallel, write their files and the index page; return the results."""
    from lawnb.runner import run_jobs, write_index

    results = run_jobs(
        jobs, max_workers=max_workers, timeout=timeout, progress=progress, executor=executor
    )
    write_index(Path(outputs), results)
    return results
