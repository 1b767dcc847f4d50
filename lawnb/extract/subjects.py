"""What makes a fact's subject (事项) fit to show: whole words, no list marker, no cue word.

A subject is a short label read from the report's own words. It must start and end on a
word boundary of its sentence (found with the jieba-rs segmenter), carry no enumeration
marker (一是, （二）, 3.) and no cue word (力争, 使, 计划 …), and have balanced quotes and
brackets. The words are data: ``lawnb/rules/subjects.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lawnb.read.headings import order_words
from lawnb.read.words import alternation, words
from lawnb.ruledata import load_rules

_PAIRS = ("“”", "《》", "（）", "【】", "‘’")


@dataclass(frozen=True)
class _SubjectRules:
    markers: re.Pattern[str]
    cue_words: tuple[str, ...]
    edge_words: tuple[str, ...]
    max_length: int
    glued_after: frozenset[str]
    glued_before: frozenset[str]


@cache
def _rules() -> _SubjectRules:
    data = load_rules("subjects.yaml")
    markers = "|".join([*data["list_markers"], alternation(order_words(), longest_first=False)])
    return _SubjectRules(
        markers=re.compile(f"^(?:{markers})"),
        cue_words=tuple(sorted(data["cue_words"], key=len, reverse=True)),
        edge_words=tuple(sorted(data["edge_words"], key=len, reverse=True)),
        max_length=int(data["max_length"]),
        glued_after=frozenset(data["glued_after"]),
        glued_before=frozenset(data["glued_before"]),
    )


def max_subject_length() -> int:
    """The longest subject label kept whole; longer ones are shortened at a word boundary."""
    return _rules().max_length


def strip_markers(subject: str) -> str:
    """``subject`` without leading list markers and cue words, and without trailing edge words.

    Cue and edge words are removed only as whole words (使 from 使持证人员, not from 使用).
    """
    rules = _rules()
    changed = True
    while changed and subject:
        changed = False
        marker = rules.markers.match(subject)
        if marker and marker.end() < len(subject):
            subject, changed = subject[marker.end() :], True
            continue
        cut = words(subject)
        if len(cut) > 1 and cut[0] in rules.cue_words:
            subject, changed = subject[len(cut[0]) :], True
        elif len(cut) > 1 and cut[-1] in rules.edge_words:
            subject, changed = subject[: -len(cut[-1])], True
    return subject


def subject_problems(subject: str, context: str = "", at: int | None = None) -> list[str]:
    """Why ``subject`` is not fit to show, as short codes; empty when it is fine.

    ``context`` is the sentence the subject was read from and ``at`` its offset there (found
    by search when not given). Codes: ``empty``, ``list_marker``, ``cue_word`` (starts with a cue word or ends with a particle), ``unbalanced``,
    ``cut_word`` (starts or ends inside a word of its sentence).
    """
    rules = _rules()
    if not subject or not subject.strip():
        return ["empty"]
    problems = []
    if rules.markers.match(subject):
        problems.append("list_marker")
    cut = words(subject)
    if cut[0] in rules.cue_words or cut[-1] in rules.edge_words:
        problems.append("cue_word")
    if any(subject.count(a) != subject.count(b) for a, b in _PAIRS):
        problems.append("unbalanced")
    if context:
        places = [at] if at is not None else _places(context, subject)
        if places and all(
            _is_cut(context, p) or _is_cut(context, p + len(subject)) for p in places
        ):
            problems.append("cut_word")
    return problems


def _is_cut(text: str, offset: int) -> bool:
    """True when ``offset`` falls inside a word of ``text`` (微|信, 行|为, 三元|里).

    The segmenter glues particles and measure words to the words beside them when it does
    not know the pair (率达, 员中, 以镇, 轮冷链): a position between such a particle and the
    rest of a token that is not a dictionary word is not a cut.
    """
    import rjieba

    rules = _rules()
    start = 0
    for word in words(text):
        end = start + len(word)
        if start < offset < end:
            if rjieba.has_word(word):
                return True
            return not (
                (offset == end - 1 and word[-1] in rules.glued_after)
                or (offset == start + 1 and word[0] in rules.glued_before)
            )
        if end >= offset:
            return False
        start = end
    return False


def _places(text: str, part: str) -> list[int]:
    out, start = [], text.find(part)
    while start >= 0:
        out.append(start)
        start = text.find(part, start + 1)
    return out
