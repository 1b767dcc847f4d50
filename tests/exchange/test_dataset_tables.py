"""lawnb.exchange.tables, ``lawnb import-table``: analysts' wide tables into a dataset folder.

The tables and their figures are fictional.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dataset_helpers import demo_copy, demo_report, table_bytes

from lawnb.cli import main
from lawnb.errors import DatasetError
from lawnb.exchange.tables import import_table, table_fact_id
from lawnb.store.importing.reports import import_reports
from lawnb.store.loading import load_dataset


@pytest.fixture
def folder(tmp_path):
    return demo_copy(tmp_path)


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _table_facts(folder):
    facts = load_dataset(folder).facts
    return facts[facts["fact_id"].str.startswith("T")]


def test_rows_of_indicators_with_a_column_per_year(folder, tmp_path, capsys):
    table = _csv(
        tmp_path,
        "东湖镇历年.csv",
        "指标,2021,2022年,2023年度,2024\n"
        '行政处罚案件（件）,12,15,"1,200",\n'
        "调解矛盾纠纷,30,-,40,41\n"
        "leadership.law_exams,1,2,3,4\n",
    )
    code = main(["import-table", str(table), "--dataset", str(folder), "--unit", "东湖镇"])
    out = capsys.readouterr().out
    assert code == 0
    assert "行政处罚案件（件） → enforcement.penalty_cases（行政处罚案件，件）" in out
    assert "新增 10" in out and "示例区/东湖镇/2024" in out
    dataset = load_dataset(folder)
    facts = _table_facts(folder)
    assert len(facts) == 10 and set(facts["origin"]) == {"manual"}
    penalty = facts[facts["indicator"] == "enforcement.penalty_cases"]
    assert penalty["value"].tolist() == [12, 15, 1200]
    new = dataset.reports[dataset.reports["report_id"] == "示例区/东湖镇/2024"].iloc[0]
    assert pd.isna(new["title"]) and new["district"] == "示例区" and new["level"] == "town"
    assert dataset.years("东湖镇") == [2021, 2022, 2023, 2024]
    row = facts[facts["fact_id"] == table_fact_id("示例区/东湖镇/2021", "disputes.mediated")]
    assert row.iloc[0]["subject"] == "调解矛盾纠纷" and row.iloc[0]["dimension"] == "disputes"


def test_a_row_per_unit_with_a_column_per_indicator(folder, tmp_path):
    table = tmp_path / "2022年各镇.xlsx"
    pd.DataFrame(
        {
            "单位": ["东湖镇", "西山镇", "新河镇"],
            "行政处罚案件": [5, 6, None],
            "执法检查（次）": [7, 8, 9],
            "满意率(%)": ["98%", 97.5, 90],
        }
    ).to_excel(table, index=False)
    result = import_table(table, folder, year=2022)
    assert result.shape == "units" and result.added == 8
    assert result.new_reports == ["示例区/新河镇/2022"]
    facts = _table_facts(folder)
    satisfaction = facts[facts["indicator"] == "functions.satisfaction_rate"]
    assert satisfaction["value"].tolist() == [98, 97.5, 90]
    assert set(satisfaction["measure"]) == {"%"}


def test_unknown_headers_are_listed_in_one_error(folder, tmp_path, capsys):
    table = _csv(
        tmp_path,
        "有问题的表.csv",
        "单位,不知道是什么,执法检查（人）,调解矛盾纠纷,纠纷化解\n东湖镇,5,6,1,2\n",
    )
    before = table_bytes(folder)
    code = main(["import-table", str(table), "--dataset", str(folder), "--year", "2022"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.count("错误") == 1
    assert str(table) in err
    assert "“不知道是什么”（不在指标目录中）" in err
    assert "“执法检查（人）”（计量单位“人”不是指标 enforcement.inspections 的计量单位" in err
    assert "“调解矛盾纠纷”、“纠纷化解” 都对应 disputes.mediated" in err
    assert table_bytes(folder) == before


def test_bad_cells_are_named_by_row_and_column(folder, tmp_path):
    table = _csv(tmp_path, "t.csv", "指标,2021,2022\n行政处罚案件,很多,-3\n")
    with pytest.raises(DatasetError) as info:
        import_table(table, folder, unit="东湖镇")
    assert f"{table}: 第 2 行，列 2021：'很多' 不是数字" in str(info.value)
    assert f"{table}: 第 2 行，列 2022：数量不能为负数" in str(info.value)


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("指标,2021\n行政处罚案件,1\n", {}, "请用 --unit 指定单位"),
        ("单位,行政处罚案件\n东湖镇,1\n", {}, "请用 --year 指定年度"),
        ("单位,行政处罚案件\n东湖镇,1\n", {"unit": "东湖镇"}, "请用 --year 指定年度"),
        ("单位,行政处罚案件\n,1\n", {"year": 2021}, "第 2 行，列 单位：单位为空"),
        ("单位\n东湖镇\n", {"year": 2021}, "只有一列"),
    ],
)
def test_shape_errors_say_what_to_do(folder, tmp_path, text, options, message):
    with pytest.raises(DatasetError, match=message):
        import_table(_csv(tmp_path, "t.csv", text), folder, **options)


def test_importing_a_table_twice_changes_nothing(folder, tmp_path):
    table = _csv(tmp_path, "t.csv", "指标,2021,2022\n行政处罚案件,1,2\n")
    import_table(table, folder, unit="东湖镇")
    before = table_bytes(folder)
    assert import_table(table, folder, unit="东湖镇").skipped
    assert table_bytes(folder) == before


def test_a_changed_table_replaces_its_figures(folder, tmp_path):
    table = _csv(tmp_path, "t.csv", "指标,2021,2022\n行政处罚案件,1,2\n")
    import_table(table, folder, unit="东湖镇")
    table.write_text("指标,2021,2022\n行政处罚案件,1,5\n", encoding="utf-8-sig")
    result = import_table(table, folder, unit="东湖镇")
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    assert _table_facts(folder)["value"].tolist() == [1, 5]


def test_table_figures_survive_reimporting_the_report(tmp_path):
    folder = tmp_path / "ds"
    report = demo_report("东湖镇", 2021)
    import_reports([report], folder)
    table = _csv(tmp_path, "t.csv", "指标,2021\n行政处罚案件,12\n")
    import_table(table, folder, unit="东湖镇")
    import_reports([report], folder, force=True)
    assert _table_facts(folder)["value"].tolist() == [12]


def test_a_unit_year_from_a_table_gets_its_report_when_imported(tmp_path):
    folder = tmp_path / "ds"
    import_reports([demo_report("西山镇", 2021)], folder)
    table = _csv(tmp_path, "t.csv", "指标,2022\n行政处罚案件,12\n")
    import_table(table, folder, unit="西山镇")
    assert pd.isna(load_dataset(folder).report_row("西山镇", 2022)["title"])
    import_reports([demo_report("西山镇", 2022)], folder)
    dataset = load_dataset(folder)
    assert dataset.report_row("西山镇", 2022)["title"] == "示例区西山镇2022年度法治政府建设情况报告"
    assert len(dataset.reports) == 2
    assert _table_facts(folder)["value"].tolist() == [12]


def test_a_new_unit_needs_a_district_when_there_are_several(tmp_path):
    folder = tmp_path / "ds"
    table = _csv(tmp_path, "t.csv", "单位,行政处罚案件\n新河镇,1\n")
    with pytest.raises(DatasetError, match="请用 --district 指定"):
        import_table(table, folder, year=2021)
    import_table(table, folder, year=2021, district="示例区")
    assert load_dataset(folder).report_row("新河镇", 2021)["report_id"] == "示例区/新河镇/2021"
