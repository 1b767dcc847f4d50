"""Run parameterised notebooks with papermill, export them to offline HTML, index the results.

The work is split in two so that a remote executor (e.g. Dask) needs no shared disk:

- ``render_job`` runs in a worker: it executes one notebook and returns its text
  (``.ipynb`` JSON and, on success, HTML) in a ``RenderedJob``;
- ``write_rendered`` runs in the caller: it writes the files atomically.

``run_job`` does both in the current process; ``run_jobs`` runs a batch, one notebook at a time
per worker process, and writes the files in the parent as the results arrive.
``write_index`` keeps ``outputs/runs.json`` and ``outputs/index.html`` up to date.

Outputs are meant for an offline intranet: the HTML loads nothing from the network.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import copy
import json
import multiprocessing
import multiprocessing.util
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

# jsonschema, imported by nbformat, imports rfc3987_syntax when it is installed, and that builds
# ~35 Earley parsers at import time (0.9 s in every process, jsonschema#1428) for the "iri"
# formats that no notebook schema uses. Without it jsonschema just skips those two formats.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat  # noqa: E402
from tqdm import tqdm  # noqa: E402

from lawnb.errors import LawnbError, RunError  # noqa: E402
from lawnb.fileio import write_problem, write_text  # noqa: E402

__all__ = [
    "FONT_STACK",
    "TEMPLATE_DIR",
    "TEMPLATE_NAME",
    "Job",
    "JobResult",
    "RenderedJob",
    "execute_notebook",
    "export_html",
    "external_resources",
    "render_job",
    "run_job",
    "run_jobs",
    "write_index",
    "write_rendered",
]

#: Folder holding the nbconvert template ``lawnb`` (it extends JupyterLab's ``lab``).
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "lawnb"
#: The CSS font stack of every page lawnb writes.
FONT_STACK = (
    '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)
STATUS_FILE = "runs.json"
INDEX_FILE = "index.html"
#: The Jinja template of ``outputs/index.html`` (not an nbconvert template).
INDEX_TEMPLATE_DIR = TEMPLATE_DIR / "lawnb_index"
INDEX_TEMPLATE = "index.html.j2"

# Tag added by papermill to the cell holding the injected parameters.
_INJECTED_TAG = "injected-parameters"
# Cells with these tags (or outputs) do not appear in the HTML.
_REMOVE_CELL_TAGS = frozenset({"remove-cell", "remove_cell"})
_REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
# The kernel's own log (e.g. "running over TCP without encryption", shutdown noise after a
# timeout) is not about the notebook; errors in the notebook reach us through its outputs.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]

# Anything the browser would load by itself from another host: src=/data= of embedded
# elements, <link href>, CSS url() and @import. A plain <a href> is a link, not a load.
_EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|link|iframe|frame|source|video|audio|embed|object|track|input)\b"""
    r"""[^>]*?\b(?:src|href|data|srcset|poster)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)"""
    r"""|url\(\s*["']?\s*((?:https?:)?//[^"')\s]*)"""
    r"""|@import\s+["']\s*((?:https?:)?//[^"'\s]*)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Job:
    """One notebook run: which notebook, with which parameters, written where.

    ``out_stem`` is the output path without suffix: ``outputs/2020/市中区/齐村镇`` gives
    ``齐村镇.ipynb`` and ``齐村镇.html`` in ``outputs/2020/市中区``. ``district``, ``unit`` and
    ``fictional`` are what the index page shows of the job (None: taken from the parameters
    and the path); ``fictional`` marks a page made from a fictional dataset (虚构示例数据).
    """

    notebook: Path
    parameters: dict[str, Any]
    out_stem: Path
    title: str
    label: str = ""
    district: str | None = None
    unit: str | None = None
    fictional: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "notebook", Path(self.notebook))
        object.__setattr__(self, "out_stem", Path(self.out_stem))
        object.__setattr__(self, "parameters", dict(self.parameters))

    @property
    def html_path(self) -> Path:
        """The HTML report this job writes."""
        return self.out_stem.with_name(self.out_stem.name + ".html")

    @property
    def ipynb_path(self) -> Path:
        """The executed notebook this job writes."""
        return self.out_stem.with_name(self.out_stem.name + ".ipynb")

    @property
    def name(self) -> str:
        """The label, or the output file name when there is none."""
        return self.label or self.out_stem.name


@dataclass(frozen=True)
class RenderedJob:
    """What a worker sends back: the executed notebook and the HTML as text, no files."""

    job: Job
    ipynb: str | None
    html: str | None
    error: str | None
    failed_cell: int | None
    seconds: float

    @property
    def ok(self) -> bool:
        """True when the notebook ran to the end and the HTML was exported."""
        return self.error is None and self.html is not None


@dataclass
class JobResult:
    """The outcome of one job once its files are written.

    ``failed_cell`` is the 0-based index of the failing cell among the *source* notebook's
    code cells (papermill's injected-parameters cell is not counted); ``error`` reads
    ``"EName: message"``. ``html`` is None for a failed job: a previous HTML from an earlier
    good run is left on disk untouched. ``finished`` is when the files were written (local
    time, ``2024-03-01 09:30:05``): the page's own run time on the index.
    """

    job: Job
    ok: bool
    html: Path | None
    ipynb: Path | None
    error: str | None
    failed_cell: int | None
    seconds: float
    finished: str = ""


# ---------------------------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------------------------


def _prepare_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Paths become absolute strings: the notebook runs in its own folder, not the caller's."""
    return {
        key: str(Path(value).resolve()) if isinstance(value, os.PathLike) else value
        for key, value in parameters.items()
    }


def _use_readable_parameters() -> None:
    """Inject string parameters as ``'齐村镇'`` rather than papermill's ``"\\u9f50..."``.

    The executed ``.ipynb`` is read by analysts; ``repr`` gives a valid Python literal that keeps
    Chinese characters as they are.
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val: Any) -> str:
            if isinstance(str_val, str):
                return repr(str_val)
            return super().translate_escaped_str(str_val)

    current = papermill_translators._translators.get("python")
    if current is None or current.__name__ != ReadablePythonTranslator.__name__:
        papermill_translators.register("python", ReadablePythonTranslator)


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


def _describe_exception(exc: BaseException, timeout: int | None) -> tuple[str, str]:
    """(ename, evalue) for an exception that stopped the run outside a cell's own code."""
    name = type(exc).__name__
    if name == "CellTimeoutError":
        limit = f" {timeout} 秒" if timeout else "时限"
        return name, f"代码单元运行超过{limit}仍未结束，已中止（超时）"
    if name == "DeadKernelError":
        return name, "内核意外退出（可能是内存不足或代码调用了 os._exit），运行中止"
    lines = str(exc).strip().splitlines()
    return name, lines[0] if lines else ""


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


def _is_ipykernel(kernel_name: str) -> bool:
    """True for an IPython kernel (the only kind that understands ``_KERNEL_ARGS``)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except Exception:  # unknown kernel: papermill reports it
        return False
    return any("ipykernel" in part for part in argv)


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        raise RunError(f"找不到笔记本文件 {path}：请检查路径是否正确。")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        raise RunError(
            f"无法读取笔记本 {path}：{exc}。请在 JupyterLab 中打开并重新保存该文件。"
        ) from exc


# Kernels are started here rather than by papermill: over IPC (Unix sockets) where there is
# one, so that no TCP port can be taken by another kernel between being picked and being bound
# (papermill#511: "Address already in use", more likely the more kernels start at once); and,
# in a batch, the next notebook's kernel starts while this one runs. Killed once done.
_KernelKey = tuple[str, str, tuple[str, ...]]
_SPARE: dict[_KernelKey, tuple[Any, str]] = {}


def _start_kernel(key: _KernelKey) -> tuple[Any, str]:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    kernel_name, cwd, extra = key
    folder = ""
    if os.name == "posix":  # IPC sockets in a folder of their own
        if not _SWEPT:
            _sweep_kernel_folders()
        folder = tempfile.mkdtemp(prefix=f"lawnb-kernel-{os.getpid()}-")
        km = AsyncKernelManager(
            kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "k")
        )
    else:
        km = AsyncKernelManager(kernel_name=kernel_name)
    try:
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=list(extra))
    except BaseException:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return km, folder


_SWEPT: list[bool] = []


def _sweep_kernel_folders() -> None:
    """Remove the socket folders left by processes that were killed (SIGKILL skips clean-up)."""
    _SWEPT.append(True)
    for folder in Path(tempfile.gettempdir()).glob("lawnb-kernel-*-*"):
        pid = folder.name.split("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, or not ours to signal
            pass


def _take_kernel(key: _KernelKey, *, prestart: bool) -> tuple[Any, str]:
    """A started kernel (the one started ahead when there is one); start the next if asked."""
    kernel = _SPARE.pop(key, None)
    for other in list(_SPARE):  # started for another notebook folder or kernel
        _stop_kernel(_SPARE.pop(other))
    if kernel is None:
        kernel = _start_kernel(key)
    if prestart:
        with contextlib.suppress(Exception):  # the next notebook then starts its own
            _SPARE[key] = _start_kernel(key)
    return kernel


def _stop_kernel(kernel: tuple[Any, str]) -> None:
    from jupyter_core.utils import run_sync

    km, folder = kernel
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _stop_spares() -> None:
    while _SPARE:
        _stop_kernel(_SPARE.popitem()[1])


atexit.register(_stop_spares)
multiprocessing.util.Finalize(None, _stop_spares, exitpriority=10)  # forked workers skip atexit


def execute_notebook(
    job: Job,
    *,
    timeout: int | None = None,
    cwd: Path | None = None,
    prestart: bool = False,
) -> tuple[nbformat.NotebookNode, str | None, int | None]:
    """Execute ``job.notebook`` with papermill in this process.

    Returns ``(executed notebook, error, failed cell)``; error and failed cell are None on
    success. A cell that raises, a cell running longer than ``timeout`` seconds, or a kernel
    that dies is reported as an error, not raised. The notebook runs in its own folder
    (``cwd`` overrides) with the kernel named in its metadata (``python3`` when none).
    With ``prestart`` the kernel of the next notebook (same kernel, same folder) is started
    now, in the background. Raises ``RunError`` when the notebook file is missing or unreadable.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _use_readable_parameters()
    source_path = Path(job.notebook)
    source = _read_notebook(source_path)
    kernel_name = source.metadata.get("kernelspec", {}).get("name") or "python3"
    extra_arguments = _KERNEL_ARGS if _is_ipykernel(kernel_name) else []
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
            kernel = _take_kernel(
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
            failed = _failed_code_cell(nb)
            return nb, f"{exc.ename}: {exc.evalue}", failed
        except Exception as exc:  # timeout, dead kernel, kernel that does not start
            nb = partial()
            ename, evalue = _describe_exception(exc, timeout)
            failed = _mark_failure(nb, ename, evalue)
            return nb, f"{ename}: {evalue}", failed
        finally:
            if kernel is not None:
                _stop_kernel(kernel)
    return nb, None, None


# ---------------------------------------------------------------------------------------------
# HTML export
# ---------------------------------------------------------------------------------------------


def external_resources(html: str) -> list[str]:
    """URLs in ``html`` that a browser would fetch from another host (empty when offline-safe)."""
    return [
        next(group for group in match.groups() if group) for match in _EXTERNAL_LOAD.finditer(html)
    ]


def _prepare_for_html(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without stderr streams (warnings) and without cells/outputs tagged for removal."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "code":
            if tags & _REMOVE_OUTPUT_TAGS:
                cell.outputs = []
            else:
                cell.outputs = [
                    output
                    for output in cell.get("outputs", [])
                    if not (
                        output.get("output_type") == "stream" and output.get("name") == "stderr"
                    )
                ]
        cells.append(cell)
    nb.cells = cells
    return nb


_EXPORTERS = threading.local()


def _html_exporter() -> Any:
    """This thread's HTMLExporter, made once: making one loads and compiles the templates."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            template_name=TEMPLATE_NAME,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            exclude_anchor_links=True,
            language_code="zh",
        )
        _EXPORTERS.html = exporter
    return exporter


def export_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Render an executed notebook as one self-contained Chinese HTML page.

    Outputs only (no code, no prompts, no stderr), ``<html lang="zh">``, the given ``<title>``,
    CJK fonts and A4 print styles; figures and local markdown images are embedded as data:
    URIs. Raises ``RunError`` if the page would still load something from the network.
    """
    prepared = _prepare_for_html(nb)
    prepared.metadata["title"] = title
    input_path = nb.metadata.get("papermill", {}).get("input_path")
    base = str(Path(input_path).resolve().parent) if input_path else ""
    exporter = _html_exporter()
    try:
        body, _ = exporter.from_notebook_node(
            prepared, resources={"metadata": {"name": title, "path": base}}
        )
    except Exception as exc:
        raise RunError(f"导出 HTML 失败（{title}）：{type(exc).__name__}: {exc}") from exc
    external = external_resources(body)
    if external:
        shown = "、".join(sorted(set(external))[:3])
        raise RunError(
            f"HTML（{title}）引用了外部资源 {shown}：内网无法访问。"
            "请改用本地文件或嵌入的图片，不要引用网络上的图片、脚本或样式。"
        )
    return body


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def write_rendered(rendered: RenderedJob) -> JobResult:
    """Write a worker's output: the executed ``.ipynb`` always (when there is one), the ``.html``
    only on success. A write failure makes the result a failure; it does not raise."""
    job = rendered.job
    error = rendered.error
    html_path: Path | None = None
    ipynb_path: Path | None = None
    try:
        if rendered.ipynb is not None:
            write_text(job.ipynb_path, rendered.ipynb)
            ipynb_path = job.ipynb_path
        if error is None and rendered.html is not None:
            write_text(job.html_path, rendered.html)
            html_path = job.html_path
    except OSError as exc:
        error = f"{type(exc).__name__}: {write_problem(exc, job.out_stem)}"
    ok = error is None and html_path is not None
    if error is None and not ok:
        error = "RunError: 没有生成 HTML"
    return JobResult(
        job=job,
        ok=ok,
        html=html_path,
        ipynb=ipynb_path,
        error=error,
        failed_cell=rendered.failed_cell,
        seconds=rendered.seconds,
        finished=_now(),
    )


def _now() -> str:
    return datetime.now().isoformat(sep=" ", timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------------------------


def render_job(job: Job, timeout: int | None = None, prestart: bool = False) -> RenderedJob:
    """Worker side of a job: execute, export, return text only (picklable; writes no output).

    Never raises for a failing notebook; the failure is in the returned ``RenderedJob``.
    """
    start = time.perf_counter()
    ipynb: str | None = None
    html: str | None = None
    failed: int | None = None
    try:
        nb, error, failed = execute_notebook(job, timeout=timeout, prestart=prestart)
        ipynb = nbformat.writes(nb)
        if error is None:
            html = export_html(nb, title=job.title)
    except LawnbError as exc:
        error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    return RenderedJob(
        job=job,
        ipynb=ipynb,
        html=html,
        error=error,
        failed_cell=failed,
        seconds=time.perf_counter() - start,
    )


def run_job(job: Job, *, timeout: int | None = None) -> JobResult:
    """Execute one notebook in this process, export it and write both files atomically.

    ``timeout`` is in seconds per cell (None: no limit).
    """
    return write_rendered(render_job(job, timeout))


def _check_jobs(jobs: Sequence[Job]) -> None:
    seen: dict[Path, Job] = {}
    for job in jobs:
        key = Path(os.path.abspath(job.out_stem))
        if key in seen:
            raise RunError(
                f"两个任务写入同一个输出 {job.out_stem}（{seen[key].name} 与 {job.name}）："
                "请为每个单位和年度设置不同的输出路径。"
            )
        seen[key] = job


def run_jobs(
    jobs: Sequence[Job],
    *,
    max_workers: int | None = None,
    timeout: int | None = None,
    progress: bool = True,
    executor: concurrent.futures.Executor | None = None,
) -> list[JobResult]:
    """Run a batch of notebooks in parallel, one notebook at a time per worker process.

    By default a spawn-context ``ProcessPoolExecutor`` with ``max_workers`` (CPU count)
    workers; pass ``executor`` to use another (it must run each task in its own process, since
    papermill changes the process's working directory). Files are written here, in the caller,
    as results arrive; a failing notebook does not stop the others. The progress bar goes to
    stderr and is hidden when ``progress`` is False or stderr is not a terminal.

    When a worker process dies (killed by the system for lack of memory, or from outside), a
    process pool fails every task it holds. With the default pool those tasks are run again,
    each alone in a fresh process, so that only the notebook that kills its process fails
    (``RunError: 运行笔记本的进程意外终止``) and the rest of the batch completes.
    Returns the results in the order of ``jobs``.
    """
    jobs = list(jobs)
    _check_jobs(jobs)
    if not jobs:
        return []
    own = executor is None
    workers = max(1, min(max_workers or os.cpu_count() or 1, len(jobs)))
    if executor is None:
        executor = _process_pool(workers)
    results: list[JobResult | None] = [None] * len(jobs)
    broken: list[int] = []
    with tqdm(
        total=len(jobs),
        desc="运行笔记本",
        unit="本",
        file=sys.stderr,
        disable=None if progress else True,
        dynamic_ncols=True,
    ) as bar:

        def record(index: int, rendered: RenderedJob) -> None:
            result = write_rendered(rendered)
            results[index] = result
            if not result.ok and not bar.disable:
                bar.write(f"失败：{result.job.name}：{result.error}", file=sys.stderr)
            bar.set_postfix_str(result.job.name, refresh=False)
            bar.update(1)

        finished = False
        try:
            futures = {}
            for index, job in enumerate(jobs):
                try:
                    # lawnb's own workers start the next kernel ahead, but for the last jobs
                    prestart = own and index < len(jobs) - workers
                    futures[executor.submit(render_job, job, timeout, prestart)] = index
                except BrokenProcessPool:  # a worker died while the batch was being queued
                    if not own:
                        raise
                    broken.append(index)
            for future in concurrent.futures.as_completed(futures):
                index = futures[future]
                try:
                    rendered = future.result()
                except BrokenProcessPool as exc:
                    if own:
                        broken.append(index)  # run again below, alone in a fresh process
                        continue
                    rendered = _died(jobs[index], exc)
                except Exception as exc:  # could not pickle, a remote worker lost, ...
                    rendered = _not_run(jobs[index], exc)
                record(index, rendered)
            finished = True
        finally:
            if own:
                executor.shutdown(wait=finished, cancel_futures=True)
        if broken:
            _run_isolated([(i, jobs[i]) for i in sorted(broken)], workers, timeout, record)
        for index, result in enumerate(results):
            if result is None:  # never expected: no job may vanish from the report
                record(index, _not_run(jobs[index], RunError("笔记本没有运行")))
    return [result for result in results if result is not None]


def _process_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn")
    )


def _not_run(job: Job, exc: BaseException) -> RenderedJob:
    return RenderedJob(
        job=job,
        ipynb=None,
        html=None,
        error=f"{type(exc).__name__}: {exc}",
        failed_cell=None,
        seconds=0.0,
    )


def _died(job: Job, exc: BaseException | None = None) -> RenderedJob:
    detail = f"（{type(exc).__name__}）" if exc is not None else ""
    return RenderedJob(
        job=job,
        ipynb=None,
        html=None,
        error=(
            f"RunError: 运行笔记本的进程意外终止{detail}：可能是内存不足被系统结束、被外部终止，"
            "或笔记本中的代码结束了进程。其他笔记本不受影响，原有输出保持不变；"
            "请检查该笔记本后重新运行。"
        ),
        failed_cell=None,
        seconds=0.0,
    )


def _run_isolated(
    pending: list[tuple[int, Job]],
    workers: int,
    timeout: int | None,
    record: Callable[[int, RenderedJob], None],
) -> None:
    """Run jobs one at a time per single-process pool, ``workers`` pools side by side.

    A job whose process dies breaks only its own pool: it fails, the pool is replaced and the
    other jobs go on. Results are recorded here, in the calling thread, as they arrive.
    """
    todo = list(pending)
    lock = threading.Lock()
    done: queue.Queue[tuple[int, RenderedJob]] = queue.Queue()

    def lane() -> None:
        pool: concurrent.futures.ProcessPoolExecutor | None = None
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    index, job = todo.pop(0)
                try:
                    if pool is None:
                        pool = _process_pool(1)
                    rendered = pool.submit(render_job, job, timeout).result()
                except BrokenProcessPool as exc:
                    if pool is not None:
                        pool.shutdown(wait=True)
                    pool = None
                    rendered = _died(job, exc)
                except Exception as exc:
                    rendered = _not_run(job, exc)
                done.put((index, rendered))
        finally:
            if pool is not None:
                pool.shutdown(wait=True)

    lanes = [
        threading.Thread(target=lane, name=f"lawnb-lane-{n}", daemon=True)
        for n in range(max(1, min(workers, len(pending))))
    ]
    for thread in lanes:
        thread.start()
    received = 0
    while received < len(pending):
        try:
            index, rendered = done.get(timeout=1.0)
        except queue.Empty:
            if not any(thread.is_alive() for thread in lanes) and done.empty():
                break  # a lane stopped without reporting: the results say which jobs are missing
            continue
        record(index, rendered)
        received += 1
    for thread in lanes:
        thread.join()


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


def _css() -> str:
    return (TEMPLATE_DIR / TEMPLATE_NAME / "static" / "lawnb.css").read_text(encoding="utf-8")


def _rel(path: Path, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def _year_of(value: Any) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2999 else None


def _layout() -> tuple[str, str]:
    """(folder of units without a district, file stem of a district overview)."""
    from lawnb.run.params import NO_DISTRICT, OVERVIEW_STEM

    return NO_DISTRICT, OVERVIEW_STEM


def _district_from_path(parts: Sequence[str]) -> str | None:
    """The district of ``<year>/<district>/<name>`` ("" for 未知区县); None for another layout."""
    if len(parts) == 3 and _year_of(parts[0]) is not None:
        no_district, _ = _layout()
        return "" if parts[1] == no_district else parts[1]
    return None


def _blank_entry(stem: str) -> dict[str, Any]:
    parts = stem.split("/")
    _, overview = _layout()
    district = _district_from_path(parts)
    is_overview = district is not None and parts[-1] == overview
    return {
        "stem": stem,
        "year": _year_of(parts[0]) if len(parts) > 1 else None,
        "district": district,
        "unit": "" if is_overview else parts[-1],
        "notebook": "district_overview" if is_overview else "",
        "title": "",
        "label": "",
        "fictional": False,
        "ok": None,
        "error": None,
        "failed_cell": None,
        "seconds": None,
        "updated": None,
    }


def _entry_from_result(result: JobResult, outputs_dir: Path, stamp: str) -> dict[str, Any]:
    job = result.job
    params = job.parameters
    entry = _blank_entry(_rel(job.out_stem, outputs_dir))
    year = _year_of(params.get("year"))
    if year is not None:
        entry["year"] = year
    if job.district is not None:
        entry["district"] = job.district
    elif isinstance(params.get("district"), str):
        entry["district"] = params["district"]
    if job.unit is not None:
        entry["unit"] = job.unit
    elif params.get("unit"):
        entry["unit"] = str(params["unit"])
    entry.update(
        notebook=job.notebook.stem,
        title=job.title,
        label=job.label,
        fictional=bool(job.fictional),
        ok=result.ok,
        error=result.error,
        failed_cell=result.failed_cell,
        seconds=round(result.seconds, 1),
        updated=result.finished or stamp,
    )
    return entry


def _describe_from_ipynb(entry: dict[str, Any], path: Path) -> None:
    """Fill in a found page's notebook, unit, district and fictional mark from the executed
    notebook's papermill metadata (input path and parameters)."""
    with contextlib.suppress(Exception):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("papermill")
        input_path = meta.get("input_path")
        if input_path:
            entry["notebook"] = Path(input_path).stem
        params = meta.get("parameters") or {}
        if params.get("unit"):
            entry["unit"] = str(params["unit"])
        if isinstance(params.get("district"), str) and entry["district"] is not None:
            entry["district"] = params["district"]
        if "dataset" in params:
            from lawnb.run.params import is_fictional

            entry["fictional"] = is_fictional(None, params.get("dataset") or None)


def _load_runs(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        runs = data["runs"]
        if not isinstance(runs, dict):
            raise TypeError("runs is not an object")
    except Exception as exc:
        raise RunError(
            f"运行记录文件 {path} 已损坏（{exc}）：请删除该文件后重新运行，索引将根据已有输出重建。"
        ) from exc
    return {str(key): value for key, value in runs.items() if isinstance(value, dict)}


def _page_files(folder: Path) -> list[Path]:
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.suffix in (".html", ".ipynb")
    ]


def _scan_outputs(outputs_dir: Path) -> dict[str, dict[str, Any]]:
    """Pages found on disk: ``outputs/<year>/<district>/*.html|*.ipynb`` and the pages of an
    older lawnb, ``outputs/<year>/*.html|*.ipynb``. Only the file times are read here."""
    found: dict[str, dict[str, Any]] = {}
    if not outputs_dir.is_dir():
        return found
    for year_dir in sorted(outputs_dir.iterdir()):
        if not year_dir.is_dir() or _year_of(year_dir.name) is None:
            continue
        files = _page_files(year_dir)
        for district_dir in sorted(year_dir.iterdir()):
            if district_dir.is_dir() and not district_dir.name.startswith("."):
                files += _page_files(district_dir)
        for path in files:
            stem = _rel(path.with_suffix(""), outputs_dir)
            entry = found.setdefault(stem, _blank_entry(stem))
            modified = datetime.fromtimestamp(path.stat().st_mtime).isoformat(
                sep=" ", timespec="seconds"
            )
            entry["updated"] = max(entry["updated"] or "", modified)
            if path.suffix == ".html":
                entry["ok"] = True
    return found


def _supersedes_key(entry: Mapping[str, Any]) -> tuple[str, int | None, str]:
    """What a page is of: ("overview", year, district) or ("unit", year, unit)."""
    _, overview = _layout()
    name = str(entry["stem"]).split("/")[-1]
    if len(str(entry["stem"]).split("/")) == 3:
        if entry.get("notebook") == "district_overview" or name == overview:
            return ("overview", entry.get("year"), str(entry.get("district") or ""))
        return ("unit", entry.get("year"), str(entry.get("unit") or name))
    # An older lawnb's outputs/<year>/<unit> and outputs/<year>/<district>汇总.
    if entry.get("notebook") == "district_overview" or name.endswith(overview):
        return ("overview", entry.get("year"), name.removesuffix(overview))
    return ("unit", entry.get("year"), name)


def _drop_superseded(runs: dict[str, dict[str, Any]], outputs_dir: Path, fresh: set[str]) -> None:
    """Remove the pages an older lawnb wrote as ``outputs/<year>/<unit>`` once the same page
    exists as ``outputs/<year>/<district>/<unit>`` (their files and their index rows)."""
    current = {
        _supersedes_key(entry)
        for stem, entry in runs.items()
        if len(stem.split("/")) == 3 and _district_from_path(stem.split("/")) is not None
    }
    for stem, entry in list(runs.items()):
        parts = stem.split("/")
        if stem in fresh or len(parts) != 2 or _year_of(parts[0]) is None:
            continue
        if _supersedes_key(entry) in current:
            base = outputs_dir / stem
            for suffix in (".html", ".ipynb"):
                with contextlib.suppress(FileNotFoundError):
                    base.with_name(base.name + suffix).unlink()
            del runs[stem]


@cache
def _index_template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(INDEX_TEMPLATE_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(INDEX_TEMPLATE)


def _href(path: Path, outputs_dir: Path) -> str:
    return quote(_rel(path, outputs_dir), safe="/")


def _index_rows(entries: Sequence[Mapping[str, Any]], outputs_dir: Path) -> list[dict[str, Any]]:
    from lawnb.run.params import NO_DISTRICT, NOTEBOOK_NAMES

    rows = []
    for entry in entries:
        stem = outputs_dir / entry["stem"]
        html_path = stem.with_name(stem.name + ".html")
        ipynb_path = stem.with_name(stem.name + ".ipynb")
        notebook = str(entry.get("notebook") or "")
        district = entry.get("district")
        cell = entry.get("failed_cell")
        seconds = entry.get("seconds")
        rows.append(
            {
                "year": entry.get("year") or "—",
                "district": NO_DISTRICT if district == "" else (district or "—"),
                "district_known": bool(district),
                "unit": entry.get("unit")
                or ("全部单位" if notebook == "district_overview" else "—"),
                "notebook": NOTEBOOK_NAMES.get(notebook, notebook) or "—",
                "fictional": bool(entry.get("fictional")),
                "ok": entry.get("ok"),
                "error": str(entry.get("error") or "未知错误"),
                "failed_cell": int(cell) + 1 if isinstance(cell, int) else None,
                "html": _href(html_path, outputs_dir) if html_path.is_file() else None,
                "title": entry.get("title") or entry.get("unit") or stem.name,
                "ipynb": _href(ipynb_path, outputs_dir) if ipynb_path.is_file() else None,
                "ipynb_name": ipynb_path.name,
                "seconds": None if seconds is None else f"{seconds:.1f} 秒",
                "updated": entry.get("updated") or "",
            }
        )
    return rows


def _render_index(entries: Sequence[Mapping[str, Any]], outputs_dir: Path, stamp: str) -> str:
    rows = _index_rows(entries, outputs_dir)
    return _index_template().render(
        css=_css(),
        rows=rows,
        stamp=stamp,
        n_ok=sum(row["ok"] is True for row in rows),
        n_fail=sum(row["ok"] is False for row in rows),
        n_fictional=sum(row["fictional"] for row in rows),
    )


def _order(entry: Mapping[str, Any]) -> tuple:
    """Newest year first; in a year, districts by name (units without one last), each district
    overview before its units."""
    district = entry.get("district")
    return (
        -(entry.get("year") or 0),
        not district,
        str(district or ""),
        entry.get("notebook") != "district_overview",
        str(entry.get("unit") or ""),
        str(entry.get("notebook") or ""),
        entry["stem"],
    )


def write_index(outputs_dir: Path, results: Sequence[JobResult]) -> Path:
    """Merge ``results`` into ``outputs/runs.json`` and rewrite ``outputs/index.html``.

    One row per page: year, district, unit, the notebook's Chinese name, status, links, time
    taken and when that page was made; rows from a fictional dataset are marked 虚构示例数据.
    Runs recorded earlier and pages found in ``outputs/<year>/<district>/`` stay listed, so
    running one year keeps the others; entries whose files are all gone are dropped, and so are
    the pages an older lawnb wrote as ``outputs/<year>/<unit>`` once their successor exists.
    Newest year first. Returns the path of ``index.html``; raises ``RunError`` when the folder
    cannot be written (the notebooks' own files are not touched).
    """
    outputs_dir = Path(outputs_dir)
    stamp = _now()
    status_path = outputs_dir / STATUS_FILE
    runs = _load_runs(status_path)
    fresh: set[str] = set()
    for result in results:
        entry = _entry_from_result(result, outputs_dir, stamp)
        runs[entry["stem"]] = entry
        fresh.add(entry["stem"])
    for stem, entry in _scan_outputs(outputs_dir).items():
        if stem not in runs:
            base = outputs_dir / stem
            _describe_from_ipynb(entry, base.with_name(base.name + ".ipynb"))
            runs[stem] = entry

    def exists(entry: Mapping[str, Any]) -> bool:
        stem = outputs_dir / entry["stem"]
        return any(stem.with_name(stem.name + suffix).is_file() for suffix in (".html", ".ipynb"))

    kept = {stem: entry for stem, entry in runs.items() if exists(entry)}
    _drop_superseded(kept, outputs_dir, fresh)
    ordered = sorted(kept.values(), key=_order)
    index_path = outputs_dir / INDEX_FILE
    try:
        write_text(
            status_path,
            json.dumps(
                {"version": 1, "runs": {e["stem"]: e for e in ordered}},
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
        )
        write_text(index_path, _render_index(ordered, outputs_dir, stamp))
    except OSError as exc:
        raise RunError(f"索引页未更新：{write_problem(exc, index_path)}") from exc
    return index_path
