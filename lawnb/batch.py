"""From params files to notebook jobs, and a batch run of them with its index page."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable, Sequence
from pathlib import Path

from lawnb.errors import ParamsError
from lawnb.params import NOTEBOOKS, plan_from_params


def plan_jobs(
    params_files: Sequence[Path],
    *,
    years: Iterable[int] | None = None,
    units: Sequence[str] | None = None,
    notebooks_dir: Path = Path("notebooks"),
    outputs: Path = Path("outputs"),
) -> list:
    """The notebook jobs that the params files ask for, narrowed to ``years`` and ``units``."""
    from lawnb.runner import Job

    wanted_years = set(years) if years else None
    jobs = []
    for file in params_files:
        plan = plan_from_params(Path(file), units=list(units) if units else None)
        if wanted_years is not None and plan.year not in wanted_years:
            continue
        for notebook in plan.notebooks:
            source = Path(notebooks_dir) / f"{notebook}.ipynb"
            if not source.exists():
                raise ParamsError(f"{file}: 找不到笔记本 {source}。请在项目根目录运行 lawnb run。")
            for unit in plan.units:
                jobs.append(
                    Job(
                        notebook=source.resolve(),
                        parameters={"unit": unit, "year": plan.year, "dataset": plan.dataset},
                        out_stem=(Path(outputs) / str(plan.year) / unit).resolve(),
                        title=f"{unit}{plan.year}年度法治政府建设情况分析",
                        label=f"{plan.year} {unit} {NOTEBOOKS[notebook]}",
                    )
                )
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
