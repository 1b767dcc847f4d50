"""Files written atomically (a temp file beside the target, then a rename), and why a write failed.

Readers see the old file or the new one, never a part; on any failure the temp file is removed
and the old file is left as it was. A new file gets the mode a plain ``open()`` would give under
the user's umask (``mkstemp``'s files are 0600, which a colleague on a shared folder cannot
open); a replaced file keeps its mode. A temp file a killed process left beside a target is
removed by the next write of that target once it is ``STALE_SECONDS`` old. Tables are written
with their formula-like text made inert (``lawnb.cell_safety``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Temp files of an atomic write start with this (and the target's name): a sweep can find them.
TEMP_PREFIX = "."
#: A temp file (or a staging folder) older than this was left by a process that died: removed.
#: No write takes that long without touching its file.
STALE_SECONDS = 600
_TEMP_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix


def umask_mode(base: int = 0o666) -> int:
    """``base`` less the process's umask (read without changing it for long)."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


@contextmanager
def atomic_path(file: Path, *, fsync: bool = False) -> Iterator[Path]:
    """A temp path beside ``file`` to write to; renamed over ``file`` when the block succeeds.

    The temp path keeps ``file``'s suffix (pandas and openpyxl choose the format by it).
    """
    file = Path(file)
    try:
        mode = file.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = umask_mode()
    remove_stale_temps(file)
    handle, name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{file.stem}.", suffix=file.suffix, dir=file.parent
    )
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, mode)
        if fsync:
            with open(temp, "rb") as written:
                os.fsync(written.fileno())
        os.replace(temp, file)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        failed = _serialiser_os_error(exc, file)
        if failed is None:
            raise
        raise failed from exc


def is_serialiser_echo(exc: BaseException | None) -> bool:
    """An lxml ``SerialisationError('IO_…')``: how a half-closed XML writer repeats, when it is
    collected, a failed write that was already reported (``lawnb.cli`` keeps it off screen)."""
    return type(exc).__name__ == "SerialisationError" and str(exc).startswith("IO_E")


def _serialiser_os_error(exc: BaseException, file: Path) -> OSError | None:
    """lxml (under openpyxl) reports a failed write as ``SerialisationError('IO_EFBIG')``: as
    the ``OSError`` it stands for, so that it gets the same message as any other write."""
    if not is_serialiser_echo(exc):
        return None
    code = getattr(errno, str(exc)[3:], errno.EIO)
    return OSError(code, os.strerror(code), str(file))


def remove_stale_temps(file: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temp files of ``file``'s atomic writes older than ``older_than`` seconds.

    Only names ``atomic_path`` makes for this very target (``.<stem>.XXXXXXXX<suffix>``), only
    regular files, never a young one (another process may be writing it). Returns those removed.
    """
    file = Path(file)
    pattern = re.compile(
        re.escape(f"{TEMP_PREFIX}{file.stem}.") + _TEMP_RANDOM + re.escape(file.suffix)
    )
    try:
        names = os.listdir(file.parent)
    except OSError:
        return []
    now, removed = time.time(), []
    for name in names:
        if not pattern.fullmatch(name):
            continue
        temp = file.parent / name
        try:
            info = temp.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                temp.unlink()
                removed.append(temp)
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
    return removed


def write_text(file: Path, text: str, *, fsync: bool = True) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``file`` atomically, making its folder."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(file, fsync=fsync) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")
    return file


def write_frame(frame: pd.DataFrame, file: Path, *, sheet_name: str | None = None) -> Path:
    """Write ``frame`` to ``file`` (UTF-8 CSV with BOM, or .xlsx with ``sheet_name``) atomically.

    Text that a spreadsheet would run as a formula is made inert: quoted in a CSV, an explicit
    text cell in a workbook (``lawnb.cell_safety``).
    """
    import pandas as pd

    from lawnb.cell_safety import csv_frame, text_cells

    with atomic_path(Path(file)) as temp:
        if temp.suffix == ".xlsx":
            name = sheet_name or "Sheet1"
            with pd.ExcelWriter(temp, engine="openpyxl") as writer:
                frame.to_excel(writer, index=False, sheet_name=name)
                text_cells(writer.sheets[name])
        else:
            csv_frame(frame).to_csv(temp, index=False, encoding="utf-8-sig", lineterminator="\n")
    return Path(file)


_WRITE_CAUSES = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ENOTDIR: "路径中有一个同名的文件挡住了文件夹",
    errno.EEXIST: "路径中有一个同名的文件挡住了文件夹",
    errno.EISDIR: "目标位置是一个文件夹",
    errno.EFBIG: "超过系统允许的文件大小（ulimit -f）",
    errno.ENAMETOOLONG: "路径或文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "打开的文件太多",
    errno.ELOOP: "路径中的符号链接成环",
}


def write_problem(exc: OSError, where: Path | str) -> str:
    """A Chinese sentence for a failed write: where, why, and that older files were kept."""
    cause = _WRITE_CAUSES.get(exc.errno or 0, exc.strerror or str(exc))
    # A failed rename names the temp file first and the target second: name the target.
    target = exc.filename2 or exc.filename or where
    return (
        f"无法写入 {target}：{cause}（{exc.strerror or exc}）。"
        "原有文件保持不变；请检查输出文件夹后重新运行。"
    )
