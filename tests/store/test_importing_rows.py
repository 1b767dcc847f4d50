"""A report's table rows, and an import's rows kept in temporary files until the save."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from dataset_helpers import demo_report

from lawnb.read.reader import read_report
from lawnb.store.importing.rows import NewReports, report_rows, report_tables
from lawnb.store.loading import concat


@pytest.fixture(scope="module")
def reports():
    return [read_report(demo_report(unit, 2021)) for unit in ("东湖镇", "西山镇")]


def _typed(rows):
    return {name: concat([frame], name) for name, frame in rows.items()}


def test_report_rows_give_one_reports_row_with_provenance(reports):
    rows = report_rows(reports[0])
    (row,) = rows["reports"].to_dict("records")
    assert row["report_id"] == "示例区/东湖镇/2021" and row["source"] == "示例区东湖镇-2021.txt"
    assert row["meta_source"].startswith("title=") and row["confidence"]
    assert len(rows["sections"]) == len(reports[0].sections) and not rows["facts"].empty


def test_without_text_the_sentences_are_blank(reports):
    facts = report_tables(reports[0], keep_text=False).facts
    assert facts["sentence"].isna().all()
    assert report_tables(reports[0]).facts["sentence"].notna().any()


def test_new_reports_keep_the_last_of_a_report_read_twice(tmp_path, reports):
    first, second = (_typed(report_rows(r)) for r in reports)
    new = NewReports(tmp_path)
    try:
        new.add(first)
        new.add(second)
        revised = {name: frame.copy() for name, frame in first.items()}
        revised["facts"]["value"] = revised["facts"]["value"] + 1
        new.add(revised)
        assert new.report_ids() == {"示例区/东湖镇/2021", "示例区/西山镇/2021"}
        assert "示例区/东湖镇/2021" in new and "示例区/南岭乡/2021" not in new
        facts = new.facts_of("示例区/东湖镇/2021")
        pd.testing.assert_series_equal(facts["value"], revised["facts"]["value"])
        out = io.BytesIO()
        new.write("reports", out)
        lines = out.getvalue().decode().splitlines()
        assert [line.split(",")[0] for line in lines] == [
            "示例区/西山镇/2021",
            "示例区/东湖镇/2021",
        ]
        assert new.counts["示例区/东湖镇/2021"] == len(revised["facts"])
    finally:
        new.close()
