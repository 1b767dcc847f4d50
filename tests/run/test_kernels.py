"""Tests of lawnb.run.kernels: kernels started ahead and stopped, readable parameters."""

from __future__ import annotations

import concurrent.futures
import tempfile
from pathlib import Path

import nbformat
import pytest
from notebook_helpers import BATCH_VARIABLE, PARAMS_CELL, batch_kernels, mark_batch, write_notebook

from lawnb.run.jobs import Job
from lawnb.run.kernels import kernel_arguments, use_readable_parameters
from lawnb.run.runner import render_job, run_jobs


def kernel_folders(workers: set[int]) -> set[Path]:
    """The IPC socket folders of the kernels that these worker processes started."""
    return {
        folder
        for worker in workers
        for folder in Path(tempfile.gettempdir()).glob(f"lawnb-kernel-{worker}-*")
    }


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
@pytest.mark.notebook
def test_a_batch_stops_every_kernel_it_started_ahead(tmp_path, monkeypatch):
    """Workers start the next notebook's kernel early; none is left running or on disk after.

    Only this batch's kernels are counted: other notebooks may be running on the machine.
    """
    batch = mark_batch(monkeypatch)
    # The socket folder of a process killed earlier (no such pid): swept.
    dead = Path(tempfile.gettempdir()) / f"lawnb-kernel-999999999-{batch}"
    dead.mkdir()
    report = f"import os\nprint(unit, os.getpid(), os.getppid(), os.environ[{BATCH_VARIABLE!r}])"
    notebook = write_notebook(tmp_path / "nb.ipynb", [PARAMS_CELL, report])
    units = ["甲村", "乙村", "丙村", "丁村", "戊村"]
    jobs = [Job(notebook, {"unit": u}, tmp_path / "out" / u, u) for u in units]
    results = run_jobs(jobs, max_workers=2, progress=False, timeout=60)
    assert all(r.ok for r in results), [r.error for r in results]
    printed = [nbformat.read(r.ipynb, as_version=4).cells[-1].outputs[0].text for r in results]
    assert [line.split()[0] for line in printed] == units
    assert len({line.split()[1] for line in printed}) == len(units)  # a fresh kernel each
    workers = {int(line.split()[2]) for line in printed}  # a kernel's parent is its worker
    assert {line.split()[3] for line in printed} == {batch}  # each kernel carries the mark
    assert batch_kernels(batch) == set()
    assert kernel_folders(workers) == set()
    assert not dead.exists()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
@pytest.mark.notebook
def test_a_kernel_started_for_a_job_that_never_comes_is_stopped_with_its_worker(
    tmp_path, monkeypatch
):
    import multiprocessing
    import os

    batch = mark_batch(monkeypatch)
    notebook = write_notebook(tmp_path / "nb.ipynb", [PARAMS_CELL, "print(unit)"])
    job = Job(notebook, {"unit": "己村"}, tmp_path / "out" / "己村", "己村")
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        worker = pool.submit(os.getpid).result()
        rendered = pool.submit(render_job, job, 60, True).result()
        assert rendered.error is None and "己村" in rendered.html
        assert len(batch_kernels(batch)) == 1  # the next notebook's kernel, already up
        assert len(kernel_folders({worker})) == 1
    assert batch_kernels(batch) == set()
    assert kernel_folders({worker}) == set()


def test_only_an_ipython_kernel_is_given_the_quiet_log_argument():
    assert kernel_arguments("python3") == ["--IPKernelApp.log_level=CRITICAL"]
    assert kernel_arguments("no-such-kernel-lawnb") == []


def test_string_parameters_are_injected_as_readable_literals():
    from papermill.translators import papermill_translators

    use_readable_parameters()
    use_readable_parameters()  # once is enough: the table keeps one translator
    source = papermill_translators.find_translator("python3", "python").codify({"unit": "齐村镇"})
    assert "unit = '齐村镇'" in source and "\\u" not in source
