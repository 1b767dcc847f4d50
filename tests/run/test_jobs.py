"""Tests of lawnb.run.jobs: the failure record, and jobs and results read through it."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from lawnb.errors import ParamsError
from lawnb.run.jobs import Job, JobFailure, JobResult, RenderedJob, now


def test_a_failure_is_a_record_shown_as_ename_colon_message():
    failure = JobFailure("ValueError", "乙镇的数据缺少执法案件数", cell=1)
    assert (failure.name, failure.message, failure.cell) == (
        "ValueError",
        "乙镇的数据缺少执法案件数",
        1,
    )
    assert str(failure) == "ValueError: 乙镇的数据缺少执法案件数"
    assert JobFailure("RunError", "没有生成 HTML").cell is None
    assert pickle.loads(pickle.dumps(failure)) == failure  # travels back from a worker


def test_a_failure_of_an_exception_keeps_its_class_name_and_text():
    failure = JobFailure.of(ParamsError("数据集中没有单位“不存在镇”。\n第二行"), cell=2)
    assert failure == JobFailure("ParamsError", "数据集中没有单位“不存在镇”。\n第二行", 2)
    assert str(JobFailure.of(KeyError("行政复议"))) == "KeyError: '行政复议'"


def test_results_read_their_error_and_failed_cell_from_the_failure(tmp_path):
    job = Job("nb.ipynb", {"unit": "甲镇"}, tmp_path / "2021" / "甲镇", "甲镇2021")
    failed = JobResult(
        job=job,
        ok=False,
        html=None,
        ipynb=job.ipynb_path,
        failure=JobFailure("KeyError", "'行政复议'", 3),
        seconds=1.0,
    )
    assert (failed.error, failed.failed_cell) == ("KeyError: '行政复议'", 3)
    good = JobResult(job, True, job.html_path, job.ipynb_path, None, 1.0)
    assert (good.error, good.failed_cell) == (None, None)
    rendered = RenderedJob(job, "{}", "<html></html>", None, 0.5)
    assert rendered.ok and rendered.error is None and rendered.failed_cell is None
    broken = RenderedJob(job, "{}", None, JobFailure("ValueError", "坏", 0), 0.5)
    assert not broken.ok and broken.error == "ValueError: 坏" and broken.failed_cell == 0


def test_a_job_names_its_files():
    job = Job("nb.ipynb", {}, Path("outputs/2020/市中区/齐村镇"), "齐村镇2020")
    assert job.html_path == Path("outputs/2020/市中区/齐村镇.html")
    assert job.ipynb_path == Path("outputs/2020/市中区/齐村镇.ipynb")
    assert job.name == "齐村镇" and Job("nb.ipynb", {}, "x", "t", "2020 x").name == "2020 x"
    assert isinstance(job.notebook, Path)


def test_now_is_local_time_to_the_second():
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", now())
