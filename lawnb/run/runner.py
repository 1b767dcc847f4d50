"""Run a batch of jobs: each notebook executed and exported in a worker, its files written here.

The work is split in two so that a remote executor (e.g. Dask) needs no shared disk:

- ``render_job`` runs in a worker: it executes one notebook and returns its text
  (``.ipynb`` JSON and, on success, HTML) in a ``RenderedJob``;
- ``write_rendered`` runs in the caller: it writes the files atomically.

``run_job`` does both in the current process; ``run_jobs`` takes a list of ``Job`` and gives a
``JobResult`` for each, running one notebook at a time per worker process (a spawn-context
process pool, or the executor given) and writing the files in the parent as results arrive. A
worker that dies fails only its own notebook: the others are run again, each in a fresh process.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

import nbformat
from tqdm import tqdm

from lawnb.errors import RunError
from lawnb.fileio import write_problem, write_text
from lawnb.run.execute import execute_notebook
from lawnb.run.export import export_html
from lawnb.run.jobs import Job, JobFailure, JobResult, RenderedJob, now
from lawnb.run.kernels import STOP_SIGNALS, family, guard_worker, kill_family

__all__ = ["RunStopped", "render_job", "run_job", "run_jobs", "stop_on_signals", "write_rendered"]

#: Seconds a worker is given to kill its kernels and exit before it is killed.
_STOP_GRACE = 2.0


class RunStopped(BaseException):
    """The batch was told to stop by a signal (SIGTERM, SIGHUP); ``signum`` says which.

    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` that keeps a
    batch going past a failing notebook may take it for one.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``RunStopped`` (once; a second signal while
    stopping is ignored), so that a batch stops its workers and kernels on the way out. A signal
    ignored before (SIGHUP under ``nohup``) stays ignored.

    Only in the main thread (elsewhere the block runs as it is); the handlers are restored after.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping: list[int] = []

    def stop(signum: int, frame: object) -> None:
        if not stopping:
            stopping.append(signum)
            raise RunStopped(signum)

    previous = {
        signum: signal.signal(signum, stop)
        for signum in STOP_SIGNALS
        if signal.getsignal(signum) is not signal.SIG_IGN  # under nohup, SIGHUP stays ignored
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def render_job(job: Job, timeout: int | None = None, prestart: bool = False) -> RenderedJob:
    """Worker side of a job: execute, export, return text only (picklable; writes no output).

    Never raises for a failing notebook; the failure is in the returned ``RenderedJob``.
    """
    start = time.perf_counter()
    ipynb: str | None = None
    html: str | None = None
    failure: JobFailure | None = None
    try:
        timeout = job.timeout if job.timeout is not None else timeout
        nb, failure = execute_notebook(job, timeout=timeout, prestart=prestart)
        ipynb = nbformat.writes(nb)
        if failure is None:
            html = export_html(nb, title=job.title)
    except Exception as exc:  # a LawnbError (missing notebook, external resource) or any other
        failure = JobFailure.of(exc, cell=failure.cell if failure else None)
    return RenderedJob(
        job=job, ipynb=ipynb, html=html, failure=failure, seconds=time.perf_counter() - start
    )


def write_rendered(rendered: RenderedJob) -> JobResult:
    """Write a worker's output: the executed ``.ipynb`` always (when there is one), the ``.html``
    only on success. A write failure makes the result a failure; it does not raise."""
    job = rendered.job
    failure = rendered.failure
    html_path: Path | None = None
    ipynb_path: Path | None = None
    try:
        if rendered.ipynb is not None:
            write_text(job.ipynb_path, rendered.ipynb)
            ipynb_path = job.ipynb_path
        if failure is None and rendered.html is not None:
            write_text(job.html_path, rendered.html)
            html_path = job.html_path
    except OSError as exc:
        problem = write_problem(exc, job.out_stem)
        failure = JobFailure(type(exc).__name__, problem, rendered.failed_cell)
    ok = failure is None and html_path is not None
    if failure is None and not ok:
        failure = JobFailure("RunError", "没有生成 HTML", rendered.failed_cell)
    return JobResult(
        job=job,
        ok=ok,
        html=html_path,
        ipynb=ipynb_path,
        failure=failure,
        seconds=rendered.seconds,
        finished=now(),
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
    pools = _Pools()
    if executor is None:
        executor = pools.new(workers)
    results: list[JobResult | None] = [None] * len(jobs)
    broken: list[int] = []
    ended = False
    try:
        _run_all(jobs, executor, own, workers, timeout, progress, pools, results, broken)
        ended = True
    finally:
        if not ended:  # stopped (a signal, Ctrl-C) or a bug: leave no worker or kernel behind
            pools.stop()
    return [result for result in results if result is not None]


def _run_all(
    jobs: list[Job],
    executor: concurrent.futures.Executor,
    own: bool,
    workers: int,
    timeout: int | None,
    progress: bool,
    pools: _Pools,
    results: list[JobResult | None],
    broken: list[int],
) -> None:
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
                if not finished:  # before shutdown, which forgets the pool's processes
                    pools.stop()
                executor.shutdown(wait=finished, cancel_futures=True)
        if broken:
            _run_isolated([(i, jobs[i]) for i in sorted(broken)], workers, timeout, record, pools)
        for index, result in enumerate(results):
            if result is None:  # never expected: no job may vanish from the report
                record(index, _not_run(jobs[index], RunError("笔记本没有运行")))


class _Pools:
    """The process pools of one batch; ``stop`` ends their workers and what those started."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stopping = False
        self.pools: list[concurrent.futures.ProcessPoolExecutor] = []

    def new(self, workers: int) -> concurrent.futures.ProcessPoolExecutor:
        """A spawn-context pool of ``workers`` guarded workers; RunError once stopping."""
        with self.lock:
            if self.stopping:
                raise RunError("笔记本批次已停止")
            pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=guard_worker,
                initargs=(os.getpid(),),
            )
            self.pools.append(pool)
            return pool

    def stop(self) -> None:
        """SIGTERM every worker (it kills its kernels and exits), SIGKILL what is left after
        ``_STOP_GRACE`` seconds, workers and their descendants alike."""
        with self.lock:
            self.stopping = True
            pools = list(self.pools)
        # ``_processes`` (pid → Process, None once shut down) is the only way to a pool's
        # workers; it has been there since Python 3.2.
        processes = [
            process
            for pool in pools
            for process in list((getattr(pool, "_processes", None) or {}).values())
        ]
        left = {}
        for process in processes:
            if process.pid is not None:
                left.update(family(process.pid))
            process.terminate()
        deadline = time.monotonic() + _STOP_GRACE
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
        kill_family(left)  # kernels of a worker that did not get to kill them
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)


def _not_run(job: Job, exc: BaseException) -> RenderedJob:
    return RenderedJob(job=job, ipynb=None, html=None, failure=JobFailure.of(exc), seconds=0.0)


def _died(job: Job, exc: BaseException | None = None) -> RenderedJob:
    detail = f"（{type(exc).__name__}）" if exc is not None else ""
    failure = JobFailure(
        "RunError",
        f"运行笔记本的进程意外终止{detail}：可能是内存不足被系统结束、被外部终止，"
        "或笔记本中的代码结束了进程。其他笔记本不受影响，原有输出保持不变；"
        "请检查该笔记本后重新运行。",
    )
    return RenderedJob(job=job, ipynb=None, html=None, failure=failure, seconds=0.0)


def _run_isolated(
    pending: list[tuple[int, Job]],
    workers: int,
    timeout: int | None,
    record: Callable[[int, RenderedJob], None],
    pools: _Pools,
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
                if pools.stopping:
                    return
                try:
                    if pool is None:
                        pool = pools.new(1)
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
