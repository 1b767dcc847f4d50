"""A table file written for a save, and the analysts' files rewritten into a staging folder."""

from __future__ import annotations

import pandas as pd

from lawnb.store.corrections import empty_corrections, read_corrections
from lawnb.store.loading import load_dataset
from lawnb.store.report_metadata.fixes import (
    MANUAL_REPORTS,
    empty_overrides,
    read_report_overrides,
    with_override,
)
from lawnb.store.saving import save_dataset, staged_fixes, write_table

SHA = "a" * 64


def test_write_table_writes_the_columns_with_bom_and_appends_more_rows(tmp_path):
    sample = load_dataset()
    file = tmp_path / "reports.csv"
    write_table(sample.reports, file, "reports", lambda out: out.write(b"x,y\n"))
    data = file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfreport_id,district,unit,")
    assert data.endswith(b"\nx,y\n")
    assert [p.name for p in tmp_path.iterdir()] == ["reports.csv"]  # no temp file left


def test_staged_fixes_keep_the_folders_file_name_and_leave_what_is_not_given(tmp_path):
    folder, staging = tmp_path / "ds", tmp_path / "staging"
    folder.mkdir()
    staging.mkdir()
    (folder / "manual.xlsx").write_bytes(b"")
    corrections = pd.DataFrame(
        [{"report_id": "甲/乙/2021", "fact_id": "F1", "action": "delete", "reason": "重复"}]
    )
    staged_fixes(folder, corrections=corrections)(staging)
    assert [p.name for p in staging.iterdir()] == ["manual.xlsx"]
    read, problems = read_corrections(staging, {"甲/乙/2021"})
    assert problems == [] and read["fact_id"].tolist() == ["F1"]
    staged_fixes(folder)(staging)  # nothing given: nothing written
    assert [p.name for p in staging.iterdir()] == ["manual.xlsx"]


def test_staged_fixes_write_the_metadata_fixes(tmp_path):
    overrides = with_override(empty_overrides(), SHA, "甲/乙/2021", {"unit": "乙"}, "核对")
    staged_fixes(tmp_path, overrides=overrides)(tmp_path)
    table, problems = read_report_overrides(tmp_path)
    assert problems == [] and table.loc[0, "unit"] == "乙"
    assert (tmp_path / MANUAL_REPORTS).exists()


def test_a_saved_dataset_loads_back_the_same(tmp_path):
    sample = load_dataset()
    sample.corrections = empty_corrections()
    folder = save_dataset(sample, tmp_path / "ds")
    again = load_dataset(folder)
    for name in ("reports", "sections", "facts"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(sample, name))
