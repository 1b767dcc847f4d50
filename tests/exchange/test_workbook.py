"""lawnb.exchange.workbook: telling lawnb's own export from an analyst's table."""

from __future__ import annotations

import pandas as pd

from lawnb.exchange.excel import export_xlsx
from lawnb.exchange.workbook import (
    BASELINE_SHEET,
    EXPORT_FACT_COLUMNS,
    FACTS_SHEET,
    is_export_workbook,
)
from lawnb.schema import FACT_COLUMNS
from lawnb.store.loading import load_dataset


def _book(path, *sheets):
    with pd.ExcelWriter(path) as writer:
        for sheet in sheets:
            pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name=sheet, index=False)
    return path


def test_an_export_is_known_by_its_hidden_sheet(tmp_path):
    out = export_xlsx(load_dataset(), tmp_path / "导出.xlsx")
    assert is_export_workbook(out)
    assert is_export_workbook(_book(tmp_path / "只有隐藏页.xlsx", "Sheet1", BASELINE_SHEET))


def test_an_older_export_is_known_by_its_table_sheets(tmp_path):
    assert is_export_workbook(_book(tmp_path / "旧.xlsx", FACTS_SHEET, "报告", "章节"))
    assert not is_export_workbook(_book(tmp_path / "缺页.xlsx", FACTS_SHEET, "报告"))


def test_other_files_are_not_exports(tmp_path):
    assert not is_export_workbook(_book(tmp_path / "各镇.xlsx", "Sheet1"))
    assert not is_export_workbook(tmp_path / "不存在.xlsx")


def test_the_facts_sheet_has_the_fact_columns_and_a_reason():
    assert FACTS_SHEET == "数据"
    assert (*FACT_COLUMNS, "reason") == EXPORT_FACT_COLUMNS
