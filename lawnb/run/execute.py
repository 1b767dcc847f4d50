"""Execute one notebook with papermill and say which cell failed.

``execute_notebook`` takes a ``Job`` and gives the executed notebook and, when the run failed,
a ``JobFailure`` naming the failing cell among the source notebook's code cells. A cell that
raises, a cell past its timeout, a kernel that dies and a notebook whose output grows past
``MAX_OUTPUT_BYTES`` are failures, not exceptions; such a run is marked in the executed notebook
the way papermill marks a cell that raised. Papermill runs with lawnb's engine (``lawnb``): its
nbclient client counts the output as it arrives and kills the kernel at the cap, so that a
notebook printing without end neither fills memory nor outlives its timeout.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat

from lawnb.errors import RunError
from lawnb.run.jobs import Job, JobFailure, cell_number
from lawnb.run.kernels import (
    kernel_arguments,
    kill_kernel,
    stop_kernel,
    take_kernel,
    use_readable_parameters,
)

# Tag added by papermill to the cell holding the injected parameters.
_INJECTED_TAG = "injected-parameters"
#: The most output (text, HTML, images as base64, in UTF-8 bytes) one notebook may produce.
#: A page of a few dozen charts and tables is a few MB; more is a loop printing by mistake,
#: which the worker would hold in memory and the page could not show. Cleared output
#: (``clear_output``) no longer counts.
MAX_OUTPUT_BYTES = 50 * 1024 * 1024
_ENGINE = "lawnb"


class _OutputCap:
    """The output of one run counted as it arrives; ``over`` is the cell that went past."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.finished = 0  # bytes kept by the cells before ``cell``
        self.cell: int | None = None
        self.current = 0
        self.over: int | None = None

    def take(self, content: Mapping[str, Any], cell: int) -> bool:
        """Count one output of ``cell``; False once the run is over the cap (drop it)."""
        if self.over is not None:
            return False
        if cell != self.cell:
            self.finished += self.current
            self.cell, self.current = cell, 0
        self.current += _output_size(content)
        if self.finished + self.current > self.limit:
            self.over = cell
            return False
        return True

    def cleared(self, cell: int) -> None:
        if cell == self.cell:
            self.current = 0


def _text_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "replace"))
    if isinstance(value, list | tuple):
        return sum(_text_size(part) for part in value)
    if isinstance(value, dict):
        return sum(_text_size(part) for part in value.values())
    return 8


def _output_size(content: Mapping[str, Any]) -> int:
    return sum(_text_size(content.get(key)) for key in ("text", "data", "traceback"))


def _register_engine() -> None:
    """Register papermill's nbclient engine with a client that caps the output (once)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args
    from traitlets import Any as AnyTrait

    if _ENGINE in papermill_engines._engines:
        return

    class CappedClient(PapermillNotebookClient):  # type: ignore[misc]
        output_cap = AnyTrait(None)

        def output(self, outs, msg, display_id, cell_index):  # type: ignore[no-untyped-def]
            cap = self.output_cap
            if cap is None or cap.take(msg.get("content", {}), cell_index):
                return super().output(outs, msg, display_id, cell_index)
            if self.km is not None:  # the cell stops; nbclient sees a dead kernel
                kill_kernel(self.km)
            return None

        def clear_output(self, outs, msg, cell_index):  # type: ignore[no-untyped-def]
            if self.output_cap is not None:
                self.output_cap.cleared(cell_index)
            return super().clear_output(outs, msg, cell_index)

    class CappedEngine(NBClientEngine):  # type: ignore[misc]
        """``NBClientEngine.execute_managed_notebook`` (papermill 2.6) with ``CappedClient``."""

        @classmethod
        def execute_managed_notebook(  # type: ignore[no-untyped-def]
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kwargs = remove_args(["input_path"], **kwargs)
            final_kwargs = merge_kwargs(
                remove_args(["timeout", "startup_timeout"], **kwargs),
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return CappedClient(nb_man, **final_kwargs).execute()

    papermill_engines.register(_ENGINE, CappedEngine)


def _too_much_output(nb: nbformat.NotebookNode, job: Job, index: int) -> JobFailure:
    """The failure of a run whose cell ``index`` (in ``nb.cells``) went past the output cap,
    marked in ``nb``; that cell's outputs are dropped."""
    cell = nb.cells[index] if 0 <= index < len(nb.cells) else None
    if cell is not None:
        cell["outputs"] = []
    number = cell_number(_source_index(nb, cell))
    where = f"第 {number} 个代码单元" if number is not None else "代码单元"
    message = (
        f"笔记本 {Path(job.notebook).name} {where}的输出超过 "
        f"{MAX_OUTPUT_BYTES // (1024 * 1024)} MB（output too large），已中止运行，超出部分没有保存。"
        "请减少该单元格打印或显示的内容（如只显示 df.head()），或把大量结果写入文件。"
    )
    return JobFailure("RunError", message, _mark_failure(nb, "RunError", message, cell))


def _prepare_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Paths become absolute strings: the notebook runs in its own folder, not the caller's."""
    return {
        key: str(Path(value).resolve()) if isinstance(value, os.PathLike) else value
        for key, value in parameters.items()
    }


def _source_code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Code cells of the notebook as written by its author (no injected-parameters cell)."""
    return [
        cell
        for cell in nb.cells
        if cell.cell_type == "code"
        and _INJECTED_TAG not in cell.get("metadata", {}).get("tags", [])
    ]


def _is_error_output(output: Mapping[str, Any]) -> bool:
    if output.get("output_type") != "error":
        return False
    # papermill treats sys.exit() / sys.exit(0) as a clean stop.
    return not (output.get("ename") == "SystemExit" and output.get("evalue") in ("", "0"))


def _failed_code_cell(nb: nbformat.NotebookNode) -> int | None:
    """Index (among source code cells) of the first cell papermill marked as failed."""
    for index, cell in enumerate(_source_code_cells(nb)):
        if cell.get("metadata", {}).get("papermill", {}).get("exception") is True:
            return index
        if any(_is_error_output(output) for output in cell.get("outputs", [])):
            return index
    return None


def _describe_exception(exc: BaseException, timeout: int | None) -> JobFailure:
    """The failure of a run stopped outside a cell's own code (no cell named yet)."""
    name = type(exc).__name__
    if name == "CellTimeoutError":
        limit = f" {timeout} 秒" if timeout else "时限"
        return JobFailure(name, f"代码单元运行超过{limit}仍未结束，已中止（超时）")
    if name == "DeadKernelError":
        return JobFailure(name, "内核意外退出（可能是内存不足或代码调用了 os._exit），运行中止")
    lines = str(exc).strip().splitlines()
    return JobFailure(name, lines[0] if lines else "")


def _source_index(nb: nbformat.NotebookNode, cell: Any) -> int | None:
    """Index of ``cell`` among the source code cells (see ``JobFailure.cell``); None: not one."""
    return next((i for i, c in enumerate(_source_code_cells(nb)) if c is cell), None)


def _mark_failure(
    nb: nbformat.NotebookNode, ename: str, evalue: str, cell: Any = None
) -> int | None:
    """Record a run stopped by a timeout, a dead kernel or too much output in the notebook.

    Papermill leaves such a cell marked "completed"; mark ``cell`` (default: the last cell that
    started) as failed, give it an error output, and return its index among the source code cells.
    """
    nb.metadata.setdefault("papermill", {})["exception"] = True
    started = [
        cell
        for cell in nb.cells
        if cell.cell_type == "code"
        and cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if cell is None and not started:
        return None
    cell = cell if cell is not None else started[-1]
    meta = cell.metadata.setdefault("papermill", {})
    meta["exception"] = True
    meta["status"] = "failed"
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output(
            "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
        )
    )
    seen = False
    for other in nb.cells:
        if other is cell:
            seen = True
        elif seen and other.cell_type == "code":
            other_meta = other.get("metadata", {}).get("papermill")
            if other_meta is not None and not other_meta.get("start_time"):
                other_meta["status"] = "pending"
    return _source_index(nb, cell)


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        raise RunError(f"找不到笔记本文件 {path}：请检查路径是否正确。")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        raise RunError(
            f"无法读取笔记本 {path}：{exc}。请在 JupyterLab 中打开并重新保存该文件。"
        ) from exc


def execute_notebook(
    job: Job,
    *,
    timeout: int | None = None,
    cwd: Path | None = None,
    prestart: bool = False,
) -> tuple[nbformat.NotebookNode, JobFailure | None]:
    """Execute ``job.notebook`` with papermill in this process.

    Returns ``(executed notebook, failure)``; the failure is None on success. A cell that
    raises, a cell running longer than ``timeout`` seconds, or a kernel that dies is reported
    as a failure, not raised. The notebook runs in its own folder (``cwd`` overrides) with the
    kernel named in its metadata (``python3`` when none). With ``prestart`` the kernel of the
    next notebook (same kernel, same folder) is started now, in the background. Raises
    ``RunError`` when the notebook file is missing or unreadable.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    use_readable_parameters()
    _register_engine()
    source_path = Path(job.notebook)
    source = _read_notebook(source_path)
    kernel_name = source.metadata.get("kernelspec", {}).get("name") or "python3"
    extra_arguments = kernel_arguments(kernel_name)
    workdir = Path(cwd) if cwd is not None else source_path.resolve().parent
    parameters = _prepare_parameters(job.parameters)

    kernel = None
    cap = _OutputCap(MAX_OUTPUT_BYTES)
    # The pid in the name: a stopped worker removes its own (kernels.kill_all_kernels).
    with tempfile.TemporaryDirectory(prefix=f"lawnb-run-{os.getpid()}-") as tmp:
        # Papermill writes the executed notebook (with the error in it) before it raises, so
        # it goes to a private temp file; the caller decides where the result lands.
        out_path = Path(tmp) / "executed.ipynb"

        def partial() -> nbformat.NotebookNode:
            if out_path.is_file():
                return nbformat.read(out_path, as_version=4)
            return copy.deepcopy(source)

        try:
            kernel = take_kernel(
                (kernel_name, str(workdir), tuple(extra_arguments)), prestart=prestart
            )
            nb = papermill.execute_notebook(
                str(source_path),
                str(out_path),
                parameters=parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                cwd=str(workdir),
                execution_timeout=timeout,
                km=kernel[0],
                engine_name=_ENGINE,
                output_cap=cap,
                # No timed saves of the private copy during a cell: it is read only after the
                # run, and saving a notebook of many MB every 30 s only slows a flood down.
                autosave_cell_every=0,
            )
        except PapermillExecutionError as exc:
            nb = partial()
            if cap.over is not None:  # the kernel was killed for its output
                return nb, _too_much_output(nb, job, cap.over)
            return nb, JobFailure(exc.ename, exc.evalue, _failed_code_cell(nb))
        except Exception as exc:  # timeout, dead kernel, kernel that does not start
            nb = partial()
            if cap.over is not None:
                return nb, _too_much_output(nb, job, cap.over)
            stopped = _describe_exception(exc, timeout)
            return nb, replace(stopped, cell=_mark_failure(nb, stopped.name, stopped.message))
        finally:
            if kernel is not None:
                stop_kernel(kernel)
    if cap.over is not None:  # the last cell went past the cap and still ended
        return nb, _too_much_output(nb, job, cap.over)
    return nb, None
