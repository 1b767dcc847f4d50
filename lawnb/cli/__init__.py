"""The ``lawnb`` command: the parser and ``main``; each group of commands lives in its own module.

``main`` takes the command line and gives the exit status. Errors in the user's input print as
one message (no traceback) and exit with status 2. This package is the composition root: the
one place that wires the stages together (e.g. it hands ``lawnb run`` the dataset loader).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from lawnb.errors import LawnbError
from lawnb.names import is_report_year, year_range_text

EXIT_USAGE = 2

# argparse's own words, in Chinese with the English in brackets like the rest of the CLI.
_ARGPARSE_WORDS = {
    "usage: ": "用法 (usage): ",
    "positional arguments": "参数 (positional arguments)",
    "options": "选项 (options)",
    "show this help message and exit": "显示帮助并退出 (show this help and exit)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误 (error): %(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数 (required)：%s",
    "unrecognized arguments: %s": "无法识别的参数 (unrecognized)：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "不是有效的 %(type)s 值 (invalid value)：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 (invalid choice)："
    "%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值 (expected one argument)",
    "expected at least one argument": "至少需要一个值 (expected at least one argument)",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义 (ambiguous option)："
    "%(option)s 可以是 %(matches)s",
}


@contextmanager
def _chinese_argparse() -> Iterator[None]:
    """argparse's messages in Chinese while the command line is parsed (argparse looks its
    words up through its module's ``_`` each time; put back afterwards)."""
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: _ARGPARSE_WORDS.get(text, original(text))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test's capture, a redirect)."""

    _lawnb_cli = True

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # type: ignore[no-untyped-def]
        pass


def _show_library_messages() -> None:
    """The library says what it is waiting for through ``logging`` (logger ``lawnb``); the
    command shows those messages on stderr as they are, once per process."""
    logger = logging.getLogger("lawnb")
    if not any(getattr(h, "_lawnb_cli", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# --- values of the command line: checked as argparse reads them (a bad one: exit 2) ---------------


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def report_year(text: str) -> int:
    """``--year``: a year within the year range (``lawnb.names``)."""
    try:
        value = int(text.strip()) if len(text) <= 10 else None
    except ValueError:
        value = None
    if value is None or not is_report_year(value):
        raise argparse.ArgumentTypeError(
            f"年度 (year) 应为四位数的年份（如 2021），得到 {text[:20]}"
            f"{'…' if len(text) > 20 else ''}；可用 {year_range_text()}。"
        )
    return value


def year_range(text: str) -> range:
    """``--years 2019-2021``: the years from the first to the last, within the year range."""
    first, _, last = text.strip().partition("-")
    try:
        years = range(report_year(first), report_year(last) + 1)
    except argparse.ArgumentTypeError:
        years = None
    if not years:
        raise argparse.ArgumentTypeError(
            f"应为“起始-结束”年度，起始不晚于结束，都在 {year_range_text()} 之间，如 2019-2021；"
            f"得到 {_shown(text)}。"
        )
    return years


def positive_int(text: str) -> int:
    """A whole number of at least 1 (``--timeout``, ``--jobs``); not a number: argparse's own
    message (named ``int``, as for ``type=int``)."""
    value = int(text) if len(text) <= 12 else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数（至少 1）；得到 {_shown(text)}。")
    return value


positive_int.__name__ = "int"  # argparse's "invalid int value" for what is not a number


def non_empty(text: str) -> str:
    """A name (``--unit``, ``--district``): not empty or blank."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"不能为空；得到 {_shown(text)}。请给出名称，或不用这个选项。"
        )
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lawnb`` console command."""
    _show_library_messages()
    _hide_write_error_echoes()
    with _chinese_argparse():
        parser = _parser()
        args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except LawnbError as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the disk, a limit or a permission: what happened, not a traceback
        from lawnb.fileio import write_problem

        print(f"错误 (error): {write_problem(exc, '')}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断 (interrupted)。", file=sys.stderr)
        return 130


def _hide_write_error_echoes() -> None:
    """Keep off screen the "Exception ignored" traceback that openpyxl's XML writer prints when
    it is collected after a failed write (disk full, file size limit): that write's error has
    already been reported as a message."""
    from lawnb.fileio import is_serialiser_echo

    shown = sys.unraisablehook
    if getattr(shown, "lawnb_filter", False):
        return

    def hook(unraisable) -> None:  # type: ignore[no-untyped-def]
        if not is_serialiser_echo(unraisable.exc_value):
            shown(unraisable)

    hook.lawnb_filter = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


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
    commands = parser.add_subparsers(title="命令 (commands)", metavar="COMMAND", required=True)
    # In the order of `lawnb --help`.
    for group in (run, datasets, reports, exchange, evaluate):
        group.add_commands(commands)
    return parser
