"""The lines before the first heading: their kinds and the title (lawnb.read.preamble).

Invented page heads with fictional names; each line is a shape web pages and documents have.
"""

from __future__ import annotations

from lawnb.read.preamble import (
    head_lines,
    is_title,
    parse_place_prefix,
    pick_title,
    title_candidates,
    title_who,
)

HEAD = "\n".join(
    [
        "当前位置：首页 > 政务公开 > 法治建设",
        "发布机构：桃源镇人民政府  发布日期：2024-02-01",
        "2024-02-01 09:30",
        "桃政发〔2024〕3号",
        "桃源镇2023年度法治政府建设情况报告",
        "云台区人民政府：",
        "2023年，我镇坚持依法行政，现将有关情况报告如下。",
    ]
)


def test_each_line_gets_its_kind():
    kinds = [line.kind for line in head_lines(HEAD, len(HEAD))]
    assert kinds == ["chrome", "meta", "date", "docno", "text", "addressee", "sentence"]


def test_lines_keep_their_offsets():
    for line in head_lines(HEAD, len(HEAD)):
        assert HEAD[line.start : line.start + len(line.text)] == line.text


def test_the_title_is_the_title_like_line_right_above_the_body():
    lines = head_lines(HEAD, len(HEAD))
    chosen = pick_title(HEAD, title_candidates(HEAD, lines))
    assert chosen is not None and chosen[2] == "桃源镇2023年度法治政府建设情况报告"


def test_a_title_cut_over_two_lines_is_joined():
    text = "云台区桃源镇\n2023年法治政府建设工作报告\n2023年，全镇坚持依法行政。"
    chosen = pick_title(text, title_candidates(text, head_lines(text, len(text))))
    assert chosen is not None and chosen[2] == "云台区桃源镇2023年法治政府建设工作报告"


def test_a_title_is_short_has_a_title_word_and_no_sentence():
    assert is_title("柳溪乡2022年法治建设工作总结")
    assert not is_title("柳溪乡2022年法治建设工作。")  # a sentence
    assert not is_title("现将柳溪乡2022年法治建设工作报告如下")  # a lead sentence
    assert not is_title("报告")  # too short


def test_the_unit_and_year_a_title_names():
    assert title_who("桃源镇2023年度法治政府建设情况报告") == ("桃源镇", 2023)
    assert title_who("2022年柳溪乡法治建设工作报告") == ("柳溪乡", 2022)
    assert title_who("云台区司法局关于2021年法治政府建设工作的报告") == ("云台区司法局", 2021)
    place = parse_place_prefix("桃源镇人民政府关于2023年法治政府建设情况的报告")
    assert place is not None and (place.unit, place.level) == ("桃源镇", "town")
