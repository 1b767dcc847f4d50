"""lawnb.exchange.corrections_workbook: an edited export read back as corrections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dataset_helpers import demo_copy
from openpyxl import load_workbook

from lawnb.exchange.corrections_workbook import (
    import_corrections,
    with_add_defaults,
    workbook_changes,
)
from lawnb.exchange.excel import export_xlsx
from lawnb.store.loading import load_dataset

FILE = Path("改过的.xlsx")


def _text(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=object)


def test_changes_become_edit_add_and_delete_corrections():
    baseline = _text(
        [
            {"report_id": "区/镇/2022", "fact_id": "F1", "subject": "调解纠纷", "value": "12"},
            {"report_id": "区/镇/2022", "fact_id": "F2", "subject": "普法活动", "value": "3"},
        ]
    )
    sheet = _text(
        [
            {"report_id": "区/镇/2022", "fact_id": "F1", "subject": "调解纠纷", "value": "15.0"},
            {"report_id": "区/镇/2022", "fact_id": None, "subject": "法律明白人", "value": "8"},
        ]
    )
    changes = workbook_changes(sheet, baseline, baseline, FILE)
    by_action = {row["action"]: row for row in changes.to_dict("records")}
    assert set(by_action) == {"edit", "add", "delete"}
    assert (by_action["edit"]["fact_id"], by_action["edit"]["value"]) == ("F1", "15.0")
    assert by_action["edit"]["reason"] == "在 改过的.xlsx 中修改"
    assert pd.isna(by_action["edit"]["subject"])  # unchanged cells stay blank
    assert (by_action["add"]["subject"], by_action["add"]["reason"]) == (
        "法律明白人",
        "在 改过的.xlsx 中新增",
    )
    assert (by_action["delete"]["fact_id"], by_action["delete"]["reason"]) == (
        "F2",
        "在 改过的.xlsx 中删除",
    )


def test_the_same_number_written_otherwise_is_no_change():
    baseline = _text([{"report_id": "区/镇/2022", "fact_id": "F1", "value": "12"}])
    sheet = _text([{"report_id": "区/镇/2022", "fact_id": "F1", "value": "12.0"}])
    assert workbook_changes(sheet, baseline, baseline, FILE).empty


def test_new_rows_get_the_add_defaults_only_where_blank():
    sheet = _text(
        [
            {"fact_id": None, "qualifier": None, "kind": "target"},
            {"fact_id": "F1", "qualifier": None, "kind": None},
        ]
    )
    filled = with_add_defaults(sheet)
    assert filled.loc[0, "qualifier"] == "exact" and filled.loc[0, "kind"] == "target"
    assert pd.isna(filled.loc[1, "qualifier"]) and pd.isna(filled.loc[1, "kind"])


def test_an_edited_export_is_read_back_once(tmp_path):
    folder = demo_copy(tmp_path)
    out = export_xlsx(load_dataset(folder), tmp_path / "导出.xlsx")
    book = load_workbook(out)
    sheet = book["数据"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("数值") + 1).value = 999
    book.save(out)

    result = import_corrections(out, folder)
    assert (result.edits, result.adds, result.deletes) == (1, 0, 0)
    assert result.written == folder / "manual.csv" and len(result.dataset.corrections) == 1
    again = import_corrections(out, folder)
    assert again.already and "已全部在人工修正文件中" in again.lines()[-1]
