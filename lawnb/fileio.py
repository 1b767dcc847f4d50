"""Files for people, written atomically: a temp file beside the target, then a rename.

The file gets the mode a plain ``open()`` would give under the user's umask (``mkstemp``'s
files are 0600, which a colleague on a shared folder cannot open).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def umask_mode(base: int = 0o666) -> int:
    """``base`` less the process's umask (read without changing it for long)."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def write_frame(frame: pd.DataFrame, file: Path, *, sheet_name: str | None = None) -> Path:
    """Write ``frame`` to ``file`` (UTF-8 CSV with BOM, or .xlsx with ``sheet_name``) atomically."""
    file = Path(file)
    handle, temp = tempfile.mkstemp(prefix=f".{file.stem}.", suffix=file.suffix, dir=file.parent)
    os.close(handle)
    try:
        os.chmod(temp, umask_mode())
        if file.suffix == ".xlsx":
            frame.to_excel(temp, index=False, sheet_name=sheet_name or "Sheet1")
        else:
            frame.to_csv(temp, index=False, encoding="utf-8-sig", lineterminator="\n")
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return file
