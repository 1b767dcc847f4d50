"""Every path and value a user hands the command line (issue 18): checked for what it must be
before anything is written. Each case goes through ``lawnb.cli.main``: exit 2, a Chinese
message naming the argument (or the file), no traceback, and nothing written in the temp folder.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from pathlib import Path

import pytest
from dataset_helpers import demo_copy, demo_report

from lawnb.cli import main

REPORT = demo_report("东湖镇", 2021)


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its content (an empty lock file of a
    dataset, ``.ds.lock``, is not content)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.name.startswith(".") and path.suffix == ".lock" and not path.stat().st_size:
            continue
        key = path.relative_to(root).as_posix()
        found[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def refused(argv: list[str], root: Path, capsys, *names: str) -> str:  # type: ignore[no-untyped-def]
    """Run the command; assert exit 2, no traceback, nothing written, and every one of
    ``names`` in the message. Gives the message."""
    before = snapshot(root)
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    except Exception:  # a traceback where a message belongs
        pytest.fail(traceback.format_exc())
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "错误" in err
    for name in names:
        assert name in err, err
    assert snapshot(root) == before
    return err


@pytest.fixture
def root(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The temp folder as the current folder (no params/ there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- paths: what must be a folder, a file, a new file ---------------------------------------


def test_import_into_an_existing_file_is_refused(root, capsys):
    notes = root / "notes.txt"
    notes.write_text("我的笔记", encoding="utf-8")
    err = refused(["import", str(REPORT), "--dataset", str(notes)], root, capsys, "--dataset")
    assert "不是文件夹" in err


def test_import_into_the_current_folder_is_refused(root, capsys):
    (root / "笔记.txt").write_text("我的笔记", encoding="utf-8")
    refused(["import", str(REPORT), "--dataset", "."], root, capsys, "--dataset", "当前文件夹")


def test_import_into_a_folder_of_other_things_is_refused(root, capsys):
    (root / "docs").mkdir()
    (root / "docs" / "a.txt").write_text("别的东西", encoding="utf-8")
    refused(
        ["import", str(REPORT), "--dataset", str(root / "docs")], root, capsys, "--dataset", "a.txt"
    )


def test_import_table_into_an_existing_file_is_refused(root, capsys):
    table = root / "表.csv"
    table.write_text("指标,2021\n行政处罚案件,3\n", encoding="utf-8-sig")
    notes = root / "notes.txt"
    notes.write_text("我的笔记", encoding="utf-8")
    argv = ["import-table", str(table), "--dataset", str(notes), "--unit", "东湖镇"]
    refused(argv, root, capsys, "--dataset")


def test_export_into_a_dataset_folder_is_refused(root, capsys):
    folder = demo_copy(root)
    argv = ["export", "--dataset", str(folder), "--xlsx", str(folder / "manual.xlsx")]
    refused(argv, root, capsys, "--xlsx", "数据集文件夹")


def test_export_to_a_folder_is_refused(root, capsys):
    (root / "导出.xlsx").mkdir()
    refused(["export", "--xlsx", str(root / "导出.xlsx")], root, capsys, "--xlsx", "文件夹")


def test_export_into_a_missing_folder_is_refused(root, capsys):
    refused(["export", "--xlsx", str(root / "无此文件夹" / "x.xlsx")], root, capsys, "--xlsx")


def test_params_that_is_a_folder_is_refused(root, capsys):
    (root / "params").mkdir()
    refused(["run", "--params", str(root / "params")], root, capsys, "--params", "文件夹")


def test_a_manifest_that_is_not_an_object_is_refused(root, capsys):
    folder = demo_copy(root)
    (folder / "manifest.json").write_text("[]", encoding="utf-8")
    refused(["import", str(REPORT), "--dataset", str(folder)], root, capsys, "manifest.json")


# --- values: refused, never silently dropped or widened ----------------------------------------


@pytest.mark.parametrize(
    "extra, option",
    [
        (["--years", "2023-2021"], "--years"),
        (["--years", "1-999999999"], "--years"),
        (["--year", "0"], "--year"),
        (["--unit", ""], "--unit"),
        (["--timeout", "0"], "--timeout"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_run_refuses_a_bad_value(root, capsys, extra, option):
    refused(["run", *extra], root, capsys, f"参数 {option}")


@pytest.mark.parametrize("option, value", [("--unit", ""), ("--district", " ")])
def test_import_refuses_an_empty_name(root, capsys, option, value):
    argv = ["import", str(REPORT), "--dataset", str(root / "ds"), option, value]
    refused(argv, root, capsys, f"参数 {option}")


def test_import_refuses_year_0(root, capsys):
    """The reader checks the year given for every file, as it checks a file's own."""
    argv = ["import", str(REPORT), "--dataset", str(root / "ds"), "--year", "0"]
    refused(argv, root, capsys, REPORT.name, "年度 (year)", "得到 0")


def test_import_table_refuses_a_comma_that_is_not_a_thousands_separator(root, capsys):
    table = root / "表.csv"
    table.write_text('指标,2021,2022\n行政处罚案件,"1,200","1,5"\n', encoding="utf-8-sig")
    argv = ["import-table", str(table), "--dataset", str(root / "ds"), "--unit", "东湖镇"]
    err = refused(argv, root, capsys, "表.csv", "2022", "'1,5'", "千位分隔符")
    assert "'1,200'" not in err  # 1,200 is 1200


# --- params files: bounded messages, no hang ---------------------------------------------------


def _params(root: Path, text: str) -> Path:
    file = root / "2020.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_params_with_yaml_aliases_are_refused_at_once(root, capsys):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 7)]
    file = _params(root, "year: 2020\n" + "\n".join(lines) + "\nunits: *a6\n")
    start = time.monotonic()
    err = refused(["run", "--params", str(file)], root, capsys, "2020.yaml", "别名")
    assert time.monotonic() - start < 10 and len(err) < 2000


def test_a_huge_params_value_is_quoted_capped(root, capsys):
    file = _params(root, f"year: '{'9' * 5000}'\n")
    err = refused(["run", "--params", str(file)], root, capsys, "2020.yaml", "year")
    assert len(err) < 1000


@pytest.mark.parametrize("value", ["9" * 5000, "[" * 5000], ids=["long-int", "deep"])
def test_a_params_value_yaml_cannot_build_is_named(root, capsys, value):
    file = _params(root, f"year: {value}\n")
    refused(["run", "--params", str(file)], root, capsys, "2020.yaml")


def test_a_params_key_that_is_a_number_is_named(root, capsys):
    file = _params(root, "year: 2020\n2020: x\n")
    refused(["run", "--params", str(file)], root, capsys, "2020.yaml", "未知的参数 2020")
