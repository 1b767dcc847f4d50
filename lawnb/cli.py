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
from lawnb.names import year_range_text

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


def _version() -> str:
    from lawnb import __version__

    return __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawnb",
        description="法治政府建设情况报告：导入报告为数据集，批量生成分析报告。"
        " Rule-of-law government reports into a dataset and notebook reports.",
    )
    parser.add_argument(
        "--version", action="version", version=f"lawnb {_version()}", help="显示版本 (show version)"
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
        "keys",
        nargs="+",
        type=Path,
        help="答案文件 .yaml 或其文件夹（如 tests/fixtures/keys、../shared/realworld/keys）",
    )
    evaluate.add_argument(
        "--texts",
        type=Path,
        help="报告原文所在文件夹：答案文件的 source 按文件名在此查找（开发集的 NN.txt）"
        " (folder of the keys' texts, looked up by file name)",
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
    imp.add_argument(
        "--unit", help="单位名称（覆盖自动识别；按报告内容记录，重新导入同一报告时仍然生效）"
    )
    imp.add_argument("--district", help="区县名称（覆盖自动识别；同样记录）")
    imp.add_argument("--year", type=int, help="报告年度（覆盖自动识别；同样记录）")
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

    check = commands.add_parser(
        "check",
        help="检查数据集是否有效 (validate a dataset)",
        description="检查数据集：无效时列出每一处错误并以状态 2 退出；两份报告来自同一原文"
        "（sha256 相同，即重复导入）时列为问题并以状态 1 退出（数据集仍可使用，"
        "用 lawnb reports remove 删除多余的一份）；单位、区县或年度是推测的报告逐一列出，"
        "但不算错误（用 lawnb reports set 修正或确认）。",
    )
    check.add_argument("--dataset", type=Path, help="数据集文件夹（默认：内置样例）")
    check.set_defaults(handler=_check)

    _reports_commands(commands)

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


def _reports_commands(commands: argparse._SubParsersAction) -> None:
    """lawnb reports list | set | remove: see and fix reports' metadata, remove a report."""
    reports = commands.add_parser(
        "reports",
        help="查看、修正或删除数据集中的报告 (list, fix or remove reports)",
        description="报告的单位、区县、层级、年度、标题：列出、修正（修正按报告内容记录在"
        "数据集的 manual_reports.csv 中，重新导入同一报告时仍然生效）或删除一份报告。",
    )
    actions = reports.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="每份报告一行 (one row per report)")
    listing.add_argument("--dataset", type=Path, help="数据集文件夹（默认：内置样例）")
    listing.set_defaults(handler=_reports_list)

    edit = actions.add_parser(
        "set",
        help="修正一份报告的元数据 (fix one report's metadata)",
        description="修改一份报告的单位、区县、层级、年度或标题（可只给其中几项）。报告编号"
        "（区县/单位/年度）随之改变，三张表、人工修正和清单一并更新；修正按报告内容记录，"
        "以后重新导入（包括 --force）时仍然生效。",
    )
    edit.add_argument("report_id", help="报告编号，如 示例区/东湖镇/2021（见 lawnb reports list）")
    edit.add_argument("--dataset", type=Path, required=True, help="数据集文件夹")
    edit.add_argument("--unit", help="单位名称")
    edit.add_argument("--district", help="区县名称（空字符串表示没有区县）")
    edit.add_argument(
        "--level",
        help="层级：town 镇、township 乡、subdistrict 街道、county 区/县、city 市、"
        "province 省、department 部门（代码或中文均可）",
    )
    edit.add_argument("--year", help=f"报告年度（{year_range_text()}）")
    edit.add_argument("--title", help="报告标题")
    edit.add_argument(
        "--confirm", action="store_true", help="确认推测的单位、区县、年度无误（保持原值）"
    )
    edit.add_argument("--reason", default="", help="修正原因（记录在 manual_reports.csv 中）")
    edit.set_defaults(handler=_reports_set)

    remove = actions.add_parser(
        "remove",
        help="删除一份报告及其章节、数据和人工修正 (remove one report)",
    )
    remove.add_argument("report_id", help="报告编号，如 示例区/东湖镇/2021")
    remove.add_argument("--dataset", type=Path, required=True, help="数据集文件夹")
    remove.set_defaults(handler=_reports_remove)


def _reports_list(args: argparse.Namespace) -> int:
    from lawnb.store.dataset import load_dataset
    from lawnb.store.report_metadata import list_reports

    table = list_reports(load_dataset(args.dataset))
    print("\t".join(table.columns))
    for row in table.astype(object).itertuples(index=False):
        print("\t".join("" if _is_blank(v) else str(v) for v in row))
    guessed = int(table["guessed"].notna().sum())
    if guessed:
        print(
            f"{guessed} 份报告的元数据是推测的（guessed 列）。请核对；用 lawnb reports set 修正或确认。",
            file=sys.stderr,
        )
    return 0


def _is_blank(value: object) -> bool:
    """True for a blank cell (None, NA, NaN)."""
    import pandas as pd

    return value is None or bool(pd.isna(value))  # type: ignore[arg-type]


def _reports_set(args: argparse.Namespace) -> int:
    from lawnb.store.report_metadata import set_report

    edit = set_report(
        args.dataset,
        args.report_id,
        unit=args.unit,
        district=args.district,
        level=args.level,
        year=args.year,
        title=args.title,
        confirm=args.confirm,
        reason=args.reason,
    )
    for line in edit.lines():
        print(line)
    return 0


def _reports_remove(args: argparse.Namespace) -> int:
    from lawnb.store.report_metadata import remove_report

    for line in remove_report(args.dataset, args.report_id).lines():
        print(line)
    return 0


def _report_files(paths: Sequence[Path]) -> list[Path]:
    from lawnb.read.sources import SUPPORTED_SUFFIXES

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
    from lawnb.store.dataset import import_reports

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
    sys.stdout.flush()
    for outcome in result.imported:
        if outcome.guessed:
            print(
                f"警告 (warning)：{outcome.file.name} → {outcome.report_id}：{outcome.guessed}，"
                "请核对；用 lawnb reports set 修正。",
                file=sys.stderr,
            )
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
        replaced = f"（取代同一原文的 {'、'.join(outcome.replaced)}）" if outcome.replaced else ""
        print(f"更新 {name} → {outcome.report_id}{replaced}：{outcome.changes.summary()}")
        for line in outcome.changes.lines():
            print(f"    {line}")


def _has_corrections(folder: Path) -> bool:
    from lawnb.store.corrections import manual_file

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
    from lawnb.bundled import resolve_dataset_path
    from lawnb.store.dataset import check_dataset
    from lawnb.store.report_metadata import duplicate_sources, guessed_warnings

    dataset, problems = check_dataset(args.dataset, trust_saved=False)
    label = resolve_dataset_path(args.dataset)[1]
    if problems or dataset is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"数据集“{label}”未通过检查：共 {len(problems)} 处错误。", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"数据集有效 (valid)：{len(dataset.reports)} 份报告，{len(dataset.sections)} 个章节，"
        f"{len(dataset.facts)} 条数据，{len(dataset.corrections)} 条人工修正。"
    )
    sys.stdout.flush()
    for line in guessed_warnings(dataset.reports, label):
        print(f"警告 (warning)：{line}", file=sys.stderr)
    _warn_unapplied(dataset)
    duplicates = duplicate_sources(dataset.reports)
    for ids in duplicates:
        print(
            f"问题 (problem)：{label}/reports.csv：报告 {'、'.join(ids)} 来自同一原文（sha256 相同），"
            f"是同一份报告导入了 {len(ids)} 次。请保留正确的一份，用 "
            f"`lawnb reports remove 报告编号 --dataset {label}` 删除其余的。",
            file=sys.stderr,
        )
    if duplicates:
        print(f"数据集“{label}”有 {len(duplicates)} 处重复的报告。", file=sys.stderr)
        return 1
    return 0


def _export(args: argparse.Namespace) -> int:
    from lawnb.exchange.excel import export_xlsx
    from lawnb.store.dataset import load_dataset

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
    from lawnb.exchange.tables import import_table

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
    from lawnb.exchange.excel import import_corrections

    result = import_corrections(args.file, args.dataset)
    for line in result.lines():
        print(line)
    _warn_unapplied(result.dataset)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from lawnb.extract.evaluate import evaluate, format_summary

    keys: list[Path] = []
    for path in args.keys:
        if not path.exists():
            raise LawnbError(f"{path}: 答案文件或文件夹不存在。")
        keys.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    if not keys:
        raise LawnbError(f"{', '.join(map(str, args.keys))}: 没有答案文件（*.yaml）。")
    if args.texts is not None and not args.texts.is_dir():
        raise LawnbError(f"--texts {args.texts}: 文件夹不存在。")
    results = [evaluate(key, texts=args.texts) for key in keys]
    for result in results:
        fact = result.field_scores.loc["fact"]
        bad = [name for name, ok in result.structure.items() if not ok]
        hits = f"  not_facts extracted: {len(result.not_fact_hits)}" if result.not_fact_hits else ""
        print(
            f"{result.key.name}: facts P={fact.precision:.3f} R={fact.recall:.3f}"
            + (f"  structure mismatches: {', '.join(bad)}" if bad else "  structure ok")
            + hits
        )
    print()
    print(format_summary(results))
    return 0


def _run(args: argparse.Namespace) -> int:
    from lawnb.run.batch import plan_jobs, run_plans
    from lawnb.run.executors import executor_for

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
