"""Tests of lawnb.run.index: runs.json and index.html merged, ordered, found on disk, unwritable."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from notebook_helpers import body_of, external_urls, leftovers

from lawnb.errors import RunError
from lawnb.run.index import write_index
from lawnb.run.jobs import Job, JobFailure, JobResult


def fake_result(
    outputs: Path, year: int, name: str, ok: bool, *, district: str = "示例区", **kw
) -> JobResult:
    """The result of a job writing ``outputs/<year>/<district>/<name>`` (files made here)."""
    stem = outputs / str(year) / (district or "未知区县") / name
    stem.parent.mkdir(parents=True, exist_ok=True)
    ipynb = stem.with_name(name + ".ipynb")
    ipynb.write_text("{}", encoding="utf-8")
    html = None
    if ok:
        html = stem.with_name(name + ".html")
        html.write_text("<html></html>", encoding="utf-8")
    notebook = kw.get("notebook", "annual_report")
    overview = notebook == "district_overview"
    job = Job(
        Path(f"notebooks/{notebook}.ipynb"),
        {"year": year, "district": district} if overview else {"unit": name, "year": year},
        stem,
        f"{district if overview else name}{year}年度法治政府建设情况分析",
        f"{year} {name}",
        district=district,
        unit="" if overview else name,
        fictional=kw.get("fictional", False),
    )
    return JobResult(
        job=job,
        ok=ok,
        html=html,
        ipynb=ipynb,
        failure=kw.get("failure"),
        seconds=1.25,
        finished=kw.get("finished", ""),
    )


def index_rows(index: str) -> list[dict[str, str]]:
    """The index table as one dict per row, keyed by the column headers."""
    from bs4 import BeautifulSoup

    table = BeautifulSoup(index, "lxml").find("table")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    return [
        dict(zip(headers, (td.get_text(" ", strip=True) for td in tr.find_all("td")), strict=True))
        for tr in table.find("tbody").find_all("tr")
    ]


def test_index_lists_runs_newest_year_first_and_merges(tmp_path):
    outputs = tmp_path / "outputs"
    # A report from an old run that has no record in runs.json.
    (outputs / "2018" / "示例区").mkdir(parents=True)
    (outputs / "2018" / "示例区" / "旧单位.html").write_text("<html></html>", encoding="utf-8")
    first = [
        fake_result(outputs, 2019, "甲镇", True),
        fake_result(outputs, 2021, "乙镇", True),
        fake_result(
            outputs, 2021, "丙镇", False, failure=JobFailure("KeyError", "'行政复议'", cell=3)
        ),
    ]
    write_index(outputs, first)
    # A later run of one year only: the other years stay.
    index_path = write_index(outputs, [fake_result(outputs, 2020, "丁镇", True)])

    assert index_path == outputs / "index.html"
    index = index_path.read_text(encoding="utf-8")
    assert '<html lang="zh">' in index
    rows = index_rows(index)
    assert [(r["年度"], r["单位"]) for r in rows] == [
        ("2021", "丙镇"),
        ("2021", "乙镇"),
        ("2020", "丁镇"),
        ("2019", "甲镇"),
        ("2018", "旧单位"),
    ]
    assert {r["区县"] for r in rows} == {"示例区"}
    assert "成功" in index and "失败" in index and "KeyError: &#39;行政复议&#39;" in index
    assert "第 4 个代码单元" in index
    assert external_urls(index) == []
    hrefs = re.findall(r'href="([^"]+)"', index)
    assert hrefs and all((outputs / unquote(h)).is_file() for h in hrefs)
    assert "2021/%E7%A4%BA%E4%BE%8B%E5%8C%BA/%E4%B9%99%E9%95%87.html" in hrefs  # relative

    runs = json.loads((outputs / "runs.json").read_text(encoding="utf-8"))["runs"]
    assert set(runs) == {
        "2018/示例区/旧单位",
        "2019/示例区/甲镇",
        "2020/示例区/丁镇",
        "2021/示例区/乙镇",
        "2021/示例区/丙镇",
    }
    assert runs["2021/示例区/丙镇"]["ok"] is False and runs["2021/示例区/丙镇"]["failed_cell"] == 3

    # Outputs deleted by hand disappear from the index.
    (outputs / "2019" / "示例区" / "甲镇.html").unlink()
    (outputs / "2019" / "示例区" / "甲镇.ipynb").unlink()
    assert "甲镇" not in write_index(outputs, []).read_text(encoding="utf-8")
    assert leftovers(outputs) == []


def test_index_columns_name_district_notebook_and_each_pages_own_time(tmp_path):
    outputs = tmp_path / "outputs"
    results = [
        fake_result(
            outputs, 2021, "司法局", True, district="青山区", finished="2021-03-01 09:00:01"
        ),
        fake_result(
            outputs, 2021, "司法局", True, district="白水区", finished="2021-03-01 09:00:07"
        ),
        fake_result(
            outputs,
            2021,
            "汇总",
            True,
            district="青山区",
            notebook="district_overview",
            finished="2021-03-01 09:00:09",
        ),
        fake_result(outputs, 2021, "无名镇", True, district="", finished="2021-03-01 09:00:03"),
        fake_result(outputs, 2022, "东湖镇", True, fictional=True, finished="2022-05-05 10:00:00"),
    ]
    index = write_index(outputs, results).read_text(encoding="utf-8")
    rows = index_rows(index)
    assert list(rows[0]) == [
        "年度",
        "区县",
        "单位",
        "笔记本",
        "状态",
        "报告",
        "笔记本文件",
        "耗时",
        "运行时间",
    ]
    shown = [(r["年度"], r["区县"], r["单位"], r["笔记本"], r["运行时间"]) for r in rows]
    assert shown == [
        ("2022", "示例区", "东湖镇 虚构示例数据", "单位年度报告分析", "2022-05-05 10:00:00"),
        ("2021", "白水区", "司法局", "单位年度报告分析", "2021-03-01 09:00:07"),
        ("2021", "青山区", "全部单位", "区县年度汇总", "2021-03-01 09:00:09"),
        ("2021", "青山区", "司法局", "单位年度报告分析", "2021-03-01 09:00:01"),
        ("2021", "未知区县", "无名镇", "单位年度报告分析", "2021-03-01 09:00:03"),
    ]
    # The notebooks' internal ids are nowhere a reader sees them.
    body = body_of(index)
    assert "annual_report" not in body and "district_overview" not in body
    assert body.count("虚构示例数据") == 2  # the row's mark and the note that explains it
    assert (outputs / "2021" / "未知区县" / "无名镇.html").is_file()


def test_index_finds_pages_on_disk_and_replaces_pages_of_the_old_layout(tmp_path):
    outputs = tmp_path / "outputs"
    # An older lawnb wrote outputs/<year>/<unit> and outputs/<year>/<district>汇总.
    old = outputs / "2022"
    old.mkdir(parents=True)
    for name in ("东湖镇", "示例区汇总", "西山镇"):
        for suffix in (".html", ".ipynb"):
            (old / f"{name}{suffix}").write_text("旧版", encoding="utf-8")
    write_index(outputs, [])
    assert {r["单位"] for r in index_rows((outputs / "index.html").read_text("utf-8"))} == {
        "东湖镇",
        "示例区汇总",
        "西山镇",
    }
    # A page on disk without a record in runs.json: described from its executed notebook.
    found = outputs / "2022" / "示例区" / "北城街道.ipynb"
    found.parent.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {
        "input_path": "/somewhere/notebooks/annual_report.ipynb",
        "parameters": {"unit": "北城街道", "year": 2022, "dataset": "demo"},
    }
    nbformat.write(nb, found)
    found.with_suffix(".html").write_text("<html></html>", encoding="utf-8")

    results = [
        fake_result(outputs, 2022, "东湖镇", True),
        fake_result(outputs, 2022, "汇总", True, notebook="district_overview"),
    ]
    rows = index_rows(write_index(outputs, results).read_text(encoding="utf-8"))
    assert [(r["区县"], r["单位"], r["笔记本"]) for r in rows] == [
        ("示例区", "全部单位", "区县年度汇总"),
        ("示例区", "东湖镇", "单位年度报告分析"),
        ("示例区", "北城街道 虚构示例数据", "单位年度报告分析"),
        ("—", "西山镇", "—"),  # not superseded yet: kept, its district unknown
    ]
    assert sorted(p.name for p in old.iterdir() if p.is_file()) == ["西山镇.html", "西山镇.ipynb"]
    runs = json.loads((outputs / "runs.json").read_text(encoding="utf-8"))["runs"]
    assert set(runs) == {
        "2022/示例区/汇总",
        "2022/示例区/北城街道",
        "2022/示例区/东湖镇",
        "2022/西山镇",
    }
    assert leftovers(outputs) == []


def test_index_reports_a_corrupt_status_file(tmp_path):
    (tmp_path / "runs.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RunError, match=r"runs\.json"):
        write_index(tmp_path, [])
