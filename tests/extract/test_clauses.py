"""Clauses, sentences and spans of offsets (lawnb.extract.clauses)."""

from __future__ import annotations

from lawnb.extract.clauses import (
    clause_end,
    clause_start,
    inside,
    merged,
    sentence_end,
    sentence_start,
)

TEXT = "全年办理案件12件，结案10件。其中调解3件；\n下一步继续推进"


def test_clause_and_sentence_around_an_offset():
    at = TEXT.index("结案")
    assert TEXT[clause_start(TEXT, at) : clause_end(TEXT, at)] == "结案10件"
    assert TEXT[sentence_start(TEXT, at) : sentence_end(TEXT, at)] == "全年办理案件12件，结案10件"
    at = TEXT.index("调解")
    assert TEXT[sentence_start(TEXT, at) : sentence_end(TEXT, at)] == "其中调解3件"


def test_the_text_edges_bound_the_first_and_last_clause():
    assert clause_start(TEXT, 2) == 0
    last = TEXT.index("继续")
    assert sentence_end(TEXT, last) == len(TEXT)


def test_spans_are_merged_and_searched():
    spans = merged([(10, 12), (0, 3), (2, 5), (12, 14)])
    assert spans == [(0, 5), (10, 14)]
    assert inside(spans, 0) and inside(spans, 4) and inside(spans, 13)
    assert not inside(spans, 5) and not inside(spans, 9) and not inside(spans, 14)
    assert not inside([], 3)
