"""A figure's subject (事项): what it counts, read from the words before or right after it.

Takes the simplified-character text and a ``Fact`` read by ``lawnb.extract.fact_numbers``;
gives the fact with its subject (one fact per subject when several rates share one figure:
知晓率、满意度均达95%). A subject is cut only between words (the jieba-rs segmenter), without
list markers, cue words, leading verbs or quotation marks, and is shortened to
``lawnb.extract.subjects.max_subject_length``. The words are data: ``lawnb/rules/facts.yaml``.
"""

from __future__ import annotations

import re

from lawnb.extract.clauses import CLAUSE_END, clause_start, sentence_start
from lawnb.extract.fact_numbers import Fact, opens_parts
from lawnb.extract.fact_rules import fact_rules
from lawnb.extract.subjects import max_subject_length, strip_markers
from lawnb.read.words import word_bounds, words

_BARE_RATE = re.compile(r"[\u4e00-\u9fff]{1,3}率")


def with_subjects(text: str, fact: Fact, previous: Fact | None) -> list[Fact]:
    """``fact`` with its subject; one copy per subject when a listing shares the figure."""
    start = clause_start(text, fact.start)
    if previous is not None and previous.end > start:
        start = previous.end
    before = text[start : fact.start].lstrip("、，")
    after = _subject_after(text, fact.end, fact.measure)
    fact.after_text = text[fact.end : fact.end + 2]
    # One value shared by several subjects: "知晓率、满意度均达95%".
    listing = fact_rules().shared_listing.search(before)
    names = _shared_names(listing.group(1)) if listing and not after else []
    if len(names) > 1:
        # "知晓率、满意度均达95%", "参考率、通过率和优秀率100%": one fact per subject.
        return [
            Fact(
                fact.start,
                fact.end,
                fact.value,
                fact.measure,
                fact.qualifier,
                name,
                wording=fact.wording,
            )
            for name in names
        ]
    if len(after) >= 2:
        fact.subject = after
    else:
        fact.subject = clean_before(before) or clean_before(_previous_clause(text, start))
    if (
        _BARE_RATE.fullmatch(fact.subject)
        and previous is not None
        and previous.start >= sentence_start(text, fact.start)
    ):
        # "办结热线工单2,860件，满意率95.2%": the rate is of what the sentence just counted.
        fact.subject = _strip_verb(previous.subject) + fact.subject
    fact.subject = _shorten(fact.subject)
    fact.segment_start = start
    return [fact]


def _shared_names(listing: str) -> list[str]:
    """The subjects of "A、B和C" sharing one figure, when each is a rate or a degree."""
    rules = fact_rules()
    names = [n for n in listing.split("、") if n]
    last = words(names[-1]) if names else []
    joined = [i for i, w in enumerate(last) if w in rules.shared_conjunctions]
    if joined:  # 通过率和优秀率: split on 和 only where it is a word of its own
        cut = sum(len(w) for w in last[: joined[-1]])
        names[-1:] = [names[-1][:cut], names[-1][cut + 1 :]]
    if len(names) > 1 and all(n.endswith(rules.shared_endings) for n in names):
        names[0] = clean_before(names[0])
        return [_shorten(n) for n in names]
    return []


def _strip_verb(subject: str) -> str:
    """A subject without its leading verb: 办结热线工单 → 热线工单."""
    for verb in fact_rules().achievement_verbs:
        if subject.startswith(verb) and len(subject) > len(verb) + 1:
            return subject[len(verb) :]
    return subject


def _shorten(subject: str) -> str:
    """A short label in whole words: no list marker or cue word, at most the last 16 characters'
    worth of words, the head noun phrase after an enumeration ending in 等."""
    if "等" in subject:
        tail = subject.rsplit("等", 1)[1]
        if len(tail) >= 4:
            subject = tail
    subject = _without_quotes(strip_markers(subject))
    limit = max_subject_length()
    if len(subject) > limit:
        for cut in sorted(word_bounds(subject)):
            if len(subject) - cut <= limit and len(subject) - cut >= 2:
                subject = subject[cut:]
                break
        subject = strip_markers(subject)
    return subject


def _subject_after(text: str, pos: int, measure: str) -> str:
    rules = fact_rules()
    for word, _ in rules.after:
        if text.startswith(word, pos):
            pos += len(word)
            break
    end = pos
    while end < len(text) and text[end] not in CLAUSE_END + "、（“”《" and end - pos < 24:
        end += 1
    phrase = text[pos:end]
    if opens_parts(text, pos, measure):
        return ""  # "40人中本科12人": the whole of a composition, its subject comes before
    phrase = rules.next_count.split(phrase)[0]
    for stop in rules.subject_stops:
        index = phrase.find(stop)
        if index == 0:
            return ""
        if index > 0:
            phrase = phrase[:index]
    phrase = rules.subject_after_trailing.sub("", phrase)
    if len(phrase) > 12:
        ends = [b for b in sorted(word_bounds(phrase)) if 2 <= b <= 12]
        phrase = phrase[: ends[-1]] if ends else phrase[:12]
    return phrase


def _previous_clause(text: str, start: int) -> str:
    if start <= 1:
        return ""
    end = start - 1
    return text[clause_start(text, end) : end]


def clean_before(phrase: str) -> str:
    """The subject in the words before a number, cut only between words."""
    rules = fact_rules()
    phrase = re.sub(r"^以(.+?)为例$", r"\1", phrase)
    phrase = rules.date_cutoffs.sub("", phrase)
    phrase = _strip_words(phrase, rules.subject_prefixes, front=True)
    counted = re.search(r"\d[\d.,]*[\u4e00-\u9fff]{0,2}[、，]?$", phrase)
    if counted and counted.start() >= 2:  # 接待群众来访163批次、412人次 → 接待群众来访
        phrase = phrase[: counted.start()]
    for word, _ in rules.before:
        if phrase.endswith(word) and _ends_on_word(phrase, len(phrase) - len(word)):
            phrase = phrase[: -len(word)]
            break
    phrase = _strip_words(phrase, rules.subject_trailing, front=False)
    verb = rules.last_verb.search(phrase)
    if verb and len(phrase) - verb.end() >= 2 and _ends_on_word(phrase, verb.end()):
        phrase = phrase[verb.end() :]
    phrase = _strip_words(phrase, rules.subject_trailing, front=False)
    if "的" in phrase[:-1]:
        head, tail = phrase.rsplit("的", 1)
        # "取得资格的人员": a generic head noun; what is counted is said before 的.
        phrase = head if tail in rules.generic_heads or not tail else tail
    return _without_quotes(phrase.strip("、 "))


def _ends_on_word(phrase: str, offset: int) -> bool:
    return offset in word_bounds(phrase)


def _strip_words(phrase: str, words: tuple[str, ...], *, front: bool) -> str:
    """``phrase`` without the listed words at its front (or end), each only as a whole word."""
    changed = True
    while changed and phrase:
        changed = False
        edge = phrase.startswith if front else phrase.endswith
        if not edge(words):
            break
        for word in (w for w in words if len(phrase) > len(w) and edge(w)):
            if front and _ends_on_word(phrase, len(word)):
                phrase, changed = phrase[len(word) :], True
                break
            if not front and not _glued(phrase, word):
                phrase, changed = phrase[: -len(word)], True
                break
    return phrase


def _glued(phrase: str, word: str) -> bool:
    """True when ``word`` at the end of ``phrase`` is part of a longer word (行为, 作为)."""
    import rjieba

    return any(
        rjieba.has_word(phrase[-len(word) - k :]) for k in (1, 2) if len(phrase) > len(word) + k - 1
    )


def _without_quotes(subject: str) -> str:
    """Quotation marks are typography, not part of a label: 法律进社区”活动 → 法律进社区活动."""
    subject = re.sub(r"[“”‘’\"]", "", subject)
    for opening, closing in ("《》", "（）"):
        if subject.count(opening) != subject.count(closing):
            subject = subject.replace(opening, "").replace(closing, "")
    return subject
