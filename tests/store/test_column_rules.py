"""The column rules, and the duplicate rows validation names by the first line of their kind."""

from __future__ import annotations

import pandas as pd

from lawnb.store.column_rules import ACTIONS, OPTIONAL_COLUMNS, RULES, VOCABULARIES
from lawnb.store.corrections import check_corrections
from lawnb.store.dataset import TABLES
from lawnb.store.sheets import read_csv_text
from lawnb.store.validation import first_alike, first_of_duplicates


def test_every_table_has_a_rule_for_each_of_its_columns():
    for table, columns in TABLES.items():
        assert list(RULES[table]) == list(columns), table
        assert set(OPTIONAL_COLUMNS.get(table, ())) <= set(columns)
    assert VOCABULARIES["action"] == ACTIONS


def test_first_alike_treats_blank_cells_as_alike():
    frame = pd.DataFrame(
        {"a": ["x", pd.NA, "x", pd.NA], "b": ["1", "2", "1", "2"]}, index=[2, 3, 4, 5]
    )
    assert first_of_duplicates(frame, ["a", "b"]).tolist() == [True, True, False, False]
    assert first_alike(frame, 4, ["a", "b"]) == 2
    assert first_alike(frame, 5, ["a", "b"]) == 3
    assert first_alike(frame, 99, ["a", "b"]) == "?"


def test_a_correction_given_twice_names_the_first_even_without_report_id():
    text = "report_id,fact_id,action,reason\n,F1,edit,甲\n,F1,edit,乙\n"
    _, problems = check_corrections(read_csv_text(text, "manual.csv"), "manual.csv")
    assert "manual.csv: 第 3 行：与第 2 行修正的是同一条数据。请把两行合并为一行。" in map(
        str, problems
    )
