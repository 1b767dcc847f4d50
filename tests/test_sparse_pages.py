"""Pages a district office can circulate, on data shaped like real openings.

A dataset imported from the page-shaped fixtures (a few figures per report, no shortcomings or
next steps, no previous year, one unit in a district) runs through all three notebooks; every
page is then opened in Chromium and must show no None, no table without rows, no right-aligned
Chinese text, no quantity wrapped over two lines and no broken image. The pages `lawnb run`
writes for the bundled datasets are checked the same way by test_bundled_pages_read_cleanly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import lawnb
from lawnb.run.batch import plan_jobs
from lawnb.run.jobs import Job
from lawnb.run.runner import run_jobs

try:  # tests/ as a package or as a plain folder on sys.path
    from .browser import OfflineChromium, require_chromium
except ImportError:
    from browser import OfflineChromium, require_chromium

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def sparse_pages(tmp_path_factory) -> list[Path]:
    work = tmp_path_factory.mktemp("sparse")
    files = [PAGES / name for name in ("p01-chrome-breadcrumb.txt", "p05-department-relative.txt")]
    lawnb.import_reports(files, work / "ds", progress=False)
    dataset = lawnb.load_dataset(work / "ds")
    assert set(dataset.units()) == {"青石镇", "临湖区市场监督管理局"}
    params = work / "params"
    params.mkdir()
    for year in (2023, 2024):
        (params / f"{year}.yaml").write_text(
            f"year: {year}\ndataset: {work / 'ds'}\nunits: all\n"
            "notebooks: [annual_report, district_overview]\n",
            encoding="utf-8",
        )
    outputs = work / "outputs"
    jobs = plan_jobs(
        sorted(params.glob("*.yaml")),
        open_dataset=lawnb.load_dataset,
        notebooks_dir=ROOT / "notebooks",
        outputs=outputs,
    )
    explore = Job(
        notebook=ROOT / "notebooks" / "explore.ipynb",
        parameters={"unit": "青石镇", "year": 2023, "dataset": str(work / "ds")},
        out_stem=outputs / "explore",
        title="explore",
    )
    results = run_jobs([*jobs, explore], progress=False, max_workers=2)
    failed = {r.job.label or r.job.title: r.error for r in results if not r.ok}
    assert not failed, failed
    pages = sorted(p for p in outputs.rglob("*.html") if p.name != "index.html")
    assert len(pages) >= 4
    return pages


@pytest.fixture(scope="module")
def browser():
    with OfflineChromium(require_chromium()) as chromium:
        yield chromium


@pytest.mark.notebook
@pytest.mark.browser
def test_sparse_pages_read_cleanly(sparse_pages, browser):
    problems = {page.name: browser.layout_problems(page) for page in sparse_pages}
    assert not {name: found for name, found in problems.items() if found}, problems


@pytest.mark.notebook
def test_sparse_unit_page_says_why_sections_are_empty(sparse_pages):
    page = next(p for p in sparse_pages if p.name == "青石镇.html").read_text(encoding="utf-8")
    assert "暂无法与上年对比" in page
    assert "没有“下一年度工作安排”部分" in page
    assert "None" not in page.split("<main", 1)[1]


@pytest.mark.notebook
@pytest.mark.browser
def test_bundled_pages_read_cleanly(browser, tmp_path):
    """Every page of the demo's 2022 batch and of the founding report (as `lawnb run` makes them)."""
    outputs = tmp_path / "outputs"
    jobs = plan_jobs(
        [ROOT / "params" / "2020.yaml", ROOT / "params" / "2022.yaml"],
        open_dataset=lawnb.load_dataset,
        notebooks_dir=ROOT / "notebooks",
        outputs=outputs,
    )
    results = run_jobs(jobs, progress=False, max_workers=2)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    pages = sorted(p for p in outputs.rglob("*.html") if p.name != "index.html")
    problems = {page.name: browser.layout_problems(page) for page in pages}
    assert len(pages) >= 6
    assert not {name: found for name, found in problems.items() if found}, problems
    shutil.rmtree(outputs)
