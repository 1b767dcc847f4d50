"""``lawnb run``: plan the jobs of the params files, run them, print what became of each.

Takes the parsed command line; gives 0 when every notebook succeeded, 1 when one failed, and
128 + the signal's number (143 for SIGTERM, 129 for SIGHUP) when told to stop: its workers and
kernels are stopped first; pages finished before stay, the others are not written. The
planner gets the store's dataset loader from here (the run stage imports no other stage).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
from pathlib import Path

from lawnb.cli import non_empty, positive_int, report_year, year_range
from lawnb.errors import LawnbError

#: Seconds a cell may run when neither the command line nor the params file says.
DEFAULT_TIMEOUT = 600


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``lawnb run``."""
    run = commands.add_parser(
        "run", help="运行 params/*.yaml 中的全部分析笔记本并导出 HTML (run the notebooks)"
    )
    run.add_argument(
        "--params", type=Path, action="append", help="参数文件（可多次）；默认 params/*.yaml"
    )
    run.add_argument("--year", type=report_year, action="append", help="只运行这一年度（可多次）")
    run.add_argument("--years", type=year_range, help="年度范围，如 2019-2021")
    run.add_argument("--unit", type=non_empty, action="append", help="只运行这个单位（可多次）")
    run.add_argument("--jobs", type=positive_int, default=None, help="并行进程数（默认：CPU 核数）")
    run.add_argument(
        "--timeout",
        type=positive_int,
        help="每个代码单元最多运行的秒数，超过即判为失败（默认：参数文件的 timeout，否则 600）"
        " (seconds per cell; overrides the params files' timeout)",
    )
    run.add_argument(
        "--outputs", type=Path, default=Path("outputs"), help="输出文件夹（默认 outputs/）"
    )
    run.add_argument(
        "--notebooks-dir", type=Path, default=Path("notebooks"), help=argparse.SUPPRESS
    )
    run.add_argument(
        "--executor",
        default="process",
        help="在哪里运行：process（本机多进程，默认）、dask（Dask 集群，配合 --scheduler）"
        "或 模块:函数（返回 concurrent.futures.Executor 的工厂）",
    )
    run.add_argument("--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    run.add_argument("--no-progress", action="store_true", help="不显示进度条")
    run.set_defaults(handler=_run)


def _years(args: argparse.Namespace) -> set[int]:
    """The years of ``--year`` and ``--years 2019-2021`` (empty: every year)."""
    return set(args.year or []) | set(args.years or [])


def _where(cell: int | None) -> str:
    from lawnb.run.jobs import where_failed

    where = where_failed(cell)
    return f"{where}出错：" if where else ""


def _run(args: argparse.Namespace) -> int:
    from lawnb.run.runner import RunStopped, stop_on_signals

    try:
        with stop_on_signals():
            return _run_batch(args)
    except RunStopped as stop:
        name = signal.Signals(stop.signum).name
        print(
            f"\n已停止 (stopped)：收到 {name} 信号，已结束全部笔记本进程和内核。"
            "此前完成的笔记本输出保留，未完成的没有写入，索引页未更新；请重新运行 lawnb run。"
            f" (lawnb run stopped by {name}: its workers and kernels were ended.)",
            file=sys.stderr,
        )
        return 128 + stop.signum


def _run_batch(args: argparse.Namespace) -> int:
    from lawnb.errors import RunError
    from lawnb.run.batch import plan_jobs, run_plans
    from lawnb.run.executors import executor_for
    from lawnb.run.export import install_nbconvert_template
    from lawnb.store.loading import load_dataset

    try:  # `jupyter nbconvert --template lawnb`: an editable install puts no data files
        install_nbconvert_template()
    except RunError as exc:
        print(f"提示 (note)：{exc}", file=sys.stderr)

    years = _years(args)
    for file in args.params or []:  # before any work
        if file.is_dir():
            raise LawnbError(
                f"参数 --params：{file}: 是一个文件夹，不是参数文件。请给出 .yaml 文件，"
                f"如 {file / '2020.yaml'}（不给 --params 时运行 params/*.yaml）。"
            )
    params = args.params or sorted(Path("params").glob("*.yaml"))
    if not params:
        raise LawnbError(
            "没有找到参数文件：params/ 下没有 *.yaml。请在项目根目录运行，或用 --params 指定。"
        )
    jobs = plan_jobs(
        params,
        open_dataset=load_dataset,
        years=years or None,
        units=args.unit,
        notebooks_dir=args.notebooks_dir,
        outputs=args.outputs,
    )
    if args.timeout is not None:  # the command line wins over the params files
        jobs = [dataclasses.replace(job, timeout=args.timeout) for job in jobs]
    with executor_for(args.executor, scheduler=args.scheduler) as executor:
        results = run_plans(
            jobs,
            outputs=args.outputs,
            max_workers=args.jobs or os.cpu_count(),
            timeout=DEFAULT_TIMEOUT,
            progress=not args.no_progress,
            executor=executor,
        )
    failed = [r for r in results if not r.ok]
    for result in results:
        status = "成功" if result.ok else "失败"
        where = result.html if result.ok else result.ipynb
        print(f"{status}  {result.job.label}  →  {where}")
    for result in failed:
        print(
            f"\n失败 (failed): {result.job.label}：{_where(result.failed_cell)}{result.error}",
            file=sys.stderr,
        )
    print(
        f"\n共 {len(results)} 个笔记本，成功 {len(results) - len(failed)}，失败 {len(failed)}。索引页：{args.outputs / 'index.html'}"
    )
    return 1 if failed else 0
