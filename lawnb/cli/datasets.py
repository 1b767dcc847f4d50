"""``lawnb import`` and ``lawnb check``: reports into a dataset, and a dataset checked.

Takes the parsed command line; gives the exit status (2 when a report or the dataset is
invalid, 1 for duplicate reports in ``check``). ``warn_unapplied`` lists the analysts'
corrections that no longer apply; the exchange commands print it too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lawnb.bundled import dataset_argument
from lawnb.cli import EXIT_USAGE, non_empty
from lawnb.errors import DatasetError, LawnbError
from lawnb.read.sources import why_missing

if TYPE_CHECKING:
    from lawnb.store.dataset import Dataset
    from lawnb.store.importing.session import ImportOutcome


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``lawnb import`` and ``lawnb check``."""
    imp = commands.add_parser("import", help="导入报告文件或文件夹到数据集 (import reports)")
    imp.add_argument(
        "paths", nargs="+", type=Path, help="报告文件（.txt .docx .html .pdf）或文件夹"
    )
    imp.add_argument(
        "--dataset", type=dataset_argument, required=True, help="数据集文件夹（不存在则新建）"
    )
    imp.add_argument(
        "--unit",
        type=non_empty,
        help="单位名称（覆盖自动识别；按报告内容记录，重新导入同一报告时仍然生效）",
    )
    imp.add_argument("--district", type=non_empty, help="区县名称（覆盖自动识别；同样记录）")
    imp.add_argument("--year", type=int, help="报告年度（覆盖自动识别；同样记录）")
    imp.add_argument(
        "--no-sentences",
        action="store_true",
        help="不保存原文句子，只保存数据和位置（用于共享样例）",
    )
    imp.add_argument(
        "--fictional",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="在数据集中标记为虚构示例数据（页面会注明）；--no-fictional 取消标记",
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
    check.add_argument("--dataset", type=dataset_argument, help="数据集文件夹（默认：内置样例）")
    check.set_defaults(handler=_check)


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


def check_dataset_argument(folder: Path, option: str = "--dataset") -> None:
    """Before any work: a ``DatasetError`` naming the option unless the folder may be written
    as a dataset (``lawnb.store.staging.check_dataset_target``: not a file, not a folder of
    other things, not the current folder)."""
    from lawnb.store.staging import check_dataset_target

    try:
        check_dataset_target(folder)
    except DatasetError as exc:
        raise DatasetError(f"参数 {option}：{exc}") from None


def check_input_file(file: Path, what: str) -> None:
    """Before any work: a ``LawnbError`` unless ``file`` is an existing file (not a folder)."""
    shown = str(file) if len(str(file)) <= 120 else str(file)[:119] + "…"
    if not file.exists():
        raise LawnbError(f"{what} {shown}: {why_missing(file)}。")
    if file.is_dir():
        raise LawnbError(f"{what} {shown}: 是一个文件夹，不是文件。请给出{what}的文件路径。")


def _import(args: argparse.Namespace) -> int:
    from lawnb.store.importing.reports import import_reports

    check_dataset_argument(args.dataset)
    files = _report_files(args.paths)
    if len(files) == 1 and not files[0].exists():
        raise LawnbError(f"{files[0]}: {why_missing(files[0])}。")
    # Given is given: year 0 goes to the reader, which refuses it naming the file.
    overrides = {
        k: v
        for k, v in (("unit", args.unit), ("district", args.district), ("year", args.year))
        if v is not None
    }
    result = import_reports(
        files,
        args.dataset,
        keep_text=not args.no_sentences,
        force=args.force,
        progress=not args.no_progress,
        fictional=args.fictional,
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
        warn_unapplied(result.dataset)
    if failures and not result.imported and not skipped:
        raise LawnbError(f"{len(failures)} 份报告全部导入失败，数据集未改动。")
    return EXIT_USAGE if failures else 0


def _print_outcome(outcome: ImportOutcome) -> None:
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


def warn_unapplied(dataset: Dataset) -> None:
    """List the corrections that no longer apply (their fact is gone)."""
    unapplied = dataset.unapplied_corrections
    if unapplied.empty:
        return
    print(f"警告 (warning)：{len(unapplied)} 条人工修正未生效：", file=sys.stderr)
    for row in unapplied.to_dict("records"):
        print(f"    {row['file']}: 第 {row['line']} 行：{row['problem']}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from lawnb.bundled import resolve_dataset_path
    from lawnb.store.loading import check_dataset
    from lawnb.store.report_metadata.provenance import duplicate_sources, guessed_warnings

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
    warn_unapplied(dataset)
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
