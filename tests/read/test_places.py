"""Administrative names read as chains of places (lawnb.read.places). Fictional names throughout."""

from __future__ import annotations

import pytest

from lawnb.read.places import (
    expand_department,
    names_department,
    names_in,
    parse_place,
    suffix_level,
)


@pytest.mark.parametrize(
    ("name", "unit", "district", "level"),
    [
        ("江州市临湖区青石镇", "青石镇", "临湖区", "town"),
        ("宁川区人民政府金沙街道办事处", "金沙街道", "宁川区", "subdistrict"),
        ("中共云岭县委员会云岭县人民政府", "云岭县", None, "county"),
        ("苍梧市云台区", "云台区", "苍梧市", "county"),
        ("苍梧市", "苍梧市", None, "city"),
        ("南陵省", "南陵省", None, "province"),
        ("苍梧市司法局", "苍梧市司法局", "苍梧市", "department"),
        ("苍梧市云台区卫生健康委员会", "云台区卫生健康委员会", "云台区", "department"),
        ("新市街道", "新市街道", None, "subdistrict"),  # 市 inside a name
        ("石桥街街道", "石桥街街道", None, "subdistrict"),
        ("柳岸街", "柳岸街", None, "subdistrict"),
        ("市中区桃源镇", "桃源镇", "市中区", "town"),
        ("景德镇市", "景德镇市", None, "city"),  # 镇 inside a city's name
    ],
)
def test_names_are_read_as_chains(name, unit, district, level):
    place = parse_place(name)
    assert place is not None
    assert (place.unit, place.parent[0] if place.parent else None, place.level) == (
        unit,
        district,
        level,
    )


def test_a_party_committee_stands_for_its_government():
    place = parse_place("中共云岭县委")
    assert place is not None and (place.unit, place.level) == ("云岭县", "county")


def test_a_department_named_whole_keeps_its_name():
    place = parse_place("国家税务总局苍梧市税务局")
    assert place is not None and place.named_whole
    assert (place.unit, place.level) == ("国家税务总局苍梧市税务局", "department")


def test_short_department_names_are_expanded():
    assert expand_department("云台区人社局") == "云台区人力资源和社会保障局"
    place = parse_place("苍梧市卫健委")
    assert place is not None and place.unit == "苍梧市卫生健康委员会"


def test_words_that_only_look_like_names_are_not_names():
    assert suffix_level("社区") is None
    assert suffix_level("全市") is None
    assert suffix_level("依法治区") is None
    assert suffix_level("临湖区") == "county"
    assert suffix_level("在临湖区", strict=True) is None  # running text, not a name
    assert parse_place("学习") is None


def test_department_endings():
    assert names_department("应急管理局") and names_department("卫生健康委员会")
    assert not names_department("临湖区")


def test_names_in_running_text_come_with_level_and_offset():
    # Names the segmenter does not know are read as a chain at a line start or after 《.
    for text in (
        "苍梧市云台区桃源镇坚持依法行政，全市上下共同推进。",
        "印发《苍梧市云台区法治政府建设实施方案》，全市上下共同推进。",
    ):
        found = names_in(text)
        assert [(name, level) for name, level, _ in found][:2] == [
            ("苍梧市", "city"),
            ("云台区", "county"),
        ]
        assert all(text[offset : offset + len(name)] == name for name, _, offset in found)
        assert "全市" not in [name for name, _, _ in found]
