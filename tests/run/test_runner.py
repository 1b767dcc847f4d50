"""Tests of lawnb.run.runner: one job end to end, batches (one failure, an executor), writes.

Every notebook here is written by the test (fictional units and sentences) and executed for real
with the python3 kernel.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

import nbformat
import pytest
from notebook_helpers import PARAMS_CELL, body_of, external_urls, leftovers, write_notebook

from lawnb.errors import RunError
from lawnb.run.index import write_index
from lawnb.run.jobs import Job, JobFailure, RenderedJob
from lawnb.run.runner import run_job, run_jobs, write_rendered


@pytest.mark.notebook
def test_parameterised_notebook_runs_and_exports_offline_html(tmp_path, monkeypatch):
    nb_dir = tmp_path / "notebooks"
    (nb_dir / "data.txt").parent.mkdir(parents=True)
    (nb_dir / "data.txt").write_text("笔记本目录里的数据", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "inputs").mkdir(parents=True)
    (elsewhere / "inputs" / "facts.csv").write_text("指标,数值\n行政复议,12\n", encoding="utf-8")
    notebook = write_notebook(
        nb_dir / "annual.ipynb",
        [
            (
                "tags",
                'unit: str = "示例单位"  # 单位\nyear: int = 1999  # 年度\n'
                'data_dir: str = "."  # 数据目录',
                ["parameters"],
            ),
            ("md", "# 年度分析\n\n本报告为虚构示例。"),
            'print(f"单位：{unit}，年度：{year}")',
            'print(open("data.txt", encoding="utf-8").read())',
            "import pathlib\nprint(pathlib.Path(data_dir, 'facts.csv').read_text(encoding='utf-8'))",
            'distinctive_marker = "蓝" + "鲸"\nprint(distinctive_marker * 3)',
            "import sys, warnings\n"
            'warnings.warn("不应出现在报告里的警告")\n'
            'print("标准错误输出内容", file=sys.stderr)',
            'import pandas as pd\npd.DataFrame({"指标": ["行政复议", "行政诉讼"], "数量": [12, 3]})',
            "quiet = 1",
        ],
    )
    monkeypatch.chdir(elsewhere)  # relative paths in the notebook are its own folder's
    out_stem = tmp_path / "outputs" / "2020" / "齐村镇"
    job = Job(
        notebook=notebook,
        parameters={"unit": "齐村镇", "year": 2020, "data_dir": Path("inputs")},
        out_stem=out_stem,
        title="齐村镇2020年度法治政府建设情况分析",
        label="2020 齐村镇 annual",
    )

    result = run_job(job, timeout=60)

    assert result.ok, result.error
    assert result.error is None and result.failed_cell is None
    assert result.html == out_stem.with_name("齐村镇.html") and result.html.is_file()
    assert result.ipynb == out_stem.with_name("齐村镇.ipynb") and result.ipynb.is_file()
    assert result.seconds > 0

    executed = nbformat.read(result.ipynb, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "齐村镇" in injected[0].source
    assert str((elsewhere / "inputs").resolve()) in injected[0].source  # Path -> absolute
    assert "标准错误输出内容" in nbformat.writes(executed)  # kept in the notebook ...

    html = result.html.read_text(encoding="utf-8")
    assert '<html lang="zh">' in html
    assert "<title>齐村镇2020年度法治政府建设情况分析</title>" in html
    assert "单位：齐村镇，年度：2020" in html  # parameters injected
    assert "笔记本目录里的数据" in html  # cwd = the notebook's folder
    assert "行政复议,12" in html  # Path parameter made absolute
    assert "蓝鲸蓝鲸蓝鲸" in html  # output present ...
    assert "distinctive_marker" not in html  # ... its source code absent
    assert "import pandas" not in html and "pd.DataFrame" not in html
    assert "标准错误输出内容" not in html and "不应出现在报告里的警告" not in html  # ... not here
    assert "<table" in html and "行政诉讼" in html
    assert "<h1" in html and "年度分析" in html
    body = body_of(html)
    for input_marker in ("jp-InputArea-editor", "jp-InputPrompt", "In&nbsp;[", "Out[", "highlight"):
        assert input_marker not in body
    # Code cells with visible outputs only: no empty boxes for the parameters, the
    # warnings-only cell or "quiet = 1".
    assert body.count("jp-Cell jp-CodeCell") == 5
    assert '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"' in html
    assert "@page" in html and "size: A4" in html
    assert external_urls(html) == []
    for word in ("require.js", "mathjax", "cdnjs", "<script src", "<link"):
        assert word not in html.lower()
    assert leftovers(tmp_path / "outputs") == []


@pytest.mark.notebook
def test_batch_one_failure_does_not_stop_the_others(tmp_path):
    good = write_notebook(
        tmp_path / "nb" / "good.ipynb", [PARAMS_CELL, 'print(f"{unit}{year}年完成")']
    )
    bad = write_notebook(
        tmp_path / "nb" / "bad.ipynb",
        [PARAMS_CELL, 'raise ValueError(f"{unit}的数据缺少执法案件数")', 'print("不会运行")'],
    )
    outputs = tmp_path / "outputs"
    jobs = [
        Job(
            good, {"unit": "甲镇", "year": 2021}, outputs / "2021" / "甲镇", "甲镇2021", "2021 甲镇"
        ),
        Job(
            bad, {"unit": "乙镇", "year": 2021}, outputs / "2021" / "乙镇", "乙镇2021", "2021 乙镇"
        ),
        Job(
            good, {"unit": "丙镇", "year": 2021}, outputs / "2021" / "丙镇", "丙镇2021", "2021 丙镇"
        ),
    ]
    # An earlier good run of the failing unit: its report must survive the failure.
    old_html = outputs / "2021" / "乙镇.html"
    old_html.parent.mkdir(parents=True)
    old_html.write_text("<html>上一次成功的报告</html>", encoding="utf-8")
    os.utime(old_html, (1_600_000_000, 1_600_000_000))

    results = run_jobs(jobs, max_workers=2, timeout=60, progress=False)

    assert [r.job for r in results] == jobs  # in the order of the jobs
    assert [r.ok for r in results] == [True, False, True]
    for r in (results[0], results[2]):
        assert r.html.is_file() and r.ipynb.is_file()
        assert f"{r.job.parameters['unit']}2021年完成" in r.html.read_text(encoding="utf-8")

    failed = results[1]
    assert failed.error == "ValueError: 乙镇的数据缺少执法案件数"
    assert failed.failed_cell == 1  # the 2nd code cell of the source notebook
    assert failed.html is None
    assert failed.ipynb == outputs / "2021" / "乙镇.ipynb" and failed.ipynb.is_file()
    executed = nbformat.read(failed.ipynb, as_version=4)
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError", "乙镇的数据缺少执法案件数")]
    assert executed.metadata.papermill.exception is True

    assert old_html.read_text(encoding="utf-8") == "<html>上一次成功的报告</html>"
    assert old_html.stat().st_mtime == 1_600_000_000
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in (outputs / "2021").iterdir()) == sorted(
        ["甲镇.html", "甲镇.ipynb", "乙镇.html", "乙镇.ipynb", "丙镇.html", "丙镇.ipynb"]
    )

    index = write_index(outputs, results).read_text(encoding="utf-8")
    assert "失败" in index and "乙镇的数据缺少执法案件数" in index and "第 2 个代码单元" in index
    assert "上次成功运行的版本" in index


@pytest.mark.notebook
def test_run_jobs_accepts_an_executor(tmp_path):
    notebook = write_notebook(tmp_path / "nb.ipynb", [PARAMS_CELL, "print(unit)"])
    job = Job(notebook, {"unit": "丁村"}, tmp_path / "out" / "2022" / "丁村", "丁村")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        (result,) = run_jobs([job], executor=pool, progress=False, timeout=60)
    assert result.ok, result.error
    assert "丁村" in result.html.read_text(encoding="utf-8")


def test_run_jobs_rejects_two_jobs_with_one_output(tmp_path):
    notebook = write_notebook(tmp_path / "nb.ipynb", ["1"])
    stem = tmp_path / "out" / "2020" / "甲"
    with pytest.raises(RunError, match="同一个输出"):
        run_jobs([Job(notebook, {}, stem, "a"), Job(notebook, {}, stem, "b")], progress=False)
    assert run_jobs([], progress=False) == []


def test_write_failure_makes_a_failed_result(tmp_path, monkeypatch):
    stem = tmp_path / "out" / "2020" / "乙镇"
    stem.parent.mkdir(parents=True)
    old_html = stem.with_name("乙镇.html")
    old_html.write_text("旧报告", encoding="utf-8")
    rendered = RenderedJob(
        job=Job(Path("x.ipynb"), {}, stem, "乙镇"),
        ipynb="{}",
        html="<html>新报告</html>",
        failure=None,
        seconds=0.5,
    )
    real_replace = os.replace

    def replace_ipynb_only(src, dst):
        if str(dst).endswith(".html"):
            raise OSError(5, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_ipynb_only)
    result = write_rendered(rendered)
    assert not result.ok and result.html is None
    assert result.error.startswith("OSError: 无法写入") and "乙镇.html" in result.error
    assert old_html.read_text(encoding="utf-8") == "旧报告"
    assert stem.with_name("乙镇.ipynb").read_text(encoding="utf-8") == "{}"
    assert leftovers(tmp_path) == []


def test_a_write_failure_keeps_the_failing_cell_and_a_missing_page_is_a_failure(
    tmp_path, monkeypatch
):
    job = Job(Path("x.ipynb"), {}, tmp_path / "out" / "2020" / "丙镇", "丙镇")
    nothing = write_rendered(RenderedJob(job, None, None, None, 0.1))
    assert not nothing.ok and nothing.failure == JobFailure("RunError", "没有生成 HTML")
    assert nothing.error == "RunError: 没有生成 HTML" and nothing.ipynb is None

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr("lawnb.fileio.tempfile.mkstemp", refuse)
    failed = RenderedJob(job, "{}", None, JobFailure("ValueError", "坏数据", 2), 0.1)
    result = write_rendered(failed)
    assert result.failure.name == "PermissionError" and result.failed_cell == 2
    assert "没有写入权限" in result.error and result.ipynb is None


def test_a_job_that_could_not_run_is_a_failure_with_the_exception_named(tmp_path):
    from lawnb.run.runner import _died, _not_run

    job = Job(Path("x.ipynb"), {}, tmp_path / "甲", "甲")
    assert _not_run(job, RunError("笔记本没有运行")).error == "RunError: 笔记本没有运行"
    died = _died(job, BrokenPipeError())
    assert died.error.startswith("RunError: 运行笔记本的进程意外终止（BrokenPipeError）：")
    assert died.failed_cell is None and died.ipynb is None
