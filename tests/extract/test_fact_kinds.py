"""Kinds and compositions (lawnb.extract.fact_kinds). Invented sentences of report shapes."""

from __future__ import annotations

import pytest

from lawnb.extract.fact_numbers import Fact
from lawnb.extract.facts import text_facts


def _facts(text: str) -> list[Fact]:
    return text_facts(text)


def test_parts_of_a_whole_and_the_rest_named_in_words():
    text = "全镇共有执法人员40人，其中本科12人，研究生5人，其余为大专学历。"
    rows = [(f.value, f.subject, f.kind, f.of, f.origin) for f in _facts(text)]
    assert rows == [
        (40.0, "执法人员", "status", "", "extracted"),
        (12.0, "本科", "composition", "执法人员", "extracted"),
        (5.0, "研究生", "composition", "执法人员", "extracted"),
        (23.0, "大专", "composition", "执法人员", "derived"),
    ]


def test_a_whole_named_before_zhong_takes_that_name():
    facts = _facts("法律顾问18名中律师11名、基层法律服务工作者7名。")
    assert [(f.subject, f.kind, f.of) for f in facts] == [
        ("法律顾问", "status", ""),
        ("律师", "composition", "法律顾问"),
        ("基层法律服务工作者", "composition", "法律顾问"),
    ]


def test_no_remainder_when_a_part_is_approximate():
    facts = _facts("参训干部120人，其中科级以上30余人，其余为一般干部。")
    assert [f.origin for f in facts] == ["extracted", "extracted"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("全年办理行政复议案件12件。", "achievement"),
        ("力争调解成功率达到98%。", "target"),
        ("下一步，计划开展培训5场。", "target"),
        ("目前，全镇已建起法治广场7个。", "status"),
        ("全镇下辖行政村14个。", "status"),
        ("执法人员持证率100%。", "status"),
        ("对102个领导班子进行考评。", "achievement"),
        ("印发《三年行动计划》后开展培训5场。", "achievement"),  # a plan cited by title
    ],
)
def test_the_kind_of_a_figure(text, kind):
    assert [f.kind for f in _facts(text)] == [kind]
