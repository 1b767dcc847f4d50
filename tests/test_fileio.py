"""lawnb.fileio: atomic writes keep the old file on any failure, leave no temp file, and get
the modes a colleague can open."""

from __future__ import annotations

import errno
import os
import time
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


def _temp_of(target: Path, random: str) -> Path:
    """A temp file named as ``atomic_path`` names those of ``target``."""
    temp = target.parent / f"{fileio.TEMP_PREFIX}{target.stem}.{random}{target.suffix}"
    temp.write_text("半截", encoding="utf-8")
    return temp


def test_a_write_sweeps_old_temp_files_of_its_target_and_keeps_young_ones(tmp_path):
    target = tmp_path / "facts.csv"
    old = _temp_of(target, "k1ll3d_0")  # left by a process killed over ten minutes ago
    young = _temp_of(target, "wr1t1ng_")  # another process may be writing it right now
    other = _temp_of(tmp_path / "reports.csv", "k1ll3d_1")  # another target's: not ours
    lookalike = tmp_path / ".facts.k1ll3d_2.csv.bak"  # not a name atomic_path makes
    lookalike.write_text("x", encoding="utf-8")
    long_ago = time.time() - fileio.STALE_SECONDS - 60
    for path in (old, other, lookalike):
        os.utime(path, (long_ago, long_ago))
    just_now = time.time() - fileio.STALE_SECONDS / 2
    os.utime(young, (just_now, just_now))

    fileio.write_frame(pd.DataFrame({"单位": ["甲镇"]}), target)

    assert not old.exists()
    assert young.exists() and other.exists() and lookalike.exists()
    assert target.read_text(encoding="utf-8-sig") == "单位\n甲镇\n"
    assert sorted(p.name for p in leftovers(tmp_path)) == sorted(
        p.name for p in (young, other, lookalike)
    )


def test_frames_with_formula_like_text_are_written_inert(tmp_path):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"事项": ["=1+1", "-5", "@A1"], "数值": [-5, 3, 0]})
    csv = fileio.write_frame(frame, tmp_path / "t.csv")
    assert csv.read_text(encoding="utf-8-sig") == "事项,数值\n'=1+1,-5\n-5,3\n'@A1,0\n"
    book = fileio.write_frame(frame, tmp_path / "t.xlsx", sheet_name="表")
    cells = [c for row in load_workbook(book)["表"].iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == "=1+1"] == ["s"]
    assert not [c for c in cells if c.data_type == "f"]
    assert pd.read_excel(book, sheet_name="表").equals(frame)
