"""The exported report in a real browser, offline: nothing fetched, no errors, Chinese rendered.

These tests FAIL (they do not skip) when Chromium or the playwright package is missing: CI
installs both (apt-get install chromium fonts-noto-cjk; pip install playwright). Set
LAWNB_CHROMIUM to use another binary. One screenshot is kept in the temp folder
(lawnb-browser-report.png) for a person to look at.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from matplotlib import image as mpimg

from lawnb.run.index import write_index
from lawnb.run.jobs import Job
from lawnb.run.runner import run_job

try:  # tests/ as a package or as a plain folder on sys.path
    from .browser import OfflineChromium, require_chromium
except ImportError:
    from browser import OfflineChromium, require_chromium

# Fonts of the lawnb stack that may draw the Chinese text (CI has Noto Sans CJK SC).
CJK_FAMILIES = {
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
}
pytestmark = pytest.mark.browser

KEPT_SCREENSHOT = Path(tempfile.gettempdir()) / "lawnb-browser-report.png"

CHART = """\
import warnings
import matplotlib
import matplotlib.pyplot as plt

# A missing glyph must fail the run, not draw boxes.
warnings.filterwarnings("error", message=".*missing from (current )?font")
matplotlib.rcParams["font.sans-serif"] = [
    "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "DejaVu Sans"
]
matplotlib.rcParams["axes.unicode_minus"] = False
fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
ax.bar(["行政复议", "行政诉讼", "执法检查"], [12, 5, 30], color=["#3b6ea8", "#d9822b", "#4f9a5a"])
ax.set_title(f"{unit}{year}年 行政执法与复议案件数（虚构）")
ax.set_ylabel("件数")
fig.tight_layout()
fig.canvas.draw()
plt.show()
"""


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    with OfflineChromium(executable) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('unit: str = "示例单位"  # 单位\nyear: int = 1999  # 年度')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_markdown_cell(
            "# 法治政府建设情况分析\n\n以下内容为虚构示例，用于检查离线显示效果。"
        ),
        nbformat.v4.new_code_cell(CHART),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            'pd.DataFrame({"指标": ["行政复议", "行政诉讼", "执法检查"], "件数": [12, 5, 30]})'
        ),
        nbformat.v4.new_code_cell('print(f"{unit}全年共办理行政复议案件12件。")'),
    ]
    notebook = root / "notebooks" / "annual.ipynb"
    notebook.parent.mkdir()
    nbformat.write(nb, notebook)
    job = Job(
        notebook,
        {"unit": "齐村镇", "year": 2020},
        root / "outputs" / "2020" / "齐村镇",
        "齐村镇2020年度法治政府建设情况分析",
    )
    result = run_job(job, timeout=120)
    assert result.ok, result.error
    write_index(root / "outputs", [result])
    return result.html


def assert_offline_and_clean(visit) -> None:
    assert visit.requests[:1] == [visit.url]
    assert visit.outside_requests == []
    assert visit.failed_requests == []
    assert visit.console_errors == []
    assert visit.page_errors == []


def assert_not_blank(png: Path) -> None:
    pixels = mpimg.imread(png)[..., :3]
    assert pixels.std() > 0.05  # not a flat page
    not_white = (pixels < 0.9).any(axis=-1).mean()
    assert not_white > 0.01  # text, table and chart cover a real part of the page
    colored = (pixels.max(axis=-1) - pixels.min(axis=-1) > 0.25).mean()
    assert colored > 0.002  # the chart's coloured bars are there


@pytest.mark.notebook
def test_report_opens_offline_with_chinese_text(browser, report, tmp_path):
    shot = tmp_path / "report.png"
    visit = browser.visit(report, screenshot=shot, font_selector="h1")
    assert_offline_and_clean(visit)
    assert_not_blank(shot)
    used = {font["familyName"] for font in visit.fonts if font["glyphCount"] > 0}
    assert used & CJK_FAMILIES, f"标题没有用中文字体绘制：{visit.fonts}"
    shutil.copyfile(shot, KEPT_SCREENSHOT)


@pytest.mark.notebook
def test_index_opens_offline(browser, report, tmp_path):
    shot = tmp_path / "index.png"
    visit = browser.visit(report.parent.parent / "index.html", screenshot=shot, font_selector="h1")
    assert_offline_and_clean(visit)
    assert mpimg.imread(shot)[..., :3].std() > 0.02  # a table, not a blank page
    used = {font["familyName"] for font in visit.fonts if font["glyphCount"] > 0}
    assert used & CJK_FAMILIES


@pytest.mark.notebook
def test_report_prints_on_a4(browser, report, tmp_path):
    from pdfminer.pdfpage import PDFPage

    pdf = browser.print_pdf(report, tmp_path / "report.pdf")
    with pdf.open("rb") as handle:
        boxes = [page.mediabox for page in PDFPage.get_pages(handle)]
    assert boxes
    for box in boxes:  # A4 is 595 x 842 points
        assert abs(box[2] - box[0] - 595.3) < 1.5 and abs(box[3] - box[1] - 841.9) < 1.5


def test_the_harness_sees_external_requests(browser, tmp_path):
    """A control: a page that does reach out is caught, so a pass above means something."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        "</head><body><p>外部资源</p>"
        '<img src="//img.example.com/a.png" alt="图">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="点">'
        "</body></html>",
        encoding="utf-8",
    )
    visit = browser.visit(page)
    # From a file: page, "//host/a.png" means file://host/a.png: a network share on Windows.
    assert sorted(visit.outside_requests) == [
        "file://img.example.com/a.png",
        "https://cdn.example.com/x.css",
    ]
    assert "https://cdn.example.com/x.css" in visit.failed_requests
