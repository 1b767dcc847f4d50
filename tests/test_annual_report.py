"""The main job end to end: params → Papermill → HTML in outputs/<year>/<district>/<unit>.html."""

from __future__ import annotations

import re

import nbformat
import pytest

from lawnb.cli import main
from lawnb.run.export import external_resources
from lawnb.run.jobs import Job
from lawnb.run.runner import run_jobs


@pytest.fixture(scope="module")
def main_job(tmp_path_factory, repo_root):
    """`lawnb run` on the committed params, into a temporary outputs folder."""
    outputs = tmp_path_factory.mktemp("outputs")
    import os

    cwd = os.getcwd()
    os.chdir(repo_root)
    try:
        code = main(["run", "--year", "2020", "--outputs", str(outputs), "--no-progress"])
    finally:
        os.chdir(cwd)
    return code, outputs


@pytest.mark.notebook
def test_lawnb_run_writes_the_html_and_the_executed_notebook(main_job):
    code, outputs = main_job
    assert code == 0
    assert (outputs / "2020" / "市中区" / "齐村镇.html").is_file()
    assert (outputs / "2020" / "市中区" / "齐村镇.ipynb").is_file()
    assert (outputs / "2020" / "市中区" / "汇总.html").is_file()
    index = (outputs / "index.html").read_text(encoding="utf-8")
    assert "齐村镇" in index and "市中区" in index
    assert "虚构示例数据" not in index  # the sample is a real report


@pytest.mark.notebook
def test_html_tells_the_story_in_chinese_without_code(main_job):
    _, outputs = main_job
    html = (outputs / "2020" / "市中区" / "齐村镇.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert re.search(r"<title>[^<]*齐村镇[^<]*2020", html)
    for heading in (
        "年度概况",
        "主要举措和成效",
        "履行推进法治建设第一责任人职责",
        "存在的不足及原因",
        "数据明细表",
    ):
        assert heading in html
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) >= 3
    assert "validate_notebook_parameters" not in html and "import " not in html
    assert external_resources(html) == []
    assert "344家次" in html and "不少于8次" in html


@pytest.mark.notebook
def test_executed_notebook_has_the_injected_parameters(main_job):
    _, outputs = main_job
    nb = nbformat.read(outputs / "2020" / "市中区" / "齐村镇.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "unit = '齐村镇'" in injected[0].source
    assert not [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]


@pytest.mark.notebook
def test_unknown_unit_fails_at_the_top_with_a_chinese_message(tmp_path, repo_root):
    job = Job(
        notebook=repo_root / "notebooks" / "annual_report.ipynb",
        parameters={"unit": "不存在镇", "year": 2020, "dataset": ""},
        out_stem=tmp_path / "2020" / "不存在镇",
        title="x",
    )
    [result] = run_jobs([job], max_workers=1, progress=False)
    assert not result.ok
    assert result.failed_cell == 1  # the first code cell after the parameters
    assert "ParamsError" in result.error and "没有单位“不存在镇”" in result.error
    assert not (tmp_path / "2020" / "不存在镇.html").exists()
