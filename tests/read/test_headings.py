"""The section tree and inline items (lawnb.read.headings), on a small invented text."""

from __future__ import annotations

import pytest

from lawnb.read.headings import (
    HEADING_STYLES,
    find_items,
    find_sections,
    match_heading,
    number_style,
)

TEXT = "\n".join(
    [
        "柳溪乡2023年法治工作报告",
        "一、主要做法",
        "（一）抓学习。一是集中学，二是上门讲，三是网上考。",
        "（二）抓调解",
        "1.排查纠纷。全年排查纠纷30起。",
        "2.化解纠纷。首先，摸清底数；其次，逐户走访；最后，回访。",
        "二、存在的不足",
        "人手少，经费紧。",
        "三、下一步打算",
        "一、继续抓学习",
        "二、继续抓调解",
    ]
)


def test_the_tree_nests_by_style_in_reading_order():
    sections = find_sections(TEXT)
    assert [(s.path, s.level, s.style) for s in sections] == [
        ("一、", 1, "cn"),
        ("一、/（一）", 2, "cn_paren"),
        ("一、/（二）", 2, "cn_paren"),
        ("一、/（二）/1.", 3, "ar_dot"),
        ("一、/（二）/2.", 3, "ar_dot"),
        ("二、", 1, "cn"),
        ("三、", 1, "cn"),
        ("三、/一、", 2, "cn#2"),  # the same style restarting at 1: one level down
        ("三、/二、", 2, "cn#2"),
    ]


def test_a_section_runs_to_the_next_heading_at_its_level_or_above():
    sections = {s.path: s for s in find_sections(TEXT)}
    first, second = sections["一、"], sections["二、"]
    assert first.end == second.start
    assert TEXT[first.start : first.end].startswith("一、主要做法")
    assert sections["一、/（二）/1."].title == "排查纠纷"  # the title ends at the first 。
    assert TEXT[sections["一、/（二）/1."].body_start :].startswith("全年排查纠纷30起")
    assert sections["三、/二、"].end == len(TEXT)


def test_items_count_in_order_from_the_first():
    sections = {s.path: s for s in find_sections(TEXT)}
    learning = sections["一、/（一）"]
    items = find_items(TEXT, [(learning.body_start, learning.end)])
    assert [item.marker for item in items] == ["一是", "二是", "三是"]
    words = sections["一、/（二）/2."]
    items = find_items(TEXT, [(words.body_start, words.end)])
    assert [item.marker for item in items] == ["首先", "其次", "最后"]
    assert items[-1].end == words.end
    assert find_items("其次要加强学习。", [(0, 8)]) == []  # no 首先: no items


def test_lines_that_only_look_like_headings():
    assert match_heading("一是加强学习", 0) is None  # an inline item
    assert match_heading("一、", 0) is None  # a number without a title
    assert match_heading("1.5万人次参加", 0) is None  # a decimal
    heading = match_heading("（四）聚焦重点任务1.深化改革", 10)
    assert heading is not None
    assert (heading.number, heading.title, heading.start) == ("（四）", "聚焦重点任务", 10)


@pytest.mark.parametrize(
    ("number", "style", "ordinal"),
    [
        ("第二部分", "part", 2),
        ("三、", "cn", 3),
        ("（四）", "cn_paren", 4),
        ("（12）", "ar_paren", 12),
        ("5.", "ar_dot", 5),
        ("6、", "ar_dun", 6),
        ("附件", "other", None),
    ],
)
def test_the_style_of_a_stored_number(number, style, ordinal):
    assert number_style(number) == (style, ordinal)


def test_every_stored_number_is_recognised_as_its_own_style():
    for style in HEADING_STYLES:
        numeral = "7" if style.id.startswith("ar") else "七"
        assert number_style(style.format.format(numeral)) == (style.id, 7)
