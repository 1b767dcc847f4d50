"""The on-disk dataset: round-trips, the bundled sample, refusals with the file, row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from lawnb.dataset import import_reports, load_dataset, save_dataset
from lawnb.errors import DatasetError


def _assert_same(a, b):
    for name in ("reports", "sections", "facts"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_import_save_load_round_trip(tmp_path, founding_report):
    imported, failures = import_reports([founding_report], tmp_path / "ds")
    assert failures == []
    loaded = load_dataset(tmp_path / "ds")
    _assert_same(imported, loaded)
    save_dataset(loaded, tmp_path / "copy")
    _assert_same(loaded, load_dataset(tmp_path / "copy"))
    assert (tmp_path / "ds" / "facts.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_import_twice_changes_nothing(tmp_path, founding_report):
    first, _ = import_reports([founding_report], tmp_path / "ds")
    second, _ = import_reports([founding_report], tmp_path / "ds")
    _assert_same(first, second)
    assert len(second.reports) == 1


def test_bundled_sample_is_the_founding_report_without_its_text(founding_report):
    sample = load_dataset()
    assert sample.units() == ["齐村镇"] and sample.years() == [2020]
    from lawnb.dataset import report_tables
    from lawnb.reader import read_report

    fresh = report_tables(read_report(founding_report), keep_text=False)
    _assert_same(sample, fresh)
    assert sample.facts["sentence"].isna().all(), "the bundled sample must not hold report text"


def test_facts_for_unknown_unit_names_the_units():
    sample = load_dataset()
    with pytest.raises(DatasetError, match=r"没有单位“东湖镇”.*齐村镇"):
        sample.facts_for("东湖镇", 2020)
    with pytest.raises(DatasetError, match=r"2019.*2020"):
        sample.facts_for("齐村镇", 2019)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("value", "很多", "第 2 行，列 value"),
        ("kind", "promise", "第 2 行，列 kind：未知取值 'promise'"),
        ("qualifier", "roughly", "列 qualifier"),
    ],
)
def test_bad_values_are_refused_with_row_and_column(tmp_path, column, value, message):
    save_dataset(load_dataset(), tmp_path / "ds")
    file = tmp_path / "ds" / "facts.csv"
    frame = pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.loc[0, column] = value
    frame.to_csv(file, index=False, encoding="utf-8-sig")
    with pytest.raises(DatasetError, match=message):
        load_dataset(tmp_path / "ds")


def test_missing_and_unknown_columns_are_named(tmp_path):
    save_dataset(load_dataset(), tmp_path / "ds")
    file = tmp_path / "ds" / "reports.csv"
    frame = (
        pd.read_csv(file, encoding="utf-8-sig", dtype=str).drop(columns=["unit"]).assign(extra="x")
    )
    frame.to_csv(file, index=False, encoding="utf-8-sig")
    with pytest.raises(DatasetError, match=r"缺少列：unit.*未知列：extra"):
        load_dataset(tmp_path / "ds")


def test_missing_folder_says_how_to_create_it(tmp_path):
    with pytest.raises(DatasetError, match="lawnb import"):
        load_dataset(tmp_path / "nowhere")


def test_a_failed_save_leaves_the_old_dataset(tmp_path, monkeypatch):
    save_dataset(load_dataset(), tmp_path / "ds")
    before = (tmp_path / "ds" / "facts.csv").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        save_dataset(load_dataset(), tmp_path / "ds")
    assert (tmp_path / "ds" / "facts.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]


def test_bundled_demo_is_the_import_of_the_demo_reports(repo_root):
    from lawnb.dataset import report_tables
    from lawnb.reader import read_report

    demo = load_dataset("demo")
    assert demo.units() == ["东湖镇", "北城街道", "南岭乡", "西山镇"]
    assert demo.years() == [2021, 2022, 2023]
    assert set(demo.reports["district"]) == {"示例区"}
    for path in sorted((repo_root / "lawnb" / "data" / "demo_reports").glob("*.txt")):
        fresh = report_tables(read_report(path))
        report_id = fresh.reports["report_id"].iloc[0]
        for name in ("reports", "sections", "facts"):
            bundled = getattr(demo, name)
            bundled = bundled[bundled["report_id"] == report_id].reset_index(drop=True)
            pd.testing.assert_frame_equal(bundled, getattr(fresh, name), obj=f"{path.name} {name}")
