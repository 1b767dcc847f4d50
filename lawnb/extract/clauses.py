"""Clauses and sentences of a report's text, found from punctuation, and spans of offsets.

Takes a text and an offset; gives where the clause or sentence around it starts and ends
(the offsets of the punctuation are found once per text and searched by bisection), and
whether an offset falls in a list of spans.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

CLAUSE_END = "，。；：！？\n"
SENTENCE_END = "。！？\n；"


@lru_cache(maxsize=8)  # one report's text at a time; its hash is computed once
def _marks(text: str, marks: str) -> list[int]:
    """Offsets of every character of ``marks`` in ``text``, in order."""
    return [m.start() for m in re.finditer(f"[{re.escape(marks)}]", text)]


def last_mark_before(text: str, pos: int, marks: str) -> int:
    """The offset of the last of ``marks`` before ``pos``, or -1."""
    found = _marks(text, marks)
    index = bisect.bisect_left(found, pos) - 1
    return found[index] if index >= 0 else -1


def _first_mark_from(text: str, pos: int, marks: str) -> int:
    """The offset of the first of ``marks`` at or after ``pos``, or the text's length."""
    found = _marks(text, marks)
    index = bisect.bisect_left(found, pos)
    return found[index] if index < len(found) else len(text)


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last ，。；：！？ or line break)."""
    return last_mark_before(text, pos, CLAUSE_END) + 1


def clause_end(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` ends (its closing mark, or the text's end)."""
    return _first_mark_from(text, pos, CLAUSE_END)


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after the last 。！？； or line break)."""
    return last_mark_before(text, pos, SENTENCE_END) + 1


def sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends (its closing mark, or the text's end)."""
    return _first_mark_from(text, pos, SENTENCE_END)


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when ``offset`` falls in one of ``spans`` (disjoint, sorted)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, overlapping or touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
