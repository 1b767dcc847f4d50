"""The ``lawnb`` command: the parser and ``main``; each group of commands lives in its own module.

``main`` takes the command line and gives the exit status. Errors in the user's input print as
one message (no traceback) and exit with status 2. This package is the composition root: the
one place that wires the stages together (e.g. it hands ``lawnb run`` the dataset loader).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lawnb.errors import LawnbError

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
    # The command modules import EXIT_USAGE from here: imported once this module is complete.
    from lawnb.cli import datasets, evaluate, exchange, reports, run

    parser = argparse.ArgumentParser(
        prog="lawnb",
        description="法治政府建设情况报告：导入报告为数据集，批量生成分析报告。"
        " Rule-of-law government reports into a dataset and notebook reports.",
    )
    parser.add_argument(
        "--version", action="version", version=f"lawnb {_version()}", help="显示版本 (show version)"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    # In the order of `lawnb --help`.
    for group in (run, datasets, reports, exchange, evaluate):
        group.add_commands(commands)
    return parser
