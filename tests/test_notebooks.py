"""The three notebooks on the demo district: comparisons, promises, the district overview, explore."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lawnb.errors import ParamsError
from lawnb.run.batch import _job, plan_jobs
from lawnb.run.export import external_resources
from lawnb.run.jobs import Job
from lawnb.run.runner import run_jobs
from lawnb.store.loading import load_dataset


@pytest.fixture(scope="module")
def demo_2022(tmp_path_factory, repo_root):
    """The 2022 params (demo district): four annual reports and one overview."""
    outputs = tmp_path_factory.mktemp("outputs")
    jobs = plan_jobs(
        [repo_root / "params" / "2022.yaml"],
        open_dataset=load_dataset,
        notebooks_dir=repo_root / "notebooks",
        outputs=outputs,
    )
    explore = Job(
        notebook=repo_root / "notebooks" / "explore.ipynb",
        parameters={"unit": "东湖镇", "year": 2022, "dataset": "demo"},
        out_stem=outputs / "explore",
        title="explore",
    )
    results = run_jobs([*jobs, explore], progress=False)
    return outputs, {r.job.out_stem.name: r for r in results}


def outputs_of(demo):  # type: ignore[no-untyped-def]
    return demo[0].resolve()


@pytest.mark.notebook
def test_every_demo_notebook_runs(demo_2022):
    _, results = demo_2022
    assert set(results) == {"东湖镇", "北城街道", "南岭乡", "汇总", "西山镇", "explore"}
    for name, result in results.items():  # outputs/<year>/<district>/<unit>.html
        if name != "explore":
            assert result.html.parent == outputs_of(demo_2022) / "2022" / "示例区", name
    failed = {name: r.error for name, r in results.items() if not r.ok}
    assert not failed


@pytest.mark.notebook
def test_annual_report_compares_with_last_year_and_checks_its_promises(demo_2022):
    outputs, _ = demo_2022
    html = (outputs / "2022" / "示例区" / "东湖镇.html").read_text(encoding="utf-8")
    assert "虚构示例数据" in html
    assert "与2021年报告相比" in html
    assert "检查企业为136家次，上年为120家次，增长13%" in html
    assert "2021年报告提出4项可量化目标：已完成3项，未完成1项，无可比数据0项" in html
    assert "调解成功率：目标98%以上，实际97.1%，未完成" in html  # the report's own words
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) >= 6
    assert external_resources(html) == []


@pytest.mark.notebook
def test_district_overview_shows_parts_coverage_and_indicators(demo_2022):
    outputs, _ = demo_2022
    html = (outputs / "2022" / "示例区" / "汇总.html").read_text(encoding="utf-8")
    for text in (
        "示例区2022年度法治政府建设情况汇总",
        "法定内容是否齐全",
        "各维度数据覆盖",
        "不是排名",
        "136家次",
    ):
        assert text in html
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) == 2


@pytest.mark.notebook
def test_first_year_says_there_is_nothing_to_compare(repo_root, tmp_path):
    job = Job(
        notebook=repo_root / "notebooks" / "annual_report.ipynb",
        parameters={"unit": "东湖镇", "year": 2021, "dataset": "demo"},
        out_stem=tmp_path / "东湖镇",
        title="东湖镇2021",
    )
    [result] = run_jobs([job], progress=False)
    html = result.html.read_text(encoding="utf-8")
    assert "数据集中没有东湖镇2020年的报告，暂无法与上年对比" in html
    assert "无法核对上年承诺" in html


def test_lawnb_run_refuses_parameters_a_notebook_does_not_declare(repo_root, tmp_path):
    with pytest.raises(ParamsError, match="没有声明参数 colour"):
        _job(
            repo_root / "notebooks" / "annual_report.ipynb",
            {"unit": "东湖镇", "year": 2022, "dataset": "demo", "colour": "red"},
            tmp_path / "x",
            "x",
            "x",
        )


@pytest.mark.notebook
def test_audit_findings_show_in_both_notebooks(repo_root, tmp_path):
    from lawnb.store.importing.reports import import_reports

    reports = repo_root / "tests" / "fixtures" / "reports"
    dataset = tmp_path / "ds"
    import_reports([reports / "桐川县云雾乡-2020.txt"], dataset)
    jobs = [
        Job(
            notebook=repo_root / "notebooks" / "annual_report.ipynb",
            parameters={"unit": "云雾乡", "year": 2020, "dataset": str(dataset)},
            out_stem=tmp_path / "云雾乡",
            title="云雾乡2020",
        ),
        Job(
            notebook=repo_root / "notebooks" / "district_overview.ipynb",
            parameters={"year": 2020, "dataset": str(dataset), "district": ""},
            out_stem=tmp_path / "汇总",
            title="汇总",
        ),
    ]
    results = run_jobs(jobs, progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    annual = (tmp_path / "云雾乡.html").read_text(encoding="utf-8")
    overview = (tmp_path / "汇总.html").read_text(encoding="utf-8")
    for html in (annual, overview):
        assert "履行推进法治建设第一责任人职责" in html and "缺少" in html


@pytest.mark.notebook
@pytest.mark.browser
def test_every_page_of_a_real_run_opens_offline_in_chromium(demo_2022, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from browser import OfflineChromium, require_chromium

    from lawnb.run.index import write_index

    outputs, results = demo_2022
    index = write_index(outputs, list(results.values())).read_text(encoding="utf-8")
    body = index.split("</head>", 1)[1]
    # Every demo page is marked fictional; the notebooks go by their Chinese names.
    assert body.count("虚构示例数据") == 5 + 1  # five rows and the note
    assert "单位年度报告分析" in body and "区县年度汇总" in body and "annual_report" not in body
    pages = [*sorted((outputs / "2022").glob("*/*.html")), outputs / "index.html"]
    assert len(pages) == 6
    with OfflineChromium(require_chromium()) as browser:
        for page in pages:
            visit = browser.visit(page, screenshot=tmp_path / f"{page.stem}.png")
            assert visit.outside_requests == [], (page.name, visit.outside_requests)
            assert not visit.console_errors and not visit.page_errors, page.name
            assert visit.screenshot.stat().st_size > 20_000, page.name  # not a blank page


@pytest.mark.parametrize("name", ["annual_report", "district_overview", "explore"])
def test_papermill_documents_every_parameter_of_every_notebook(repo_root, name):
    import papermill

    notebook = repo_root / "notebooks" / f"{name}.ipynb"
    declared = papermill.inspect_notebook(str(notebook))
    assert declared
    for parameter in declared.values():
        assert parameter["inferred_type_name"] in ("str", "int"), parameter
        assert re.search(r"[\u4e00-\u9fff]", parameter["help"]), parameter
