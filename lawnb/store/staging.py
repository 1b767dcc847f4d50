"""A dataset folder replaced in one step, and its manifest.

Takes a folder and a function that writes the new tables into a staging folder beside it;
gives the folder replaced by the staging folder in one atomic exchange (or two renames that
``recover`` completes), so readers see the old dataset or the new one, never a mix. The other
files of the folder (manual corrections, notes …) are carried over and the manifest
(``manifest.json``: what was imported, and the sha256 of the tables this lawnb version
validated) is written last. Staging folders that interrupted saves left behind are swept.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.fileio import STALE_SECONDS, umask_mode, write_text
from lawnb.store.corrections import manual_file, write_corrections
from lawnb.store.dataset import TABLES

SCHEMA_VERSION = 1


def replace_folder(
    folder: str | Path,
    write_tables: Callable[[Path], None],
    *,
    corrections: pd.DataFrame,
    manifest: dict,
) -> Path:
    """Replace a dataset folder in one step by a staging folder that ``write_tables`` fills.

    ``write_tables`` writes the three validated tables into the staging folder it is given (or
    raises, and the folder is left as it was); the other files of the folder are carried over,
    the corrections written when the folder has none, and the manifest written last.
    """
    folder = Path(folder)
    if folder.is_symlink():  # replace the folder it points to, not the link
        folder = folder.resolve()
    check_dataset_target(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent))
    try:
        staging.chmod(_folder_mode(folder))
        write_tables(staging)
        copy_extras(folder, staging)
        if manual_file(staging) is None and not corrections.empty:
            write_corrections(staging, corrections)
        info = dict(manifest)
        info.setdefault("imports", [])
        info.update(schema_version=SCHEMA_VERSION, lawnb_version=_version())
        info["validated"] = validation_record(staging)
        write_manifest(staging, info)
        swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


#: A folder holding one of these is a dataset folder.
DATASET_MARKERS = ("manifest.json", "reports.csv")
#: The files a dataset folder may hold before its first save (the analysts' corrections).
_DATASET_FILES = {
    *DATASET_MARKERS,
    *(f"{name}.csv" for name in TABLES),
    "manual.csv",
    "manual.xlsx",
    "manual_reports.csv",
}


def is_dataset_folder(folder: str | Path) -> bool:
    """True for a folder holding a dataset (its manifest.json or reports.csv)."""
    folder = Path(folder)
    return folder.is_dir() and any((folder / name).is_file() for name in DATASET_MARKERS)


def check_dataset_target(folder: str | Path) -> None:
    """A ``DatasetError`` unless ``folder`` may become a dataset folder or be replaced by one.

    Allowed: a path where nothing is yet (under folders), an empty folder, a folder holding only
    a dataset's files, and a dataset folder. Refused, since replacing it would lose what it
    holds: a file (or anything but a folder), a folder of other things, a folder holding the
    current folder (the project root, ``.``), and a path under a file.
    """
    folder = Path(folder)
    shown = _shown(folder)
    target = Path(os.path.abspath(folder.resolve() if folder.is_symlink() else folder))
    try:
        here = Path(os.getcwd())
    except OSError:  # the current folder was removed: nothing to protect there
        here = None
    if here is not None and here.is_relative_to(target):
        raise DatasetError(
            f"{shown}: 是当前文件夹或它的上级文件夹，不能用作数据集文件夹（保存数据集会替换整个"
            "文件夹）。请指定一个子文件夹，如 data/我的数据集。"
        )
    if not target.exists() and not target.is_symlink():
        above = next(p for p in target.parents if p.exists() or p.is_symlink())
        if not above.is_dir():
            raise DatasetError(
                f"{shown}: 上级路径 {_shown(above)} 是一个文件，不是文件夹。请换一个数据集文件夹路径。"
            )
        return
    if not target.is_dir():
        raise DatasetError(
            f"{shown}: 已存在，但不是文件夹（是一个文件）。数据集是一个文件夹：请指定已有的数据集"
            "文件夹，或一个还不存在的文件夹名（将新建）；原文件不会被改动。"
        )
    if is_dataset_folder(target):
        return
    try:
        others = [p.name for p in target.iterdir() if p.name not in _DATASET_FILES]
    except OSError as exc:
        raise DatasetError(
            f"{shown}: 无法读取文件夹（{exc.strerror}）。请检查权限，或换一个数据集文件夹。"
        ) from exc
    if others:
        names = "、".join(_shown(Path(name), 40) for name in sorted(others)[:3])
        more = f" 等 {len(others)} 项" if len(others) > 3 else ""
        raise DatasetError(
            f"{shown}: 文件夹中已有其他文件（{names}{more}），但不是数据集（没有 manifest.json 或 "
            "reports.csv）。保存数据集会替换整个文件夹：请指定一个新的或空的文件夹。"
        )


def _shown(path: Path, limit: int = 120) -> str:
    """A path as a message shows it, capped."""
    text = str(path)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _folder_mode(folder: Path) -> int:
    """The permissions of the existing folder, or those ``mkdir`` would give (mkdtemp's are 0700)."""
    if folder.is_dir():
        return folder.stat().st_mode & 0o7777
    return umask_mode(0o777)


def copy_extras(folder: Path, staging: Path) -> None:
    """Copy every file of ``folder`` that the staging folder lacks (manual.csv, notes …)."""
    if not folder.is_dir():
        return
    for extra in folder.iterdir():
        target = staging / extra.name
        if target.exists():
            continue
        if extra.is_dir():
            shutil.copytree(extra, target)
        else:
            shutil.copy2(extra, target)


def swap_in(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging``: one atomic exchange where the system allows it."""
    if not folder.exists():
        os.replace(staging, folder)
    elif exchange(staging, folder):
        shutil.rmtree(staging)  # it now holds the old folder
    else:  # two renames; ``recover`` restores the old folder if we stop between them
        old = _old_path(folder)
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(folder.parent)


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def recover(folder: Path) -> None:
    """Put back the old folder if a save stopped between its two renames (no atomic exchange)."""
    old = _old_path(folder)
    if not folder.exists() and old.is_dir():
        with contextlib.suppress(OSError):  # another process may have got there first
            os.replace(old, folder)


def _old_path(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def _remove_stale_staging(folder: Path) -> None:
    """Remove staging folders that interrupted saves left behind (older than ten minutes)."""
    if not folder.parent.is_dir():
        return
    now = time.time()
    for stale in folder.parent.glob(f".{folder.name}.*.new"):
        try:
            if now - stale.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue
    if folder.exists():
        shutil.rmtree(_old_path(folder), ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# --- the manifest -------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The manifest of a dataset folder (empty when there is none yet)."""
    file = Path(folder) / "manifest.json"
    if not file.exists():
        return {"schema_version": SCHEMA_VERSION, "imports": []}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (
            f"第 {exc.lineno} 行：{exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else "不是 UTF-8"
        )
        raise DatasetError(
            f"{file}: 清单文件损坏（{where}）。请从备份恢复，或删除它后重新导入报告。"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("imports", []), list):
        raise DatasetError(
            f"{file}: 清单文件损坏（应为 JSON 对象 {{…}}，其中 imports 为列表）。"
            "请从备份恢复，或删除它后重新导入报告。"
        )
    return data


def write_manifest(folder: Path, info: dict) -> None:
    """The manifest of a (staging) folder, flushed to disk."""
    write_text(folder / "manifest.json", json.dumps(info, ensure_ascii=False, indent=2))


def validation_record(folder: Path) -> dict:
    """What the manifest keeps of a validated save: this lawnb version and each table's sha256."""
    tables = {}
    for name in TABLES:
        with open(folder / f"{name}.csv", "rb") as handle:
            tables[f"{name}.csv"] = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"lawnb_version": _version(), "schema_version": SCHEMA_VERSION, "tables": tables}


def forget_imports(manifest: dict, report_ids: Collection[str]) -> None:
    """Drop the manifest's import entries of these reports (their files import afresh)."""
    manifest["imports"] = [
        e for e in manifest.get("imports", []) if e.get("report_id") not in report_ids
    ]


def rename_imports(manifest: dict, renames: Mapping[str, str]) -> None:
    """The manifest's import entries of renamed reports take the new report_id."""
    for entry in manifest.get("imports", []):
        if entry.get("report_id") in renames:
            entry["report_id"] = renames[entry["report_id"]]


def _version() -> str:
    from lawnb import __version__

    return __version__
