"""lawnb.exchange.excel: the dataset as a workbook colleagues can read and edit."""

from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook

from lawnb.errors import DatasetError
from lawnb.exchange.excel import display_width, export_xlsx, facts_with_reasons
from lawnb.exchange.workbook import BASELINE_SHEET, README_SHEET
from lawnb.store.loading import load_dataset


@pytest.fixture(scope="module")
def sample():
    return load_dataset()


def test_display_width_counts_cjk_characters_twice():
    assert display_width("abc") == 3 and display_width("数据") == 4
    assert display_width(None) == 0 and display_width(math.nan) == 0
    assert display_width(12.5) == 4


def test_facts_carry_the_reason_of_their_correction(sample):
    facts = facts_with_reasons(sample)
    assert list(facts.columns)[-1] == "reason" and len(facts) == len(sample.facts)
    if sample.corrections.empty:
        assert facts["reason"].isna().all()


def test_export_writes_a_sheet_per_table_and_a_hidden_copy(sample, tmp_path):
    out = export_xlsx(sample, tmp_path / "sub" / "数据集.xlsx")
    assert out.exists() and not list(out.parent.glob(".*"))  # no temp file left behind
    book = load_workbook(out)
    assert book.sheetnames[:3] == ["数据", "报告", "章节"]
    assert {README_SHEET, BASELINE_SHEET} <= set(book.sheetnames)
    assert book[BASELINE_SHEET].sheet_state == "veryHidden"
    facts = book["数据"]
    assert facts.freeze_panes == "A2" and facts["A1"].font.bold
    assert facts.max_row == len(sample.facts) + 1


def test_export_needs_an_xlsx_name(sample, tmp_path):
    with pytest.raises(DatasetError, match=r"导出文件应以 \.xlsx 结尾"):
        export_xlsx(sample, tmp_path / "数据集.csv")
    assert not (tmp_path / "数据集.csv").exists()
