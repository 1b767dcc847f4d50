"""``lawnb reports list | set | remove``: see and fix reports' metadata, remove a report.

Takes the parsed command line; prints the reports (tab-separated) or what changed, and gives
the exit status.
"""

from __future__ import annotations

import argparse
import sys

from lawnb.bundled import dataset_argument
from lawnb.formatting import is_missing
from lawnb.names import year_range_text


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``lawnb reports`` and its actions."""
    reports = commands.add_parser(
        "reports",
        help="查看、修正或删除数据集中的报告 (list, fix or remove reports)",
        description="报告的单位、区县、层级、年度、标题：列出、修正（修正按报告内容记录在"
        "数据集的 manual_reports.csv 中，重新导入同一报告时仍然生效）或删除一份报告。",
    )
    actions = reports.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="每份报告一行 (one row per report)")
    listing.add_argument("--dataset", type=dataset_argument, help="数据集文件夹（默认：内置样例）")
    listing.set_defaults(handler=_reports_list)

    edit = actions.add_parser(
        "set",
        help="修正一份报告的元数据 (fix one report's metadata)",
        description="修改一份报告的单位、区县、层级、年度或标题（可只给其中几项）。报告编号"
        "（区县/单位/年度）随之改变，三张表、人工修正和清单一并更新；修正按报告内容记录，"
        "以后重新导入（包括 --force）时仍然生效。",
    )
    edit.add_argument("report_id", help="报告编号，如 示例区/东湖镇/2021（见 lawnb reports list）")
    edit.add_argument("--dataset", type=dataset_argument, required=True, help="数据集文件夹")
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
    remove.add_argument("--dataset", type=dataset_argument, required=True, help="数据集文件夹")
    remove.set_defaults(handler=_reports_remove)


def _reports_list(args: argparse.Namespace) -> int:
    from lawnb.store.loading import load_dataset
    from lawnb.store.report_metadata.edits import list_reports

    table = list_reports(load_dataset(args.dataset))
    print("\t".join(table.columns))
    for row in table.astype(object).itertuples(index=False):
        print("\t".join("" if is_missing(v) else str(v) for v in row))
    guessed = int(table["guessed"].notna().sum())
    if guessed:
        print(
            f"{guessed} 份报告的元数据是推测的（guessed 列）。请核对；用 lawnb reports set 修正或确认。",
            file=sys.stderr,
        )
    return 0


def _reports_set(args: argparse.Namespace) -> int:
    from lawnb.cli.datasets import check_dataset_argument
    from lawnb.store.report_metadata.edits import set_report

    check_dataset_argument(args.dataset)
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
    from lawnb.cli.datasets import check_dataset_argument
    from lawnb.store.report_metadata.edits import remove_report

    check_dataset_argument(args.dataset)
    for line in remove_report(args.dataset, args.report_id).lines():
        print(line)
    return 0
