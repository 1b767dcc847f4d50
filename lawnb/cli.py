"""The ``lawnb`` command: thin wrappers over the package's modules.

Errors in the user's input print as one message (no traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from lawnb.errors import LawnbError

# Before papermill or nbformat is imported: see the same line in lawnb/runner.py (0.9 s).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lawnb`` console command."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except LawnbError as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断 (interrupted)。", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawnb",
        description="法治政府建设情况报告：导入报告为数据集，批量生成分析报告。"
        " Rule-of-law government reports into a dataset and notebook reports.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run", help="运行 params/*.yaml 中的全部分析笔记本并导出 HTML (run the notebooks)"
    )
    run.add_argument(
        "--params", type=Path, action="append", help="参数文件（可多次）；默认 params/*.yaml"
    )
    run.add_argument("--year", type=int, action="append", help="只运行这一年度（可多次）")
    run.add_argument("--years", help="年度范围，如 2019-2021")
    run.add_argument("--unit", action="append", help="只运行这个单位（可多次）")
    run.add_argument("--jobs", type=int, default=None, help="并行进程数（默认：CPU 核数）")
    run.add_argument("--timeout", type=int, default=600, help="每个笔记本的超时秒数（默认 600）")
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

    _dataset_commands(commands)

    evaluate = commands.add_parser(
        "eval", help="按答案文件评估抽取准确率 (score extraction against keys)"
    )
    evaluate.add_argument(
        "keys", nargs="+", type=Path, help="答案文件 .yaml（格式同 shared/gold）或其文件夹"
    )
    evaluate.set_defaults(handler=_eval)
    return parser


def _dataset_commands(commands: argparse._SubParsersAction) -> None:
    """The dataset commands: import, check, export, import-table, import-corrections."""
    imp = commands.add_parser("import", help="导入报告文件或文件夹到数据集 (import reports)")
    imp.add_argument(
        "paths", nargs="+", type=Path, help="报告文件（.txt .docx .html .pdf）或文件夹"
    )
    imp.add_argument("--dataset", type=Path, required=True, help="数据集文件夹（不存在则新建）")
    imp.add_argument("--unit", help="单位名称（覆盖自动识别）")
    imp.add_argument("--district", help="区县名称（覆盖自动识别）")
    imp.add_argument("--year", type=int, help="报告年度（覆盖自动识别）")
    imp.add_argument(
        "--no-sentences",
        action="store_true",
        help="不保存原文句子，只保存数据和位置（用于共享样例）",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="即使文件未改动也重新抽取（升级 lawnb 或修改规则后使用）(re-extract unchanged files)",
    )
    imp.add_argument("--no-progress", action="store_true", help="不显示进度条")
    imp.set_defaults(handler=_import)

    check = commands.add_parser("check", help="检查数据集是否有效 (validate a dataset)")
    check.add_argument("--dataset", type=Path, help="数据集文件夹（默认：内置样例）")
    check.set_defaults(handler=_check)

    export = commands.add_parser(
        "export", help="把数据集导出为 Excel 工作簿 (export a dataset to .xlsx)"
    )
    export.add_argument("--dataset", type=Path, help="数据集文件夹（默认：内置样例）")
    export.add_argument("--xlsx", type=Path, required=True, help="输出的 .xlsx 文件")
    export.set_defaults(handler=_export)

    table = commands.add_parser(
        "import-table",
        help="导入分析人员自己的指标表（.xlsx/.csv，宽表）(import an analyst's wide table)",
    )
    table.add_argument("file", type=Path, help="指标表 .xlsx 或 .csv")
    table.add_argument("--dataset", type=Path, required=True, help="数据集文件夹（不存在则新建）")
    table.add_argument("--unit", help="单位（表格为“每行一个指标、每列一个年度”时必填）")
    table.add_argument("--year", type=int, help="年度（表格为“每行一个单位、每列一个指标”时必填）")
    table.add_argument("--district", help="区县（数据集中还没有该单位时使用）")
    table.add_argument("--sheet", help="工作表名称（默认第一个）")
    table.set_defaults(handler=_import_table)

    corrections = commands.add_parser(
        "import-corrections",
        help="把修改过的导出工作簿（数据 工作表）读回为人工修正 (import an edited export)",
    )
    corrections.add_argument("file", type=Path, help="用 lawnb export 导出并修改过的 .xlsx")
    corrections.add_argument("--dataset", type=Path, required=True, help="数据集文件夹")
    corrections.set_defaults(handler=_import_corrections)


def _report_files(paths: Sequence[Path]) -> list[Path]:
    from lawnb.sources import SUPPORTED_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file()
            )
            if not found:
                raise LawnbError(
                    f"{path}: 文件夹中没有可导入的报告文件（{', '.join(SUPPORTED_SUFFIXES)}）。"
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def _import(args: argparse.Namespace) -> int:
    from lawnb.dataset import import_reports

    files = _report_files(args.paths)
    if len(files) == 1 and not files[0].exists():
        raise LawnbError(f"{files[0]}: 文件不存在 (file not found)。请检查路径。")
    overrides = {
        k: v
        for k, v in (("unit", args.unit), ("district", args.district), ("year", args.year))
        if v
    }
    result = import_reports(
        files,
        args.dataset,
        keep_text=not args.no_sentences,
        force=args.force,
        progress=not args.no_progress,
        **overrides,
    )
    for outcome in result.outcomes:
        _print_outcome(outcome)
    failures = result.failures
    skipped = sum(o.status == "unchanged" for o in result.outcomes)
    print(
        f"已导入 {len(result.imported)} 份报告到 {args.dataset}"
        + (f"，跳过 {skipped} 份未改动的报告" if skipped else "")
        + f"（共 {result.n_reports} 份报告、{result.n_facts} 条数据）。"
    )
    if _has_corrections(Path(args.dataset)):  # only then load the whole dataset
        _warn_unapplied(result.dataset)
    if failures and not result.imported and not skipped:
        raise LawnbError(f"{len(failures)} 份报告全部导入失败，数据集未改动。")
    return EXIT_USAGE if failures else 0


def _print_outcome(outcome) -> None:  # type: ignore[no-untyped-def]
    """One line (and the changes of a revised report) per imported file."""
    name = outcome.file.name
    if outcome.status == "failed":
        print(f"失败 (failed): {outcome.message}", file=sys.stderr)
    elif outcome.status == "unchanged":
        print(f"跳过 {outcome.message}")
    elif outcome.status == "added":
        print(f"新增 {name} → {outcome.report_id}：{outcome.n_facts} 条数据")
    else:
        print(f"更新 {name} → {outcome.report_id}：{outcome.changes.summary()}")
        for line in outcome.changes.lines():
            print(f"    {line}")


def _has_corrections(folder: Path) -> bool:
    from lawnb.corrections import manual_file

    return folder.is_dir() and manual_file(folder) is not None


def _warn_unapplied(dataset) -> None:  # type: ignore[no-untyped-def]
    """List the corrections that no longer apply (their fact is gone)."""
    unapplied = dataset.unapplied_corrections
    if unapplied.empty:
        return
    print(f"警告 (warning)：{len(unapplied)} 条人工修正未生效：", file=sys.stderr)
    for row in unapplied.to_dict("records"):
        print(f"    {row['file']}: 第 {row['line']} 行：{row['problem']}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from lawnb.dataset import check_dataset, resolve_dataset_path

    dataset, problems = check_dataset(args.dataset, trust_saved=False)
    if problems or dataset is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        label = resolve_dataset_path(args.dataset)[1]
        print(f"数据集“{label}”未通过检查：共 {len(problems)} 处错误。", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"数据集有效 (valid)：{len(dataset.reports)} 份报告，{len(dataset.sections)} 个章节，"
        f"{len(dataset.facts)} 条数据，{len(dataset.corrections)} 条人工修正。"
    )
    _warn_unapplied(dataset)
    return 0


def _export(args: argparse.Namespace) -> int:
    from lawnb.dataset import load_dataset
    from lawnb.excel import export_xlsx

    dataset = load_dataset(args.dataset)
    out = export_xlsx(dataset, args.xlsx)
    print(
        f"已导出到 {out}：{len(dataset.reports)} 份报告、{len(dataset.sections)} 个章节、"
        f"{len(dataset.facts)} 条数据。修改“数据”工作表后，用 "
        f"`lawnb import-corrections {out} --dataset {dataset.path}` 读回。"
    )
    _warn_unapplied(dataset)
    return 0


def _import_table(args: argparse.Namespace) -> int:
    from lawnb.tables import import_table

    result = import_table(
        args.file,
        args.dataset,
        unit=args.unit,
        year=args.year,
        district=args.district,
        sheet=args.sheet,
    )
    for line in result.lines():
        print(line)
    return 0


def _import_corrections(args: argparse.Namespace) -> int:
    from lawnb.excel import import_corrections

    result = import_corrections(args.file, args.dataset)
    for line in result.lines():
        print(line)
    _warn_unapplied(result.dataset)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from lawnb.evaluate import evaluate, summarize

    keys: list[Path] = []
    for path in args.keys:
        keys.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    results = [evaluate(key) for key in keys]
    for result in results:
        fact = result.field_scores.loc["fact"]
        bad = [name for name, ok in result.structure.items() if not ok]
        print(
            f"{result.key.name}: facts P={fact.precision:.3f} R={fact.recall:.3f}"
            + (f"  structure mismatches: {', '.join(bad)}" if bad else "  structure ok")
        )
    table = summarize(results)
    print(f"\n{len(results)} report(s), {int(table.loc['fact', 'expected'])} expected facts:")
    print(
        table[["matched", "extracted", "expected", "precision", "recall"]].to_string(
            float_format="%.3f"
        )
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from lawnb.batch import plan_jobs, run_plans
    from lawnb.executors import executor_for

    years = set(args.year or [])
    if args.years:
        try:
            first, last = (int(y) for y in args.years.split("-"))
        except ValueError as exc:
            raise LawnbError(
                f"--years 应为“起始-结束”年度，如 2019-2021；得到 {args.years!r}。"
            ) from exc
        years |= set(range(first, last + 1))
    params = args.params or sorted(Path("params").glob("*.yaml"))
    if not params:
        raise LawnbError(
            "没有找到参数文件：params/ 下没有 *.yaml。请在项目根目录运行，或用 --params 指定。"
        )
    jobs = plan_jobs(
        params,
        years=years or None,
        units=args.unit,
        notebooks_dir=args.notebooks_dir,
        outputs=args.outputs,
    )
    with executor_for(args.executor, scheduler=args.scheduler) as executor:
        results = run_plans(
            jobs,
            outputs=args.outputs,
            max_workers=args.jobs or os.cpu_count(),
            timeout=args.timeout,
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
            f"\n失败 (failed): {result.job.label}：第 {result.failed_cell} 个代码格出错：{result.error}",
            file=sys.stderr,
        )
    print(
        f"\n共 {len(results)} 个笔记本，成功 {len(results) - len(failed)}，失败 {len(failed)}。索引页：{args.outputs / 'index.html'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
