"""Where a batch runs: a local process pool, a Dask cluster, or any ``concurrent.futures.Executor``."""

from __future__ import annotations

import concurrent.futures
import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from lawnb.errors import LawnbError

LOCAL = "process"


def executor_for(
    spec: str | concurrent.futures.Executor | None, *, scheduler: str | None = None
) -> AbstractContextManager[concurrent.futures.Executor | None]:
    """A context giving the executor that ``spec`` names (None: lawnb's own process pool).

    ``spec`` is ``"process"`` (the default pool), ``"dask"`` (a Dask distributed cluster at
    ``scheduler``, e.g. ``tcp://10.0.0.5:8786``; results travel back to the caller, so workers
    need no shared disk), ``"module:callable"`` (a callable returning an Executor), or an
    Executor object itself. Executors that this function creates are shut down on exit.
    """
    if spec is None or spec == LOCAL:
        return nullcontext(None)
    if isinstance(spec, concurrent.futures.Executor):
        return nullcontext(spec)
    if spec == "dask":
        return _dask(scheduler)
    if ":" in spec:
        return _factory(spec)
    raise LawnbError(
        f"--executor {spec!r} 无法识别。可用：process（默认）、dask（需 --scheduler 地址）、"
        "或“模块:函数”形式的工厂函数，如 mypkg.pools:make_executor。"
    )


@contextmanager
def _dask(scheduler: str | None):  # type: ignore[no-untyped-def]
    try:
        from distributed import Client
    except ImportError as exc:
        raise LawnbError('使用 --executor dask 需要安装 Dask：pip install "lawnb[dask]"') from exc
    if not scheduler:
        raise LawnbError("--executor dask 需要 --scheduler 调度器地址，如 tcp://127.0.0.1:8786。")
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as exc:
        raise LawnbError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from exc
    try:
        # pure=False: two runs of the same notebook are two tasks, never a cached result.
        yield client.get_executor(pure=False)
    finally:
        client.close()


@contextmanager
def _factory(spec: str):  # type: ignore[no-untyped-def]
    module_name, _, attribute = spec.partition(":")
    try:
        factory: Callable[[], Any] = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise LawnbError(
            f"--executor {spec!r}：找不到 {module_name} 中的 {attribute}（{exc}）。"
        ) from exc
    executor = factory()
    if not isinstance(executor, concurrent.futures.Executor):
        raise LawnbError(
            f"--executor {spec!r} 返回的不是 concurrent.futures.Executor：{type(executor).__name__}。"
        )
    with executor:
        yield executor
