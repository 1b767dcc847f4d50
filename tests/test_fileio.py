"""lawnb.fileio: atomic writes keep the old file on any failure, leave no temp file, and get
the modes a colleague can open."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest

from lawnb import fileio


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(fileio.TEMP_PREFIX)]


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    target = tmp_path / "out" / "2020" / "甲镇.html"
    target.parent.mkdir(parents=True)
    target.write_text("旧内容", encoding="utf-8")
    return target


def test_a_failed_rename_keeps_the_old_file(old_file, monkeypatch):
    def broken_replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError) as caught:
        fileio.write_text(old_file, "新内容" * 10_000)
    assert old_file.read_text(encoding="utf-8") == "旧内容"
    assert leftovers(old_file.parents[2]) == []
    message = fileio.write_problem(caught.value, old_file)
    assert str(old_file) in message and "磁盘空间已满" in message


def test_a_write_failing_halfway_keeps_the_old_file(old_file, monkeypatch):
    real_write_text = Path.write_text

    def half_then_fail(self, text, *args, **kwargs):
        real_write_text(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OSError):
        fileio.write_text(old_file, "新内容" * 10_000)
    monkeypatch.undo()
    assert old_file.read_text(encoding="utf-8") == "旧内容"
    assert leftovers(old_file.parents[2]) == []


def test_a_new_file_follows_the_umask_and_a_replaced_file_keeps_its_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        new = fileio.write_text(tmp_path / "a.html", "内容")
        assert new.stat().st_mode & 0o777 == 0o640
        kept = tmp_path / "b.csv"
        kept.write_text("x", encoding="utf-8")
        kept.chmod(0o604)
        fileio.write_frame(pd.DataFrame({"单位": ["甲镇"]}), kept)
        assert kept.stat().st_mode & 0o777 == 0o604
    finally:
        os.umask(mask)


def test_frames_are_written_as_utf8_csv_with_bom_or_as_a_workbook(tmp_path):
    frame = pd.DataFrame({"单位": ["甲镇"], "数值": [3]})
    csv = fileio.write_frame(frame, tmp_path / "t.csv")
    assert csv.read_bytes().startswith("\ufeff单位,数值\n".encode())
    book = fileio.write_frame(frame, tmp_path / "t.xlsx", sheet_name="表")
    assert pd.read_excel(book, sheet_name="表").equals(frame)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("code", "cause"),
    [(errno.EACCES, "没有写入权限"), (errno.EROFS, "只读"), (errno.EISDIR, "是一个文件夹")],
)
def test_write_problems_say_why_in_chinese(code, cause, tmp_path):
    message = fileio.write_problem(OSError(code, os.strerror(code), str(tmp_path)), tmp_path)
    assert cause in message and str(tmp_path) in message and "原有文件保持不变" in message
