"""Execute one notebook with papermill and say which cell failed.

``execute_notebook`` takes a ``Job`` and gives the executed notebook and, when the run failed,
a ``JobFailure`` naming the failing cell among the source notebook's code cells. A cell that
raises, a cell past its timeout and a kernel that dies are failures, not exceptions; a run
stopped by a timeout or a dead kernel is marked in the executed notebook the way papermill
marks a cell that raised.
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
from lawnb.run.jobs import Job, JobFailure
from lawnb.run.kernels import kernel_arguments, stop_kernel, take_kernel, use_readable_parameters

# Tag added by papermill to the cell holding the injected parameters.
_INJECTED_TAG = "injected-parameters"


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


def _mark_failure(nb: nbformat.NotebookNode, ename: str, evalue: str) -> int | None:
    """Record a run stopped by a timeout or a dead kernel in the executed notebook.

    Papermill leaves such a cell marked "completed"; mark the last cell that started as failed,
    give it an error output, and return its index among the source code cells.
    """
    nb.metadata.setdefault("papermill", {})["exception"] = True
    started = [
        cell
        for cell in nb.cells
        if cell.cell_type == "code"
        and cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None
    cell = started[-1]
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
    source_cells = _source_code_cells(nb)
    for index, candidate in enumerate(source_cells):
        if candidate is cell:
            return index
    return None


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
    source_path = Path(job.notebook)
    source = _read_notebook(source_path)
    kernel_name = source.metadata.get("kernelspec", {}).get("name") or "python3"
    extra_arguments = kernel_arguments(kernel_name)
    workdir = Path(cwd) if cwd is not None else source_path.resolve().parent
    parameters = _prepare_parameters(job.parameters)

    kernel = None
    with tempfile.TemporaryDirectory(prefix="lawnb-run-") as tmp:
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
            )
        except PapermillExecutionError as exc:
            nb = partial()
            return nb, JobFailure(exc.ename, exc.evalue, _failed_code_cell(nb))
        except Exception as exc:  # timeout, dead kernel, kernel that does not start
            nb = partial()
            stopped = _describe_exception(exc, timeout)
            return nb, replace(stopped, cell=_mark_failure(nb, stopped.name, stopped.message))
        finally:
            if kernel is not None:
                stop_kernel(kernel)
    return nb, None
