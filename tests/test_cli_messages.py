"""The command line speaks Chinese (English in brackets) in argparse's own messages too, numbers
failing cells from 1 like the index page, and documents its exit codes."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from lawnb.cli import main
from lawnb.run.jobs import cell_number, where_failed

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["import"], "缺少必需的参数 (required)"),
        (["run", "--jobs", "x"], "不是有效的 int 值 (invalid value)"),
        (["bogus"], "无效的选择 (invalid choice)"),
        (["check", "--nonsense"], "无法识别的参数 (unrecognized)"),
    ],
)
def test_argparse_errors_are_in_chinese_and_exit_2(argv, said, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and said in err and "错误 (error)" in err


def test_help_is_in_chinese_and_argparse_is_left_as_it_was(capsys):
    english = argparse._  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "用法 (usage)" in out and "选项 (options)" in out and "命令 (commands)" in out
    assert argparse._ is english  # type: ignore[attr-defined]


def test_a_failing_cell_is_counted_from_one_everywhere():
    assert cell_number(0) == 1 and cell_number(None) is None and cell_number(True) is None
    assert where_failed(3) == "第 4 个代码单元" and where_failed(None) == ""


def test_the_readme_documents_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Exit codes") :][:1500]
    for code in ("0", "1", "2", "130"):
        assert re.search(rf"`{code}`", section), code


def test_the_library_speaks_through_logging_and_the_command_shows_it(capsys):
    import logging

    with pytest.raises(SystemExit):
        main(["--version"])
    capsys.readouterr()
    logging.getLogger("lawnb.store.locking").warning("数据集 %s 正由另一个进程写入", "甲")
    assert "数据集 甲 正由另一个进程写入" in capsys.readouterr().err


def test_no_module_of_the_library_prints():
    lawnb_dir = ROOT / "lawnb"
    printing = [
        str(p.relative_to(ROOT))
        for p in lawnb_dir.rglob("*.py")
        if "cli" not in p.relative_to(lawnb_dir).parts
        and re.search(r"^\s*print\(", p.read_text(encoding="utf-8"), re.M)
    ]
    assert printing == []
