"""The parts of reports' metadata on their own: provenance cells, checked values, the fixes file."""

from __future__ import annotations

import pandas as pd
import pytest

from lawnb.errors import LawnbError
from lawnb.store.report_metadata.fixes import (
    empty_overrides,
    read_report_overrides,
    recorded_overrides,
    with_override,
)
from lawnb.store.report_metadata.provenance import (
    duplicate_sources,
    guessed_note,
    guessed_of,
    meta_source_text,
    parse_meta_source,
    provenance,
)
from lawnb.store.report_metadata.values import checked_values

SHA = "b" * 64


# --- provenance ---------------------------------------------------------------------------------


def test_meta_source_reads_back_what_was_written():
    sources = {"year": "title", "unit": "opening", "title": "title"}
    text = meta_source_text(sources)
    assert text == "title=title unit=opening year=title"
    assert parse_meta_source(text) == sources
    assert parse_meta_source(None) == {} and parse_meta_source(float("nan")) == {}
    assert parse_meta_source("") == {}


def test_a_field_not_named_counts_as_not_found_and_guessed():
    cells = provenance({"title": "title", "unit": "title", "year": "title"})
    assert cells["meta_source"].split()[2] == "district=none"
    assert cells["guessed"] == "district"
    assert guessed_of({"unit": "override", "year": "file_name"}) == ["year"]


def test_guessed_note_groups_fields_by_source():
    sources = {"unit": "opening", "year": "opening", "district": "none"}
    note = guessed_note(sources, {"unit": "青禾镇", "year": 2023, "district": None})
    assert note == "单位、年度 是推测的（来自 正文开头），区县 未能识别"
    assert guessed_note({"unit": "title"}, {"unit": "青禾镇"}) == ""


def test_duplicate_sources_groups_reports_of_one_text():
    reports = pd.DataFrame(
        {"report_id": ["a", "b", "c", "d"], "sha256": [SHA, "c" * 64, SHA, None]}
    )
    assert duplicate_sources(reports) == [["a", "c"]]
    assert duplicate_sources(reports.drop(columns="sha256")) == []


# --- values an analyst gives --------------------------------------------------------------------


def test_checked_values_normalise_level_and_year():
    values = checked_values(unit=" 青禾镇 ", district="", level="镇", year="2023", title="标题")
    assert values == {
        "unit": "青禾镇",
        "district": "",
        "level": "town",
        "year": 2023,
        "title": "标题",
    }
    assert checked_values(level="县") == {"level": "county"}
    assert checked_values() == {}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"unit": " "}, r"单位 \(unit\) 不能为空"),
        ({"district": "../x"}, "含有路径符号"),
        ({"level": "村"}, r"层级 \(level\) '村' 未知。可用：town（镇）"),
        ({"year": "1989"}, r"年度 \(year\) '1989' 无效：应为 1990–2100 之间的四位数年份"),
        ({"year": "二〇二三"}, "无效"),
        ({"title": "两行\n标题"}, "含有换行或控制字符"),
        ({"title": ""}, r"标题 \(title\) 不能为空"),
    ],
)
def test_bad_values_say_how_to_fix_them(given, message):
    with pytest.raises(LawnbError, match=message):
        checked_values(**given)


# --- the fixes file -----------------------------------------------------------------------------


def test_a_fix_merges_into_the_earlier_one_of_its_content():
    table = with_override(empty_overrides(), SHA, "区/青禾镇/2023", {"unit": "青禾镇"}, "核对")
    table = with_override(table, SHA, "/青禾镇/2022", {"district": "", "year": 2022}, "")
    assert len(table) == 1
    assert recorded_overrides(table, SHA) == {"district": "", "unit": "青禾镇", "year": 2022}
    assert table.loc[0, "reason"] == "核对" and table.loc[0, "report_id"] == "/青禾镇/2022"
    assert recorded_overrides(table, "c" * 64) == {}


def test_two_fixes_of_one_content_name_the_first_line(tmp_path):
    (tmp_path / "manual_reports.csv").write_text(
        f"sha256,unit\n{SHA},甲\n{SHA},乙\n", encoding="utf-8-sig"
    )
    table, problems = read_report_overrides(tmp_path)
    assert table.empty
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'manual_reports.csv'}: 第 3 行：与第 2 行是同一份报告（sha256 相同）。请把两行合并为一行。"
    ]


def test_two_fixes_without_content_hash_are_reported_not_raised(tmp_path):
    (tmp_path / "manual_reports.csv").write_text("sha256,unit\n,甲\n,乙\n", encoding="utf-8-sig")
    _, problems = read_report_overrides(tmp_path)
    messages = [str(p).split(": ", 1)[1] for p in problems]
    assert "第 3 行：与第 2 行是同一份报告（sha256 相同）。请把两行合并为一行。" in messages
    assert "第 2 行，列 sha256：不能为空。请填写。" in messages
