"""Hostile content: a report's text and names never become markup, script or a path.

A fictional unit's reports (2020 and 2021) carry HTML, script, ``javascript:`` links and
Markdown in their title, headings and sentences, and the unit and district names given at
import carry them too. They are imported with ``lawnb.store.importing.reports.import_reports``, the annual
report notebook is run on them with ``lawnb.run.runner.run_jobs`` and exported; then the HTML is
checked as text and opened in headless Chromium (network off, see tests/browser.py): no dialog,
no console message, no page error, no request, no element or attribute made from the payload,
and the payload visible as plain text. A control page shows that the harness does catch a
payload that runs.

Unit names that would leave ``outputs/`` are refused before any job is planned.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from lawnb.errors import ParamsError
from lawnb.run.batch import plan_jobs
from lawnb.run.index import write_index
from lawnb.run.jobs import Job
from lawnb.run.runner import run_jobs
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset

try:  # tests/ as a package or as a plain folder on sys.path
    from .browser import OfflineChromium, require_chromium
except ImportError:
    from browser import OfflineChromium, require_chromium

REPO = Path(__file__).resolve().parents[1]
MARK = "lawnb-pwned"  # what every payload would log, alert or fetch

# Names given at import: a quote, HTML and Markdown, within the length a name may have
# (lawnb.names.MAX_NAME_LENGTH), but no path separator (those are refused).
UNIT = f"东湖镇\"<svg onload=alert('{MARK}')>**"
DISTRICT = "示例区**粗体**`代码`"
PAYLOADS = [
    f"<script>console.log('{MARK}');alert('{MARK}')</script>",
    f"<img src=x onerror=alert('{MARK}')>",
    f"<svg onload=alert('{MARK}')>",
    f"<a href=\"javascript:alert('{MARK}')\">点击查看</a>",
    "[点我](javascript:alert(1))",
    f"![图](http://evil.example/{MARK}.png)",
    "**粗体**",
    "`rm -rf /`",
    f'<iframe src="http://evil.example/{MARK}"></iframe>',
    "<style>body{display:none}</style>",
]


def hostile_report(year: int, figures: tuple[int, int, int]) -> str:
    inspections, cases, events = figures
    p = PAYLOADS
    # The title stays short enough to be found as the title (60 characters).
    return f"""示例区东湖镇{year}年度法治政府建设情况报告<svg onload=alert(1)>
{year}年，东湖镇坚持依法行政{p[0]}，现将有关情况报告如下。
一、主要举措和成效{p[2]}
（一）严格规范执法{p[4]}
全年开展联合执法检查{inspections}次{p[0]}，办理行政复议案件{cases}件{p[3]}。
（二）加强普法宣传{p[6]}
开展普法活动{events}场{p[5]}，发放宣传资料{p[7]}500份。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记带头学法4次{p[8]}。
三、存在的不足和原因
执法力量相对薄弱{p[9]}。
四、下一年度工作安排
计划开展普法活动不少于10场{p[1]}，开展执法检查不少于12次{p[4]}。
"""


@pytest.fixture(scope="module")
def hostile_dataset(tmp_path_factory) -> Path:
    """The hostile unit's two reports imported into a dataset (no notebook runs)."""
    root = tmp_path_factory.mktemp("hostile")
    files = []
    for year, figures in ((2020, (10, 2, 15)), (2021, (12, 3, 20))):
        file = root / "reports" / f"示例区东湖镇-{year}.txt"
        file.parent.mkdir(exist_ok=True)
        file.write_text(hostile_report(year, figures), encoding="utf-8")
        files.append(file)
    dataset = root / "dataset"
    result = import_reports(files, dataset, unit=UNIT, district=DISTRICT)
    failures = getattr(result, "failures", None)
    assert not (failures if failures is not None else result[1]), failures
    assert load_dataset(dataset).units() == [UNIT]
    return dataset


@pytest.fixture(scope="module")
def hostile_run(hostile_dataset, tmp_path_factory):
    """The annual report run on the hostile dataset (HTML, notebook, index)."""
    dataset = hostile_dataset
    outputs = tmp_path_factory.mktemp("hostile-outputs")
    job = Job(
        notebook=REPO / "notebooks" / "annual_report.ipynb",
        parameters={"unit": UNIT, "year": 2021, "dataset": str(dataset)},
        out_stem=outputs / "2021" / UNIT,
        title=f"{UNIT}2021年度法治政府建设情况分析",
        label=f"2021 {UNIT}",
    )
    (run,) = run_jobs([job], max_workers=1, timeout=300, progress=False)
    assert run.ok, run.error
    write_index(outputs, [run])
    return run


def test_the_payload_reaches_the_dataset_as_data(hostile_dataset):
    dataset = load_dataset(hostile_dataset)
    texts = "\n".join(
        dataset.reports["title"].astype(str).tolist()
        + dataset.sections["title"].astype(str).tolist()
        + dataset.facts["sentence"].astype(str).tolist()
    )
    # The payload is kept as written (normalisation turns ASCII brackets into Chinese ones).
    assert "<svg onload=alert" in texts and "**粗体**" in texts and "<script>" in texts
    assert (dataset.reports["district"] == DISTRICT).all()
    assert dataset.reports["title"].str.endswith("<svg onload=alert（1）>").all()


@pytest.mark.notebook
def test_the_html_holds_no_markup_made_from_the_payload(hostile_run):
    html = hostile_run.html.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    handlers = [
        (tag.name, name)
        for tag in soup.find_all(True)
        for name in tag.attrs
        if name.startswith("on")
    ]
    assert handlers == []
    assert soup.find_all(["iframe", "svg", "object", "embed"]) == []
    assert [a["href"] for a in soup.find_all("a", href=True) if "javascript" in a["href"]] == []
    assert [
        i.get("src") for i in soup.find_all("img") if not i.get("src", "").startswith("data:")
    ] == []
    for script in soup.find_all("script"):
        assert MARK not in script.get_text() and "alert" not in script.get_text()
    for style in soup.find_all("style"):
        assert "body{display:none}" not in style.get_text().replace(" ", "")
    for tag in soup.find_all(["strong", "b", "em", "code"]):
        assert "粗体" not in tag.get_text() and "rm -rf" not in tag.get_text()
    body = soup.body.get_text()
    assert "<img src=x onerror=alert" in body  # shown as text …
    assert "**粗体**" in body and "[点我]" in body and "`代码`" in body
    assert f"<title>{UNIT}" not in html  # … and escaped in the page title too
    assert MARK in body


@pytest.mark.notebook
def test_the_executed_notebook_keeps_the_payload_escaped(hostile_run):
    notebook = hostile_run.ipynb.read_text(encoding="utf-8")
    outputs = [
        o
        for cell in json.loads(notebook)["cells"]
        if cell["cell_type"] == "code"
        for o in cell.get("outputs", [])
    ]
    markdown = "".join(
        "".join(o.get("data", {}).get("text/markdown", "")) for o in outputs if "data" in o
    )
    assert markdown and "<img" not in markdown and "<script" not in markdown
    assert "&lt;img" in markdown and r"\*\*粗体\*\*" in markdown
    html_outputs = "".join(
        "".join(o.get("data", {}).get("text/html", "")) for o in outputs if "data" in o
    )
    assert "<img src=x" not in html_outputs and "<script>" not in html_outputs


@pytest.mark.notebook
def test_names_are_shown_as_written(hostile_run):
    soup = BeautifulSoup(hostile_run.html.read_text(encoding="utf-8"), "lxml")
    assert f"alert('{MARK}')" in soup.find("h1").get_text()


def test_a_report_whose_title_was_not_found_still_renders(tmp_path):
    from lawnb.present import views

    file = tmp_path / "示例区东湖镇-2021.txt"
    body = (Path(__file__).parent / "bad_inputs" / "valid-report.txt").read_text(encoding="utf-8")
    file.write_text("附件1\n" + body.split("\n", 1)[1], encoding="utf-8")  # no title line
    import_reports([file], tmp_path / "ds")
    dataset = load_dataset(tmp_path / "ds")
    assert dataset.reports["title"].isna().all()
    view = views.annual_view(dataset, "东湖镇", 2021)
    assert "东湖镇" in views.heading_md(view)


# ---------------------------------------------------------------------------------------------
# In a browser
# ---------------------------------------------------------------------------------------------


class ProbingChromium(OfflineChromium):
    """OfflineChromium that also records dialogs and every console message."""

    def probe(self, html: Path) -> dict:
        url = Path(html).resolve().as_uri()
        seen: dict = {"url": url, "dialogs": [], "console": [], "errors": [], "requests": []}
        page = self._context.new_page()

        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            seen["dialogs"].append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("request", lambda r: seen["requests"].append(r.url))
        try:
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            # Move the mouse over every element: a handler made from the payload would fire.
            page.evaluate(
                """() => document.querySelectorAll("body *").forEach(e => {
                    for (const type of ["mouseover", "mouseenter", "click", "focus"])
                        e.dispatchEvent(new Event(type, {bubbles: false}));
                })"""
            )
            page.wait_for_timeout(300)
            seen["text"] = page.inner_text("body")
        finally:
            page.close()
        seen["outside"] = [u for u in seen["requests"] if u != url and not u.startswith("data:")]
        return seen


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    with ProbingChromium(executable) as chromium:
        yield chromium


def _assert_inert(seen: dict) -> None:
    assert seen["dialogs"] == []
    assert [m for m in seen["console"] if MARK in m or "alert" in m] == []
    assert seen["errors"] == []
    assert seen["outside"] == []


@pytest.mark.notebook
@pytest.mark.browser
def test_nothing_runs_in_the_report(browser, hostile_run):
    seen = browser.probe(hostile_run.html)
    _assert_inert(seen)
    assert seen["console"] == []
    text = seen["text"]
    assert "onerror=alert" in text and "<script>" in text and "**粗体**" in text
    assert "javascript:alert" in text  # the link is text, not a link


@pytest.mark.notebook
@pytest.mark.browser
def test_nothing_runs_in_the_index(browser, hostile_run):
    seen = browser.probe(hostile_run.html.parent.parent / "index.html")
    _assert_inert(seen)
    assert f"<svg onload=alert('{MARK}')>" in seen["text"]  # the unit's name, as text


@pytest.mark.browser
def test_the_harness_catches_a_payload_that_runs(browser, tmp_path):
    """The control: the same payloads, unescaped, do run and are caught."""
    page = tmp_path / "raw.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"></head><body>'
        + "".join(f"<p>{p}</p>" for p in PAYLOADS[:3])
        + "</body></html>",
        encoding="utf-8",
    )
    seen = browser.probe(page)
    assert seen["dialogs"], seen
    assert any(MARK in m for m in seen["console"]), seen["console"]
    assert any(u.endswith("/x") for u in seen["outside"]), seen["outside"]  # <img src=x>


# ---------------------------------------------------------------------------------------------
# Unit names in paths
# ---------------------------------------------------------------------------------------------


def _params(tmp_path: Path, dataset: Path, units: list[str]) -> Path:
    file = tmp_path / "params" / "2021.yaml"
    file.parent.mkdir(exist_ok=True)
    file.write_text(
        yaml.safe_dump({"year": 2021, "dataset": str(dataset), "units": units}, allow_unicode=True),
        encoding="utf-8",
    )
    return file


ESCAPING_NAMES = [
    "../东湖镇",
    "..",
    "东湖镇/../../etc",
    "/etc/passwd",
    "..\\..\\东湖镇",
    "C:东湖镇",
    ".东湖镇",
    "东湖\x00镇",
    "  ",
]


@pytest.mark.parametrize("name", ESCAPING_NAMES, ids=repr)
def test_unit_names_that_leave_outputs_are_refused(hostile_dataset, tmp_path, name):
    dataset = hostile_dataset
    outputs = tmp_path / "outputs"
    notebooks = REPO / "notebooks"
    with pytest.raises(ParamsError, match="单位名称"):
        plan_jobs(
            [_params(tmp_path, dataset, [name])],
            open_dataset=load_dataset,
            notebooks_dir=notebooks,
            outputs=outputs,
        )
    with pytest.raises(ParamsError, match="--unit"):
        plan_jobs(
            [_params(tmp_path, dataset, [UNIT])],
            open_dataset=load_dataset,
            units=[name],
            notebooks_dir=notebooks,
            outputs=outputs,
        )
    assert not outputs.exists()


def test_hostile_but_safe_names_stay_inside_outputs(hostile_dataset, tmp_path):
    dataset = hostile_dataset
    outputs = tmp_path / "outputs"
    (job,) = plan_jobs(
        [_params(tmp_path, dataset, [UNIT])],
        open_dataset=load_dataset,
        notebooks_dir=REPO / "notebooks",
        outputs=outputs,
    )
    assert job.html_path.resolve().parent == (outputs / "2021" / DISTRICT).resolve()
    assert job.html_path.name == f"{UNIT}.html"
    assert re.fullmatch(r"[^/\\]+", job.out_stem.name)
