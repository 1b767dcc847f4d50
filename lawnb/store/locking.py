"""One writer at a time per dataset folder: a lock held from loading the dataset to saving it.

Two imports into one folder at the same time would each load the old dataset and save their
own additions, and the first save would be lost. The lock (``filelock``: ``flock`` on POSIX,
``msvcrt`` on Windows) is a file beside the folder, since the folder itself is replaced on
every save; the operating system releases it when its process ends, however it ends.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from lawnb.errors import DatasetError

__all__ = ["LOCK_TIMEOUT_SECONDS", "lock_path", "writing"]

log = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 600.0  # how long a writer waits for another; LAWNB_LOCK_TIMEOUT overrides


def lock_path(folder: str | Path) -> Path:
    """The lock file of a dataset folder: ``.<name>.lock`` in its parent folder."""
    folder = Path(folder)
    if folder.is_symlink():
        folder = folder.resolve()
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def writing(folder: str | Path) -> Iterator[None]:
    """Hold the write lock of a dataset folder, waiting (and saying so) while another holds it.

    Raises ``DatasetError`` naming the lock file when the wait exceeds the timeout.
    """
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        timeout = _timeout()
        log.warning("数据集 %s 正由另一个进程写入，等待其完成（最多 %g 秒）…", folder, timeout)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise DatasetError(
                f"{folder}: 另一个进程写入数据集已超过 {timeout:g} 秒，本次未做任何改动。"
                f"请等它完成后重试；锁文件 {path} 在持有它的进程结束时自动释放。"
            ) from None
    try:
        yield
    finally:
        lock.release()


def _timeout() -> float:
    value = os.environ.get("LAWNB_LOCK_TIMEOUT", "")
    try:
        return float(value) if value else LOCK_TIMEOUT_SECONDS
    except ValueError:
        raise DatasetError(
            f"环境变量 LAWNB_LOCK_TIMEOUT={value!r} 不是秒数。请改为数字，如 600。"
        ) from None
