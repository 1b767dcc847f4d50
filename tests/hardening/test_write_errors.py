"""Issue 18: a disk that is full, a file size limit, a folder lawnb may not write to.

Every ``OSError`` a user's system can give while lawnb writes becomes a Chinese message that
names the path and says what to do, with exit status 2 and no traceback; and nothing is half
written: the dataset stays as it was, no export or temp file is left. The file size limit is
real (``RLIMIT_FSIZE`` in a subprocess); the other causes are raised where the save swaps its
folder in, since a test cannot fill the disk or (as root, in CI) be refused a folder.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from dataset_helpers import demo_report, table_bytes

from lawnb.cli import main
from lawnb.store.importing.reports import import_reports

LAWNB = [sys.executable, "-c", "import sys; from lawnb.cli import main; sys.exit(main())"]
SIZE_LIMIT = 20_000  # bytes: smaller than a dataset's facts.csv or an exported workbook


def _limited_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE_LIMIT, SIZE_LIMIT))


def _lawnb_with_a_file_size_limit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*LAWNB, *args],
        preexec_fn=_limited_file_size,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.slow  # subprocesses
def test_an_import_over_the_file_size_limit_is_a_message_and_keeps_the_dataset(tmp_path):
    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    before = table_bytes(folder)
    done = _lawnb_with_a_file_size_limit(
        "import", str(demo_report("西山镇", 2021)), str(demo_report("西山镇", 2022)),
        "--dataset", str(folder), "--no-progress", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "超过系统允许的文件大小" in done.stderr, done.stderr
    assert str(tmp_path) in done.stderr
    assert table_bytes(folder) == before
    assert [p for p in _files(tmp_path) if p.endswith(".new")] == []


@pytest.mark.slow  # subprocesses
def test_an_export_over_the_file_size_limit_is_a_message_and_leaves_no_file(tmp_path):
    target = tmp_path / "export" / "示例区.xlsx"
    target.parent.mkdir()
    done = _lawnb_with_a_file_size_limit(
        "export", "--dataset", "demo", "--xlsx", str(target), cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "超过系统允许的文件大小" in done.stderr, done.stderr
    assert str(target) in done.stderr
    assert _files(target.parent) == []


@pytest.mark.parametrize(
    "code, cause",
    [
        (errno.ENOSPC, "磁盘空间已满"),
        (errno.EDQUOT, "磁盘配额已用完"),
        (errno.EACCES, "没有写入权限"),
        (errno.EROFS, "只读"),
        (errno.EFBIG, "超过系统允许的文件大小"),
        (errno.EIO, "Input/output error"),
    ],
    ids=["ENOSPC", "EDQUOT", "EACCES", "EROFS", "EFBIG", "EIO"],
)
def test_each_write_error_of_an_import_is_a_message_naming_the_path(
    tmp_path, capsys, monkeypatch, code, cause
):
    import lawnb.store.staging as staging

    folder = tmp_path / "ds"
    import_reports([demo_report("东湖镇", 2021)], folder)
    before = table_bytes(folder)

    def refused(staged: Path, target: Path) -> None:
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(staging, "swap_in", refused)
    status = main(["import", str(demo_report("西山镇", 2021)), "--dataset", str(folder)])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    assert cause in err and str(folder) in err, err
    assert table_bytes(folder) == before
    assert [p for p in _files(tmp_path) if p.endswith(".new")] == []
