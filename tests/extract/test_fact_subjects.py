"""A figure's subject read from the words around it (lawnb.extract.fact_subjects).

Invented sentences; each case is a shape reports have.
"""

from __future__ import annotations

import pytest

from lawnb.extract.fact_subjects import clean_before
from lawnb.extract.facts import text_facts


def _subjects(text: str) -> list[str]:
    return [fact.subject for fact in text_facts(text)]


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        ("全年组织开展普法活动30场。", ["普法活动"]),
        ("今年以来共调解矛盾纠纷45起。", ["调解矛盾纠纷"]),
        ("发放宣传资料3000余份。", ["发放宣传资料"]),
        ("新建15个法治宣传栏。", ["法治宣传栏"]),  # read after the measure
        (
            "办结热线工单2,860件，满意率95.2%。",  # the rate is of what was just counted
            ["办结热线工单", "热线工单满意率"],
        ),
        ("知晓率、满意度均达95%。", ["知晓率", "满意度"]),  # one figure, two subjects
        ("取得执法资格的人员36名。", ["取得执法资格"]),
    ],
)
def test_subjects_are_read_from_the_words_around_the_figure(text, subjects):
    assert _subjects(text) == subjects


def test_words_before_a_number_lose_time_cue_and_trailing_words():
    assert clean_before("截至12月共受理行政复议案件") == "受理行政复议案件"
    assert clean_before("组织开展普法活动") == "普法活动"  # after the last counting verb
    assert clean_before("“法律进社区”活动") == "法律进社区活动"
    assert clean_before("今年以来共受理行政复议案件") == "受理行政复议案件"
    assert clean_before("法律顾问均为") == "法律顾问"
