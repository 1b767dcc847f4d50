"""One number: a figure or not, and its value, measure and qualifier (lawnb.extract.fact_numbers).

Invented sentences; each case is a shape reports have.
"""

from __future__ import annotations

import pytest

from lawnb.extract.fact_numbers import (
    NUMBER,
    fixed_phrase_spans,
    opens_parts,
    read_number,
    repeats,
    same_count,
)


def _figures(text: str) -> list[tuple[float, str, str]]:
    spans = fixed_phrase_spans(text)
    out = []
    for match in NUMBER.finditer(text):
        fact = read_number(text, match, spans)
        if fact is not None:
            out.append((fact.value, fact.measure, fact.qualifier))
    return out


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("全年办理案件1,280件。", [(1280.0, "件", "exact")]),
        ("发放资料2万余份。", [(20000.0, "份", "approx")]),
        ("参训干部120人次以上。", [(120.0, "人次", "at_least")]),
        ("不少于5场。", [(5.0, "场", "at_least")]),
        ("开展讲座两场，参加群众80人。", [(2.0, "场", "exact"), (80.0, "人", "exact")]),
        ("满意率达百分之九十五。", [(95.0, "%", "exact")]),
        ("投诉比上年减少11%。", [(-11.0, "%", "exact")]),  # a fall
    ],
)
def test_figures_are_read_with_value_measure_and_qualifier(text, figures):
    assert _figures(text) == figures


@pytest.mark.parametrize(
    "text",
    [
        "2023年3月5日召开会议。",  # a date
        "第一次会议。",  # an ordinal
        "增强四个意识。",  # a fixed phrase
        "学习《条例》第12条。",  # inside a cited title, after 第
        "没有一件投诉。",  # a negation
        "位列前3名。",  # a rank
        "党的十九届三次全会。",  # a session of a congress
        "每季度开展1次。",  # a frequency rule
        "抓住两条主线推进。",  # a figure of speech
        "工作用时3个月。",  # a time span
        "开展讲座两场",  # a Chinese-numeral count cut by the end of the text
    ],
)
def test_numbers_that_count_nothing(text):
    assert _figures(text) == []


def test_a_clause_written_twice_in_one_sentence_is_one_fact():
    text = "排查出安全隐患5起，排查出安全隐患5起。"
    spans = fixed_phrase_spans(text)
    first, second = (read_number(text, m, spans) for m in NUMBER.finditer(text))
    assert first is not None and second is not None
    assert not repeats(text, first, [])
    assert repeats(text, second, [first])


def test_a_whole_opens_its_parts_with_a_compatible_measure():
    text = "执法人员40人中本科12人。"
    assert opens_parts(text, text.index("中"), "人")
    assert opens_parts(text, text.index("中"), "名")  # 人 and 名 count the same
    assert not opens_parts(text, text.index("中"), "件")
    assert same_count("家", "户") and not same_count("人", "件")
