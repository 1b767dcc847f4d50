"""``lawnb eval``: score the extraction against answer keys and print the scores.

Takes the parsed command line (key files or folders, and where their texts are); prints one
line per key and a summary, and gives the exit status.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lawnb.errors import LawnbError


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``lawnb eval``."""
    evaluate = commands.add_parser(
        "eval", help="按答案文件评估抽取准确率 (score extraction against keys)"
    )
    evaluate.add_argument(
        "keys",
        nargs="+",
        type=Path,
        help="答案文件 .yaml 或其文件夹（格式见 README 的 Development 一节）",
    )
    evaluate.add_argument(
        "--texts",
        type=Path,
        help="报告原文所在文件夹：答案文件的 source 按文件名在此查找（开发集的 NN.txt）"
        " (folder of the keys' texts, looked up by file name)",
    )
    evaluate.set_defaults(handler=_eval)


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
