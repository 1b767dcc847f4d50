"""Tests of lawnb.run.runner: papermill execution, offline HTML export, batches, index, atomic writes.

Every notebook here is written by the test (fictional units and sentences) and executed for real
with the python3 kernel.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import re
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from lawnb.errors import RunError
from lawnb.run import runner
from lawnb.run.runner import (
    Job,
    JobResult,
    RenderedJob,
    export_html,
    run_job,
    run_jobs,
    write_index,
)

# src=/href= to another host (http://, https:// or protocol-relative //), CSS url() and @import.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def external_urls(html: str) -> list[str]:
    return [html[m.start() : m.end() + 60] for m in EXTERNAL.finditer(html)]


def body_of(html: str) -> str:
    """The page after </head>: what the reader sees (the inlined CSS names many classes)."""
    return html.split("</head>", 1)[1]


def write_notebook(path: Path, cells: list, *, kernel: str = "python3") -> Path:
    """Write a notebook: str = code cell, ("md", text) = markdown, ("tags", src, [..]) = tagged."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells:
        if isinstance(cell, str):
            nb.cells.append(nbformat.v4.new_code_cell(cell))
        elif cell[0] == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            code = nbformat.v4.new_code_cell(cell[1])
            code.metadata["tags"] = list(cell[2])
            nb.cells.append(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def leftovers(root: Path) -> list[Path]:
    """Temp files the atomic writer could have left behind."""
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


PARAMS_CELL = ("tags", 'unit: str = "示例单位"  # 单位\nyear: int = 1999  # 年度', ["parameters"])


# ---------------------------------------------------------------------------------------------
# A parameterised notebook, end to end
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# A batch where one notebook fails
# ---------------------------------------------------------------------------------------------


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


def test_run_jobs_accepts_an_executor(tmp_path):
    notebook = write_notebook(tmp_path / "nb.ipynb", [PARAMS_CELL, "print(unit)"])
    job = Job(notebook, {"unit": "丁村"}, tmp_path / "out" / "2022" / "丁村", "丁村")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        (result,) = run_jobs([job], executor=pool, progress=False, timeout=60)
    assert result.ok, result.error
    assert "丁村" in result.html.read_text(encoding="utf-8")


def kernel_pids() -> set[int]:
    """The running ipykernel processes (Linux: read from /proc)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"ipykernel_launcher" in command:
                pids.add(int(entry.name))
    return pids


def kernel_folders() -> set[Path]:
    import tempfile

    return set(Path(tempfile.gettempdir()).glob("lawnb-kernel-*-*"))


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
def test_a_batch_stops_every_kernel_it_started_ahead(tmp_path):
    """Workers start the next notebook's kernel early; none is left running or on disk after."""
    dead = Path(runner.tempfile.gettempdir()) / "lawnb-kernel-999999999-left"
    dead.mkdir(exist_ok=True)  # the socket folder of a process killed earlier: swept
    before_pids, before_folders = kernel_pids(), kernel_folders()
    notebook = write_notebook(
        tmp_path / "nb.ipynb", [PARAMS_CELL, "import os\nprint(unit, os.getpid())"]
    )
    units = ["甲村", "乙村", "丙村", "丁村", "戊村"]
    jobs = [Job(notebook, {"unit": u}, tmp_path / "out" / u, u) for u in units]
    results = run_jobs(jobs, max_workers=2, progress=False, timeout=60)
    assert all(r.ok for r in results), [r.error for r in results]
    printed = [nbformat.read(r.ipynb, as_version=4).cells[-1].outputs[0].text for r in results]
    assert [line.split()[0] for line in printed] == units
    assert len({line.split()[1] for line in printed}) == len(units)  # a fresh kernel each
    assert kernel_pids() - before_pids == set()
    assert kernel_folders() - before_folders == set()
    assert not dead.exists()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
def test_a_kernel_started_for_a_job_that_never_comes_is_stopped_with_its_worker(tmp_path):
    import multiprocessing

    before, before_folders = kernel_pids(), kernel_folders()
    notebook = write_notebook(tmp_path / "nb.ipynb", [PARAMS_CELL, "print(unit)"])
    job = Job(notebook, {"unit": "己村"}, tmp_path / "out" / "己村", "己村")
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        rendered = pool.submit(runner.render_job, job, 60, True).result()
        assert rendered.error is None and "己村" in rendered.html
        assert len(kernel_pids() - before) == 1  # the next notebook's kernel, already up
    assert kernel_pids() - before == set()
    assert kernel_folders() - before_folders == set()


def test_run_jobs_rejects_two_jobs_with_one_output(tmp_path):
    notebook = write_notebook(tmp_path / "nb.ipynb", ["1"])
    stem = tmp_path / "out" / "2020" / "甲"
    with pytest.raises(RunError, match="同一个输出"):
        run_jobs([Job(notebook, {}, stem, "a"), Job(notebook, {}, stem, "b")], progress=False)
    assert run_jobs([], progress=False) == []


# ---------------------------------------------------------------------------------------------
# Timeouts, dead kernels, missing notebooks
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# HTML export without a kernel
# ---------------------------------------------------------------------------------------------


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_export_html_outputs_only_with_embedded_images(tmp_path):
    (tmp_path / "logo.png").write_bytes(tiny_png())
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": str(tmp_path / "source.ipynb")}
    png = base64.b64encode(tiny_png()).decode()
    code = nbformat.v4.new_code_cell(
        "secret_source_line = 42",
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="可见的输出\n"),
            nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: 隐藏\n"),
            nbformat.v4.new_output("display_data", data={"image/png": png}),
        ],
    )
    only_warning = nbformat.v4.new_code_cell(
        "noisy()", outputs=[nbformat.v4.new_output("stream", name="stderr", text="警告\n")]
    )
    hidden = nbformat.v4.new_code_cell(
        "x", outputs=[nbformat.v4.new_output("stream", name="stdout", text="被标记隐藏\n")]
    )
    hidden.metadata["tags"] = ["remove-cell"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 图片\n\n![标志](logo.png)\n\n公式 $a+b$"),
        code,
        only_warning,
        hidden,
        nbformat.v4.new_code_cell("pass"),
    ]
    html = export_html(nb, title="测试 <标题>")
    assert "<title>测试 &lt;标题&gt;</title>" in html
    assert "可见的输出" in html and "secret_source_line" not in html
    assert "隐藏" not in html and "警告" not in html and "被标记隐藏" not in html
    body = body_of(html)
    assert body.count("jp-Cell jp-CodeCell") == 1
    assert body.count("data:image/png;base64,") == 2  # the output and the markdown image
    assert 'alt="图表"' in html and "No description" not in html
    assert external_urls(html) == []
    assert nb.cells[1].outputs[1].name == "stderr"  # the caller's notebook is not changed


def test_export_html_refuses_external_resources():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("![远程图片](https://example.com/a.png)")]
    with pytest.raises(RunError, match="外部资源"):
        export_html(nb, title="外部")
    # A link is fine: it loads nothing by itself.
    nb.cells = [nbformat.v4.new_markdown_cell("[政府网站](https://example.com/)")]
    assert "https://example.com/" in export_html(nb, title="链接")


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


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
        error=kw.get("error"),
        failed_cell=kw.get("failed_cell"),
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
        fake_result(outputs, 2021, "丙镇", False, error="KeyError: '行政复议'", failed_cell=3),
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


# ---------------------------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------------------------


def test_write_failure_makes_a_failed_result(tmp_path, monkeypatch):
    stem = tmp_path / "out" / "2020" / "乙镇"
    stem.parent.mkdir(parents=True)
    old_html = stem.with_name("乙镇.html")
    old_html.write_text("旧报告", encoding="utf-8")
    rendered = RenderedJob(
        job=Job(Path("x.ipynb"), {}, stem, "乙镇"),
        ipynb="{}",
        html="<html>新报告</html>",
        error=None,
        failed_cell=None,
        seconds=0.5,
    )
    real_replace = os.replace

    def replace_ipynb_only(src, dst):
        if str(dst).endswith(".html"):
            raise OSError(5, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(runner.os, "replace", replace_ipynb_only)
    result = runner.write_rendered(rendered)
    assert not result.ok and result.html is None
    assert result.error.startswith("OSError: 无法写入") and "乙镇.html" in result.error
    assert old_html.read_text(encoding="utf-8") == "旧报告"
    assert stem.with_name("乙镇.ipynb").read_text(encoding="utf-8") == "{}"
    assert leftovers(tmp_path) == []
