"""``lawnb export``, ``lawnb import-table`` and ``lawnb import-corrections``: what analysts
send and receive (the Excel workbook, their own wide tables, their edits of an export).

Takes the parsed command line; prints what was written or read, and gives the exit status.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lawnb.bundled import dataset_argument
from lawnb.cli import non_empty, report_year
from lawnb.cli.datasets import check_dataset_argument, check_input_file, warn_unapplied
from lawnb.errors import DatasetError


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``lawnb export``, ``lawnb import-table`` and ``lawnb import-corrections``."""
    export = commands.add_parser(
        "export", help="把数据集导出为 Excel 工作簿 (export a dataset to .xlsx)"
    )
    export.add_argument("--dataset", type=dataset_argument, help="数据集文件夹（默认：内置样例）")
    export.add_argument("--xlsx", type=Path, required=True, help="输出的 .xlsx 文件")
    export.set_defaults(handler=_export)

    table = commands.add_parser(
        "import-table",
        help="导入分析人员自己的指标表（.xlsx/.csv，宽表）(import an analyst's wide table)",
    )
    table.add_argument("file", type=Path, help="指标表 .xlsx 或 .csv")
    table.add_argument(
        "--dataset", type=dataset_argument, required=True, help="数据集文件夹（不存在则新建）"
    )
    table.add_argument(
        "--unit", type=non_empty, help="单位（表格为“每行一个指标、每列一个年度”时必填）"
    )
    table.add_argument(
        "--year", type=report_year, help="年度（表格为“每行一个单位、每列一个指标”时必填）"
    )
    table.add_argument("--district", type=non_empty, help="区县（数据集中还没有该单位时使用）")
    table.add_argument("--sheet", help="工作表名称（默认第一个）")
    table.set_defaults(handler=_import_table)

    corrections = commands.add_parser(
        "import-corrections",
        help="把修改过的导出工作簿（数据 工作表）读回为人工修正 (import an edited export)",
    )
    corrections.add_argument("file", type=Path, help="用 lawnb export 导出并修改过的 .xlsx")
    corrections.add_argument("--dataset", type=dataset_argument, required=True, help="数据集文件夹")
    corrections.set_defaults(handler=_import_corrections)


def _export(args: argparse.Namespace) -> int:
    from lawnb.exchange.excel import check_export_path, export_xlsx
    from lawnb.store.loading import load_dataset

    try:  # before the dataset is loaded
        check_export_path(args.xlsx)
        if not args.xlsx.absolute().parent.is_dir():
            raise DatasetError(
                f"{args.xlsx.parent}: 文件夹不存在。请先创建它，或导出到已有的文件夹。"
            )
    except DatasetError as exc:
        raise DatasetError(f"参数 --xlsx：{exc}") from None
    dataset = load_dataset(args.dataset)
    out = export_xlsx(dataset, args.xlsx)
    print(
        f"已导出到 {out}：{len(dataset.reports)} 份报告、{len(dataset.sections)} 个章节、"
        f"{len(dataset.facts)} 条数据。修改“数据”工作表后，用 "
        f"`lawnb import-corrections {out} --dataset {dataset.path}` 读回。"
    )
    warn_unapplied(dataset)
    return 0


def _import_table(args: argparse.Namespace) -> int:
    from lawnb.exchange.tables import import_table

    check_input_file(args.file, "指标表")
    check_dataset_argument(args.dataset)
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
    from lawnb.exchange.corrections_workbook import import_corrections

    check_input_file(args.file, "工作簿")
    check_dataset_argument(args.dataset)
    result = import_corrections(args.file, args.dataset)
    for line in result.lines():
        print(line)
    warn_unapplied(result.dataset)
    return 0
