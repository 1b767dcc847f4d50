"""Property-based tests: arbitrary text never breaks the reader or the extractor."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawnb.errors import LawnbError
from lawnb.facts import extract_facts
from lawnb.reader import read_report

# Text built from the pieces reports are made of, so that generated cases reach the parser's
# branches (headings, numbers, measures, qualifiers) and not only random code points.
_PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（3）",
        "第一部分",
        "一是",
        "二是",
        "首先，",
        "其次，",
        "检查企业",
        "344",
        "1,280",
        "12.5",
        "三十余",
        "两",
        "一",
        "十二",
        "95%",
        "百分之九十",
        "家（次）",
        "次",
        "人",
        "名",
        "份",
        "万元",
        "余",
        "多",
        "约",
        "不少于",
        "以上",
        "以内",
        "左右",
        "，",
        "。",
        "；",
        "：",
        "、",
        "\n",
        " ",
        "“",
        "”",
        "《",
        "》",
        "〔2021〕",
        "号",
        "年",
        "月",
        "日",
        "中",
        "其中",
        "其余为",
        "计划",
        "将",
        "全镇",
        "目前",
        "每季度",
        "下步安排",
        "存在的不足",
        "第一责任人",
        "主要举措和成效",
        "报告",
        "2020年",
        "法治政府建设情况报告",
    ]
)
_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=60).map("".join),
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join),
)
_NUMERAL = re.compile(r"[\d一二两三四五六七八九十百]")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_any_text_reads_or_fails_with_lawnb_error(text):
    try:
        report = read_report(text + "\n")
    except LawnbError:
        return
    for section in report.sections:
        assert 0 <= section.start <= section.body_start <= section.end <= len(report.text)
        for item in section.items:
            assert section.start <= item.start < item.end <= section.end
    facts = extract_facts(report)
    extracted = facts[facts["origin"] == "extracted"]
    for start, end in zip(extracted["start"], extracted["end"], strict=True):
        assert 0 <= start < end <= len(report.text)
        assert _NUMERAL.match(report.text[start]), report.text[start:end]
    assert set(facts["kind"]) <= {"achievement", "target", "status", "composition"}
    assert set(facts["qualifier"]) <= {"exact", "approx", "at_least", "at_most"}
