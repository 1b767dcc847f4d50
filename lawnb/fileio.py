"""Files written atomically (a temp file beside the target, then a rename), and why a write failed.

Readers see the old file or the new one, never a part; on any failure the temp file is removed
and the old file is left as it was. A new file gets the mode a plain ``open()`` would give under
the user's umask (``mkstemp``'s files are 0600, which a colleague on a shared folder cannot
open); a replaced file keeps its mode.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Temp files of an atomic write start with this (and the target's name): a sweep can find them.
TEMP_PREFIX = "."


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
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(file: Path, text: str, *, fsync: bool = True) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``file`` atomically, making its folder."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(file, fsync=fsync) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")
    return file


def write_frame(frame: pd.DataFrame, file: Path, *, sheet_name: str | None = None) -> Path:
    """Write ``frame`` to ``file`` (UTF-8 CSV with BOM, or .xlsx with ``sheet_name``) atomically."""
    with atomic_path(Path(file)) as temp:
        if temp.suffix == ".xlsx":
            frame.to_excel(temp, index=False, sheet_name=sheet_name or "Sheet1")
        else:
            frame.to_csv(temp, index=False, encoding="utf-8-sig", lineterminator="\n")
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
