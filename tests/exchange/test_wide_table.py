"""lawnb.exchange.wide_table: an analyst's wide table read into figures (fictional tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lawnb.errors import DatasetError
from lawnb.exchange.wide_table import (
    map_label,
    map_labels,
    no_figure_marks,
    read_wide_table,
    split_measure,
    table_figures,
    table_year,
)
from lawnb.store.validation import DatasetValidationError

FILE = Path("表.csv")


def _table(header: list[str], *rows: list[object]) -> pd.DataFrame:
    """A table as ``read_wide_table`` gives it: text cells, indexed by line (header = line 1)."""
    return pd.DataFrame(list(rows), columns=header, index=range(2, 2 + len(rows)), dtype=object)


@pytest.mark.parametrize(
    ("label", "indicator", "measure"),
    [
        ("enforcement.penalty_cases", "enforcement.penalty_cases", "件"),
        ("行政处罚案件", "enforcement.penalty_cases", "件"),
        ("行政处罚案件（起）", "enforcement.penalty_cases", "起"),
        ("行政处罚案件(宗)", "enforcement.penalty_cases", "宗"),
        ("全年行政处罚立案", "enforcement.penalty_cases", "件"),
        ("群众满意率（%）", "functions.satisfaction_rate", "%"),
        ("培训参训人员（人次）", "leadership.training_attendance", "人次"),
    ],
)
def test_labels_map_by_id_name_or_keyword(label, indicator, measure):
    found, unit = map_label(label)
    assert (found.id, unit) == (indicator, measure)


def test_split_measure():
    assert split_measure("行政处罚案件（件）") == ("行政处罚案件", "件")
    assert split_measure(" 满意率 (%) ") == ("满意率", "%")
    assert split_measure("行政处罚案件") == ("行政处罚案件", None)


def test_labels_that_match_nothing_or_the_same_indicator_fail_together():
    with pytest.raises(DatasetError) as info:
        map_labels(["不知道是什么", "调解矛盾纠纷", "纠纷化解"], FILE, "表头")
    message = str(info.value)
    assert message.startswith("表.csv: 有表头无法对应到指标目录")
    assert "“不知道是什么”（不在指标目录中）" in message
    assert "“调解矛盾纠纷”、“纠纷化解” 都对应 disputes.mediated" in message


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("2021", 2021),
        ("2022年", 2022),
        ("2023年度", 2023),
        ("２０２４", 2024),
        ("1850", None),
        ("指标", None),
    ],
)
def test_table_year(header, year):
    assert table_year(header) == year


def test_no_figure_marks_come_from_the_rule_file():
    assert {"-", "—", "/", "无"} <= no_figure_marks()
    assert no_figure_marks() is no_figure_marks()


def test_a_row_per_indicator_gives_a_figure_per_filled_cell():
    frame = _table(
        ["指标", "2021", "2022年", "计量单位"],
        ["行政处罚案件", "1,200", "无", None],
        ["满意率", "98%", "—", "%"],
    )
    shape, mapping, figures = table_figures(frame, FILE, "东湖镇", None)
    assert shape == "years" and mapping["满意率"][0].id == "functions.satisfaction_rate"
    got = [(f.indicator.id, f.year, f.value, f.measure, f.line, f.column) for f in figures]
    assert got == [
        ("enforcement.penalty_cases", 2021, 1200.0, "件", 2, "2021"),
        ("functions.satisfaction_rate", 2021, 98.0, "%", 3, "2021"),
    ]
    assert {f.unit for f in figures} == {"东湖镇"}


def test_a_row_per_unit_gives_the_year_asked_for():
    frame = _table(["单位", "行政处罚案件（起）"], ["东湖镇", "5"], ["西山镇", "/"])
    shape, _, figures = table_figures(frame, FILE, None, 2022)
    assert shape == "units"
    assert [(f.unit, f.year, f.value, f.measure) for f in figures] == [("东湖镇", 2022, 5.0, "起")]


def test_bad_cells_and_measures_are_problems_of_their_line_and_column():
    frame = _table(
        ["指标", "2021", "计量单位"], ["行政处罚案件", "很多", None], ["满意率", "9", "件"]
    )
    with pytest.raises(DatasetValidationError) as info:
        table_figures(frame, FILE, "东湖镇", None)
    where = [(p.line, p.column) for p in info.value.problems]
    assert where == [(2, "2021"), (3, "计量单位")]


def test_a_year_out_of_range_is_refused():
    frame = _table(["单位", "行政处罚案件"], ["东湖镇", "5"])
    with pytest.raises(DatasetError, match="--year 1850 超出范围"):
        table_figures(frame, FILE, None, 1850)


def test_read_wide_table_refuses_other_files_and_lawnb_exports(tmp_path):
    with pytest.raises(DatasetError, match="文件不存在"):
        read_wide_table(tmp_path / "无此表.csv")
    odd = tmp_path / "表.txt"
    odd.write_text("指标,2021\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"只支持 \.xlsx 和 \.csv"):
        read_wide_table(odd)
    export = tmp_path / "导出.xlsx"
    with pd.ExcelWriter(export) as writer:
        for sheet in ("数据", "报告", "章节"):
            pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name=sheet, index=False)
    with pytest.raises(DatasetError, match="lawnb import-corrections"):
        read_wide_table(export)
    table = tmp_path / "表.csv"
    table.write_text("指标,2021\n行政处罚案件,3\n", encoding="utf-8-sig")
    frame = read_wide_table(table)
    assert frame.loc[2, "2021"] == "3"
