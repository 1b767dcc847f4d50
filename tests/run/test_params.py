"""Tests of lawnb.run.params and lawnb.run.batch: params files planned against the dataset, with
clear errors naming the file; two units of one name in two districts, planned and run.
"""

from __future__ import annotations

import json
import shutil
from functools import partial

import nbformat
import pytest

from lawnb.cli import main
from lawnb.errors import ParamsError
from lawnb.present.parameters import validate_notebook_parameters
from lawnb.run.batch import declared_parameters, plan_jobs
from lawnb.run.params import plan_from_params
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset

#: The planner with the store's loader, as the CLI calls it.
_plan = partial(plan_from_params, open_dataset=load_dataset)


def _params(tmp_path, body: str):
    (tmp_path / "params").mkdir(exist_ok=True)
    file = tmp_path / "params" / "2020.yaml"
    file.write_text(body, encoding="utf-8")
    return file


def test_the_committed_params_plan_the_founding_report(repo_root):
    plan = _plan(repo_root / "params" / "2020.yaml")
    assert (plan.year, plan.units) == (2020, ["齐村镇"])
    assert plan.notebooks == ["annual_report", "district_overview"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("year: 2020\nunits: [东湖镇]\n", "没有单位“东湖镇”.*已有单位：齐村镇"),
        ("year: 2019\nunits: [齐村镇]\n", "没有“齐村镇”2019年的报告"),
        ("year: 2020\nunits: [齐村镇\n", "第 3 行.*不是有效的 YAML"),
        ("year: 二〇二〇\n", "year 应为四位数的年度"),
        ("year: 2020\nunits: [../etc]\n", "含有路径符号"),
        ("year: 2020\ncolour: red\n", "未知的参数 colour"),
        ("year: 2020\ndataset: no/such/folder\n", "dataset 无法加载.*不存在"),
        ("- just\n- a list\n", "映射"),
    ],
)
def test_bad_params_name_the_file_and_the_fix(tmp_path, body, message):
    file = _params(tmp_path, body)
    with pytest.raises(ParamsError, match=message) as info:
        _plan(file)
    assert str(file) in str(info.value)


@pytest.mark.parametrize(
    ("unit", "year", "dataset", "message"),
    [
        ("齐村镇", "2020", "", "year 应为整数"),
        (42, 2020, "", "unit 应为单位名称"),
        ("东湖镇", 2020, "", "没有单位“东湖镇”"),
        ("齐村镇", 2020, "/no/such/dataset", "dataset"),
    ],
)
def test_notebook_parameters_are_validated(unit, year, dataset, message):
    with pytest.raises(ParamsError, match=message):
        validate_notebook_parameters(unit, year, dataset)


# ---------------------------------------------------------------------------------------------
# Two departments of one name in two districts (fictional reports written here)
# ---------------------------------------------------------------------------------------------

DEPARTMENTS = {
    "青山区": """青山区司法局2021年度法治政府建设情况报告
2021年，区司法局坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下。
一、法治政府建设主要举措和成效
（一）推进严格规范公正文明执法
全年开展行政执法案卷评查2次，评查案卷86卷，组织执法人员培训12场。
（二）化解矛盾纠纷
全年调处矛盾纠纷215件，调解成功率98%。
二、存在的不足及原因
基层法治力量还不够充足。
三、下一年度工作安排
2022年计划开展执法人员培训不少于15场。
""",
    "白水区": """白水区司法局2021年度法治政府建设情况报告
2021年，区司法局围绕区委、区政府中心工作，着力提升依法行政水平。现将有关情况报告如下。
一、法治政府建设主要举措和成效
（一）加强普法宣传
全年开展普法宣传活动47场，发放宣传资料3200份。
（二）规范行政复议
全年办理行政复议案件9件，纠错1件。
二、存在的不足及原因
普法形式还比较单一。
三、下一年度工作安排
2022年计划开展普法宣传活动不少于50场。
""",
}


@pytest.fixture(scope="module")
def two_departments(tmp_path_factory):
    """A fictional dataset: 青山区/司法局/2021 and 白水区/司法局/2021, marked fictional."""
    root = tmp_path_factory.mktemp("departments")
    dataset = root / "ds"
    for district, text in DEPARTMENTS.items():
        file = root / "reports" / f"{district}司法局-2021.txt"
        file.parent.mkdir(exist_ok=True)
        file.write_text(text, encoding="utf-8")
        result = import_reports([file], dataset, unit="司法局", district=district)
        assert not result.failures, result.failures
    manifest = json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))
    manifest["fictional"] = True
    (dataset / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dataset


def _department_params(tmp_path, dataset, units="all", notebooks="[annual_report]"):
    return _params(
        tmp_path, f"year: 2021\ndataset: {dataset}\nunits: {units}\nnotebooks: {notebooks}\n"
    )


def test_two_units_of_one_name_are_two_reports_of_the_plan(tmp_path, two_departments):
    whole = _plan(_department_params(tmp_path, two_departments))
    assert whole.units == ["司法局"]
    assert whole.reports == [("白水区", "司法局"), ("青山区", "司法局")]
    assert whole.fictional is True
    one = _plan(_department_params(tmp_path, two_departments, "[青山区/司法局]"))
    assert one.reports == [("青山区", "司法局")]
    narrowed = _plan(_department_params(tmp_path, two_departments), units=["白水区/司法局"])
    assert narrowed.reports == [("白水区", "司法局")]
    with pytest.raises(ParamsError, match=r"没有“红河区/司法局”2021年的报告.*白水区、青山区"):
        _plan(_department_params(tmp_path, two_departments, "[红河区/司法局]"))


def test_a_notebook_without_a_district_parameter_cannot_tell_them_apart(tmp_path, two_departments):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(
        'unit: str = ""  # 单位\nyear: int = 2021  # 年度\ndataset: str = ""  # 数据集'
    )
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nbformat.write(nb, notebooks / "annual_report.ipynb")
    with pytest.raises(ParamsError, match=r"2个“司法局”（白水区、青山区）.*没有声明参数 district"):
        plan_jobs(
            [_department_params(tmp_path, two_departments)],
            open_dataset=load_dataset,
            notebooks_dir=notebooks,
            outputs=tmp_path / "outputs",
        )
    assert not (tmp_path / "outputs").exists()


def test_notebook_parameters_pick_the_district(two_departments):
    with pytest.raises(ParamsError, match=r"2个“司法局”（白水区、青山区）.*district"):
        validate_notebook_parameters("司法局", 2021, str(two_departments))
    with pytest.raises(ParamsError, match=r"没有“红河区”的“司法局”2021年的报告.*白水区、青山区"):
        validate_notebook_parameters("司法局", 2021, str(two_departments), "红河区")
    for district, own, other in (
        ("青山区", "调处矛盾纠纷", "普法宣传活动"),
        ("白水区", "普法宣传活动", "调处矛盾纠纷"),
    ):
        ds = validate_notebook_parameters("司法局", 2021, str(two_departments), district)
        assert ds.report_row("司法局", 2021)["report_id"] == f"{district}/司法局/2021"
        subjects = set(ds.facts_for("司法局", 2021)["subject"])
        assert own in subjects and other not in subjects
        assert set(ds.facts["report_id"]) == {f"{district}/司法局/2021"}
    # A unit of one district only: the dataset comes back whole.
    sample = validate_notebook_parameters("齐村镇", 2020, "", "市中区")
    assert len(sample.reports) == 1


def _notebooks_with_district(repo_root, folder):
    """The project's notebooks; annual_report given a ``district`` parameter if it has none."""
    folder.mkdir()
    shutil.copy(repo_root / "notebooks" / "district_overview.ipynb", folder)
    source = repo_root / "notebooks" / "annual_report.ipynb"
    if "district" in declared_parameters(source):
        shutil.copy(source, folder)
        return folder
    nb = nbformat.read(source, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\ndistrict: str = ""  # 区县名称：同名单位分属不同区县时用它区分'
    call = "validate_notebook_parameters(unit, year, dataset)"
    cells = [c for c in nb.cells if call in c.source]
    assert len(cells) == 1, f"annual_report.ipynb no longer calls {call}"
    cells[0].source = cells[0].source.replace(call, call[:-1] + ", district)")
    nbformat.write(nb, folder / "annual_report.ipynb")
    return folder


@pytest.mark.notebook
def test_two_departments_of_one_name_get_two_pages_and_two_index_rows(
    tmp_path, two_departments, repo_root, capsys
):
    from bs4 import BeautifulSoup

    notebooks = _notebooks_with_district(repo_root, tmp_path / "notebooks")
    file = _department_params(
        tmp_path, two_departments, "all", "[annual_report, district_overview]"
    )
    outputs = tmp_path / "outputs"
    argv = ["run", "--params", str(file), "--outputs", str(outputs), "--no-progress"]
    code = main([*argv, "--notebooks-dir", str(notebooks), "--timeout", "300"])
    out = capsys.readouterr().out
    assert code == 0, out

    pages = {}
    for district, own, other in (
        ("青山区", "调处矛盾纠纷", "普法宣传活动"),
        ("白水区", "普法宣传活动", "调处矛盾纠纷"),
    ):
        page = outputs / "2021" / district / "司法局.html"
        assert page.is_file() and page.with_suffix(".ipynb").is_file()
        assert (outputs / "2021" / district / "汇总.html").is_file()
        html = page.read_text(encoding="utf-8")
        assert own in html and other not in html, district
        assert f"<title>{district}司法局2021年度法治政府建设情况分析</title>" in html
        assert f"{page}" in out  # the CLI names the new path
        pages[district] = html
    assert pages["青山区"] != pages["白水区"]

    index = BeautifulSoup((outputs / "index.html").read_text(encoding="utf-8"), "lxml")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in index.tbody.find_all("tr")
    ]
    units = [(r[1], r[2], r[3]) for r in rows]
    assert units == [
        ("白水区", "全部单位 虚构示例数据", "区县年度汇总"),
        ("白水区", "司法局 虚构示例数据", "单位年度报告分析"),
        ("青山区", "全部单位 虚构示例数据", "区县年度汇总"),
        ("青山区", "司法局 虚构示例数据", "单位年度报告分析"),
    ]
    assert all(r[4] == "成功" for r in rows)
    assert len({r[8] for r in rows}) >= 1 and all(r[8] for r in rows)
