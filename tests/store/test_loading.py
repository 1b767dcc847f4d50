"""Text tables typed and back, a folder's tables read with their problems, the model's helpers."""

from __future__ import annotations

import pandas as pd
import pytest

from lawnb.errors import DatasetError
from lawnb.store.dataset import Dataset, rename_reports, stored_facts
from lawnb.store.loading import (
    as_text,
    concat,
    empty_dataset,
    load_dataset,
    read_tables,
    typed,
)


def test_typed_gives_each_column_its_dtype():
    facts = typed(
        pd.DataFrame([{"report_id": "甲/乙/2021", "value": "12", "start": "3", "kind": "target"}]),
        "facts",
    )
    assert str(facts["value"].dtype) == "Float64" and str(facts["start"].dtype) == "Int64"
    assert isinstance(facts["kind"].dtype, pd.CategoricalDtype)
    assert str(facts["report_id"].dtype) == "string"
    assert facts["subject"].isna().all()  # a column the frame lacks is there, blank


def test_as_text_reads_back_what_typed_gave():
    sample = load_dataset()
    text = as_text(sample.extracted_facts, "facts")
    assert text.index[0] == 2  # the line of the first row in facts.csv
    pd.testing.assert_frame_equal(
        typed(text.reset_index(drop=True), "facts"), sample.extracted_facts
    )


def test_concat_leaves_out_empty_frames_and_types_the_rest():
    sample = load_dataset()
    empty = empty_dataset()
    together = concat([empty.sections, sample.sections, empty.sections], "sections")
    pd.testing.assert_frame_equal(together, sample.sections)
    assert concat([], "reports").empty


def test_read_tables_names_a_missing_table(tmp_path):
    texts, problems = read_tables(tmp_path)
    assert texts == {}
    assert [p.file for p in problems] == [
        str(tmp_path / f"{n}.csv") for n in ("reports", "sections", "facts")
    ]
    assert "缺少数据表 reports.csv" in problems[0].message


def test_a_missing_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(DatasetError, match="数据集文件夹不存在"):
        load_dataset(tmp_path / "nowhere")


def test_the_model_answers_about_units_years_and_reports():
    sample = load_dataset()
    assert sample.units() == ["齐村镇"] and sample.years() == [2020]
    assert sample.districts_of_unit("齐村镇", 2020) == ["市中区"]
    assert len(sample.facts_for("齐村镇", 2020)) == len(sample.facts)
    with pytest.raises(DatasetError, match="没有单位“东湖镇”"):
        sample.report_row("东湖镇", 2020)
    with pytest.raises(DatasetError, match="没有“齐村镇”2019年的报告。已有年份：2020"):
        sample.report_row("齐村镇", 2019)


def test_stored_facts_are_the_extracted_ones_when_known():
    sample = load_dataset()
    assert stored_facts(sample) is sample.extracted_facts
    bare = Dataset(sample.reports, sample.sections, sample.facts)
    assert stored_facts(bare) is sample.facts


def test_rename_reports_changes_only_the_ids_named():
    frame = pd.DataFrame({"report_id": ["a", "b", "a"], "x": [1, 2, 3]})
    renamed = rename_reports(frame, {"a": "c"})
    assert renamed["report_id"].tolist() == ["c", "b", "c"]
    assert frame["report_id"].tolist() == ["a", "b", "a"]  # the original is left as it was
    assert rename_reports(frame, {}) is frame
