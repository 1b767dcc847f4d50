"""Chinese sentences from tables: qualifiers, rounding, zero and missing bases, provenance.

All units and figures below are fictional.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from factories import fact
from hypothesis import given, settings
from hypothesis import strategies as st

from lawnb.errors import LawnbError
from lawnb.formatting import format_number, format_percent
from lawnb.present.narrative import (
    change_sentence,
    dimension_paragraphs,
    headline,
    target_sentence,
)
from lawnb.schema import DIMENSIONS, FACT_COLUMNS, KINDS, QUALIFIERS

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture
def facts() -> pd.DataFrame:
    rows = [
        fact("检查企业", 412, "家次", indicator="functions.inspections"),
        fact("复查企业", 96, "家次", indicator="functions.inspections"),  # same indicator
        fact("培训法律明白人", 600, "名", "approx", dimension="society"),
        fact("排查隐患", 1250, "条"),
        fact("调解成功率", 96.5, "%", dimension="disputes"),
        fact("持证执法人员", 9, "人", kind="status", dimension="enforcement"),
        fact("执法队伍", 40, "人", kind="status", dimension="enforcement"),
        fact("本科", 12, "人", kind="composition", dimension="enforcement", of="执法队伍"),
        fact("大专", 18, "人", kind="composition", dimension="enforcement", of="执法队伍"),
        fact(
            "其他学历",
            10,
            "人",
            kind="composition",
            dimension="enforcement",
            of="执法队伍",
            origin="derived",
        ),
        fact("开展法治教育", 10, "次", "at_least", kind="target", dimension="society"),
        fact("处置投诉", 5, "件", "at_most", kind="target", dimension=None),
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- changes


def test_change_increase_whole_percent():
    s = change_sentence("检查企业", 276, 344, "家次")
    assert s == "检查企业为344家次，上年为276家次，增长25%。"


def test_change_decrease_and_small_change_one_decimal():
    assert "下降20%" in change_sentence("检查企业", 344, 276, "家次")  # 19.77%
    assert "增长3.3%" in change_sentence("检查企业", 300, 310, "家次")
    assert "下降1.5%" in change_sentence("检查企业", 400, 394, "家次")


def test_change_zero_base_has_no_percentage():
    s = change_sentence("行政复议案件", 0, 3, "件")
    assert "上年为0" in s
    assert "%" not in s
    assert "3件" in s


def test_change_both_zero():
    s = change_sentence("行政复议案件", 0, 0, "件")
    assert "%" not in s
    assert "均为0件" in s


def test_change_missing_sides():
    s = change_sentence("检查企业", None, 344, "家次")
    assert "上年无可比数据" in s and "344家次" in s and "%" not in s
    s = change_sentence("检查企业", float("nan"), 344, "家次")
    assert "上年无可比数据" in s
    s = change_sentence("检查企业", 276, pd.NA, "家次")
    assert "本年无可比数据" in s and "276家次" in s and "%" not in s
    assert "无可比数据" in change_sentence("检查企业", None, None, "家次")


def test_change_approximate_values_make_the_change_approximate():
    s = change_sentence("培训人员", 800, 900, "名", "approx", "approx")
    assert "约800名" in s and "约900名" in s
    assert "增长约13%" in s
    s = change_sentence("培训人员", 800, 900, "名", "exact", "at_least")
    assert "不少于900名" in s and "增长约13%" in s
    assert "约" not in change_sentence("培训人员", 800, 900, "名")


def test_change_unchanged():
    assert "与上年持平" in change_sentence("督查通报", 24, 24, "期")
    assert "大致持平" in change_sentence("督查通报", 24, 24, "期", "approx", "exact")


def test_change_of_a_percentage_is_in_points():
    s = change_sentence("调解成功率", 90, 95.5, "%")
    assert "提高5.5个百分点" in s
    assert "下降2个百分点" in change_sentence("调解成功率", 97, 95, "%")


# --------------------------------------------------------------------------- targets


def test_target_sentences():
    s = target_sentence("开展法治教育", 8, "at_least", 11, "已完成", "次")
    assert s == "开展法治教育：目标不少于8次，实际11次，已完成。"
    s = target_sentence("调解员培训", 4, "exact", 3, "未完成", "次")
    assert "目标4次" in s and "实际3次" in s and s.endswith("未完成。")
    s = target_sentence("学法", 12, "exact", None, "无可比数据", "次")
    assert s == "学法：目标12次，暂无实际完成数据，无可比数据。"
    s = target_sentence("学法", None, None, 3, "无可比数据", "次")
    assert "未设定量化目标" in s


def test_target_sentence_rejects_unknown_status():
    with pytest.raises(LawnbError, match="status"):
        target_sentence("学法", 12, "exact", 12, "完成了", "次")


# --------------------------------------------------------------------------- headline


def test_headline_counts_and_picks(facts):
    s = headline(facts, unit="青石镇", year=2023, top=3)
    assert s.startswith("2023年，青石镇报告中共有12项量化指标")
    assert "工作成效5项" in s and "现状数据2项" in s and "构成数据3项" in s
    assert "下一年度目标2项" in s
    picks = s.split("主要数字：")[1]
    # the three largest achievements, each indicator once, qualifiers kept, no shares
    assert picks == "排查隐患1250条、培训法律明白人约600名、检查企业412家次。"


def test_headline_one_value_per_indicator(facts):
    s = headline(facts, unit="青石镇", year=2023, top=10)
    assert "检查企业412家次" in s
    assert "复查企业" not in s  # same indicator as 检查企业, smaller
    assert "96.5" not in s  # a share is not a headline figure
    # achievements come before standing counts
    assert s.index("检查企业") < s.index("执法队伍")


def test_headline_empty():
    empty = pd.DataFrame(columns=list(FACT_COLUMNS))
    assert headline(empty, unit="青石镇", year=2023) == "2023年，青石镇报告中未提取到量化指标。"


def test_headline_copies_no_report_text(facts):
    facts = facts.assign(sentence="这是一段不应出现在叙述中的原文")
    text = headline(facts, unit="青石镇", year=2023) + "".join(dimension_paragraphs(facts).values())
    assert "不应出现" not in text


# --------------------------------------------------------------------------- paragraphs


def test_dimension_paragraphs(facts):
    paras = dimension_paragraphs(facts)
    known = [k for k in paras if k != "unclassified"]
    assert known == [d for d in DIMENSIONS if d in known]  # schema order
    assert set(known) == {"functions", "society", "disputes", "enforcement"}
    assert paras["functions"].startswith("政府职能方面，")
    assert "检查企业412家次" in paras["functions"]
    assert "培训法律明白人约600名" in paras["society"]  # approx stays approx
    assert "开展法治教育不少于10次" in paras["society"]  # at_least stays at_least
    assert "下一年度目标：" in paras["society"]
    enf = paras["enforcement"]
    assert "现状数据：持证执法人员9人、执法队伍40人" in enf
    assert "执法队伍构成：本科12人、大专18人、其他学历10人（推算）" in enf
    assert "处置投诉不超过5件" in paras["unclassified"]
    assert "调解成功率96.5%" in paras["disputes"]


def test_dimension_paragraphs_empty():
    assert dimension_paragraphs(pd.DataFrame(columns=list(FACT_COLUMNS))) == {}


# --------------------------------------------------------------------------- provenance


def allowed_numbers(facts: pd.DataFrame, year: int) -> set[str]:
    """Numbers a sentence may contain: the table's values, its row counts, the year."""
    values = {format_number(v) for v in facts["value"].dropna()}
    counts = {str(len(facts))} | {str(n) for n in facts["kind"].value_counts()}
    return values | counts | {str(year)}


def test_every_number_comes_from_the_table(facts):
    text = headline(facts, unit="青石镇", year=2023, top=20)
    text += "".join(dimension_paragraphs(facts).values())
    allowed = allowed_numbers(facts, 2023)
    found = NUMBER.findall(text)
    assert found, "the sentences should contain numbers"
    assert [n for n in found if n not in allowed] == []


SUBJECTS = ["检查企业", "排查隐患", "培训人员", "调解纠纷", "法治讲座", "督查通报", "执法人员"]
MEASURES = ["家次", "条", "名", "件", "场次", "期", "人", "%", "万元"]

fact_rows = st.builds(
    fact,
    subject=st.sampled_from(SUBJECTS),
    value=st.one_of(
        st.integers(min_value=0, max_value=100_000),
        st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False).map(float),
    ),
    measure=st.sampled_from(MEASURES),
    qualifier=st.sampled_from(QUALIFIERS),
    kind=st.sampled_from(KINDS),
    dimension=st.one_of(st.none(), st.sampled_from(list(DIMENSIONS))),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(fact_rows, min_size=1, max_size=15), year=st.integers(2015, 2030))
def test_property_every_number_comes_from_the_table(rows, year):
    facts = pd.DataFrame(rows)
    text = headline(facts, unit="青石镇", year=year, top=5)
    text += "".join(dimension_paragraphs(facts).values())
    allowed = allowed_numbers(facts, year)
    assert [n for n in NUMBER.findall(text) if n not in allowed] == []


@settings(max_examples=60, deadline=None)
@given(
    previous=st.one_of(st.none(), st.integers(0, 5000)),
    current=st.one_of(st.none(), st.integers(0, 5000)),
    measure=st.sampled_from(MEASURES),
)
def test_property_change_numbers_are_inputs_or_their_change(previous, current, measure):
    s = change_sentence("检查企业", previous, current, measure)
    allowed = {format_number(v) for v in (previous, current) if v is not None} | {"0"}
    if previous and current is not None:
        change = abs(current - previous)
        allowed.add(format_number(change, 1))
        allowed.add(format_percent(change / previous * 100).rstrip("%").replace("不足", ""))
    assert [n for n in NUMBER.findall(s) if n not in allowed] == []
