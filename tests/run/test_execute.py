"""Tests of lawnb.run.execute: a failing cell named, timeouts, dead kernels, missing notebooks."""

from __future__ import annotations

import time

import nbformat
import pytest
from notebook_helpers import write_notebook

from lawnb.run.jobs import Job, JobFailure
from lawnb.run.runner import run_job


@pytest.mark.notebook
def test_timeout_is_a_failure_not_a_hang(tmp_path):
    notebook = write_notebook(
        tmp_path / "slow.ipynb", ['print("开始")', "import time\ntime.sleep(600)", 'print("结束")']
    )
    stem = tmp_path / "out" / "2020" / "慢"
    start = time.monotonic()
    result = run_job(Job(notebook, {}, stem, "慢"), timeout=3)
    elapsed = time.monotonic() - start

    assert elapsed < 60
    assert not result.ok
    assert result.error.startswith("CellTimeoutError: ") and "3 秒" in result.error
    assert result.failed_cell == 1
    assert result.html is None and not stem.with_name("慢.html").exists()
    executed = nbformat.read(result.ipynb, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert code[1].metadata.papermill.status == "failed"
    assert any(o.get("ename") == "CellTimeoutError" for o in code[1].outputs)
    assert code[2].metadata.papermill.status == "pending"


@pytest.mark.notebook
def test_dead_kernel_is_a_failure(tmp_path):
    notebook = write_notebook(tmp_path / "dies.ipynb", ["x = 1", "import os\nos._exit(3)"])
    result = run_job(Job(notebook, {}, tmp_path / "out" / "2020" / "崩溃", "崩溃"), timeout=60)
    assert not result.ok
    assert result.error.startswith("DeadKernelError: ")
    assert result.failed_cell == 1
    assert result.ipynb is not None and result.html is None


def test_missing_notebook_is_a_failure(tmp_path):
    result = run_job(Job(tmp_path / "nope.ipynb", {}, tmp_path / "out" / "2020" / "无", "无"))
    assert not result.ok and result.ipynb is None and result.html is None
    assert result.error.startswith("RunError: 找不到笔记本文件")
    assert not (tmp_path / "out").exists()


def test_the_failing_cell_is_counted_among_the_source_code_cells():
    from lawnb.run.execute import _failed_code_cell

    nb = nbformat.v4.new_notebook()
    injected = nbformat.v4.new_code_cell("unit = '甲镇'")
    injected.metadata["tags"] = ["injected-parameters"]
    stopped = nbformat.v4.new_code_cell(
        "sys.exit(0)",
        outputs=[nbformat.v4.new_output("error", ename="SystemExit", evalue="0", traceback=[])],
    )
    failing = nbformat.v4.new_code_cell(
        "raise KeyError",
        outputs=[nbformat.v4.new_output("error", ename="KeyError", evalue="'x'", traceback=[])],
    )
    nb.cells = [nbformat.v4.new_code_cell("1"), injected, stopped, failing]
    assert _failed_code_cell(nb) == 2  # a clean sys.exit() is not a failure
    nb.cells = nb.cells[:3]
    assert _failed_code_cell(nb) is None


def test_a_run_stopped_outside_a_cell_is_described_in_chinese():
    from lawnb.run.execute import _describe_exception

    CellTimeoutError = type("CellTimeoutError", (Exception,), {})
    DeadKernelError = type("DeadKernelError", (Exception,), {})
    assert _describe_exception(CellTimeoutError("x"), 3) == JobFailure(
        "CellTimeoutError", "代码单元运行超过 3 秒仍未结束，已中止（超时）"
    )
    assert "超过时限" in _describe_exception(CellTimeoutError("x"), None).message
    assert _describe_exception(DeadKernelError(), 60).message.startswith("内核意外退出")
    assert _describe_exception(OSError("第一行\n第二行"), 60) == JobFailure("OSError", "第一行")
