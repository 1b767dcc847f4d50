"""One number of a report's text: is it a figure, and its value, measure and qualifier.

Takes the simplified-character text and a match of ``NUMBER``; gives a ``Fact`` (value,
measure, qualifier as read; subject and kind come later) or None for a number that counts
nothing: a date, an ordinal, a rank, a session of a congress, a figure of speech, a number
inside a fixed phrase or a cited title, a frequency rule. The words are data:
``lawnb/rules/facts.yaml`` (``lawnb.extract.fact_rules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lawnb.extract.clauses import clause_start, inside, merged, sentence_start
from lawnb.extract.fact_rules import ARABIC, LEADING_CN, fact_rules
from lawnb.read.numerals import cn_to_number

_CHINESE = rf"[{LEADING_CN}][零〇一二两三四五六七八九十百千万]*"
NUMBER = re.compile(
    rf"(?<![\dA-Za-z.\-－/])(?:(?P<ar>{ARABIC})|(?P<cn>{_CHINESE})|百分之(?P<pct>{_CHINESE}))"
)
_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3}


@dataclass
class Fact:
    """A figure of the text while it is being read: offsets, value, words around it."""

    start: int
    end: int
    value: float
    measure: str
    qualifier: str
    subject: str
    kind: str = "achievement"
    of: str = ""
    origin: str = "extracted"
    after_text: str = ""
    segment_start: int = -1
    wording: str = ""  # the qualifier as written: 余, 以上, 不少于 … (余 is not 约)


def repeats(text: str, fact: Fact, facts: list[Fact]) -> bool:
    """The same clause written twice in one sentence ("排查出…5起，排查出…5起"): one fact."""
    same = [f for f in facts[-4:] if f.value == fact.value and f.measure == fact.measure]
    if not same:
        return False
    clause = text[clause_start(text, fact.start) : fact.end]
    start_of_sentence = sentence_start(text, fact.start)
    for earlier in same:
        other = text[clause_start(text, earlier.start) : earlier.end]
        short, long = sorted((clause, other), key=len)
        if (
            earlier.start >= start_of_sentence
            and earlier.value == fact.value
            and earlier.measure == fact.measure
            and len(short) >= 6
            and long.endswith(short)
        ):
            return True
    return False


def read_number(text: str, match: re.Match[str], fixed_spans: list[tuple[int, int]]) -> Fact | None:
    """The figure a ``NUMBER`` match starts, or None when it counts nothing."""
    rules = fact_rules()
    start = match.start()
    if inside(fixed_spans, start):
        return None
    if match.group("pct"):
        value = cn_to_number(match.group("pct"))
        return None if value is None else Fact(start, match.end(), value, "%", "exact", "")
    if match.group("cn"):
        numeral = match.group("cn")
        value = cn_to_number(numeral)
        if value is None or (start and text[start - 1] in rules.not_count_after_chinese):
            return None
        if text[max(0, start - 3) : start].endswith(rules.negations):
            return None  # "没有一件", "未发生一起": no count at all
    else:
        value = float(match.group("ar").replace(",", ""))
        if start and text[start - 1] in rules.not_count_after_arabic:
            return None
    pos = match.end()
    rest = text[pos : pos + 12]
    if rest.startswith(rules.not_measures):
        return None
    if _session_ordinal(text, start, match.end()):
        return None  # 十一届三次、四次全会: sessions of a party congress, not counts
    if text[max(0, start - 2) : start].endswith(rules.rank_before):
        return None  # 包揽前两名, 位列前3: a rank, not a count
    qualifier, wording = "exact", ""
    # A multiplier that is not part of a measure ("2万余份", "3.2万人次" keeps 万人次).
    if rest[:1] in _MULTIPLIERS and not any(rest.startswith(m) for m, _ in rules.measures):
        value *= _MULTIPLIERS[rest[0]]
        pos += 1
        rest = text[pos : pos + 12]
    for word, qual in rules.after:
        if word in rules.qualifiers_before_measure and rest.startswith(word):
            qualifier, wording, pos, rest = qual, word, pos + 1, rest[1:]
            break
    if not rest.startswith(rules.measure_words):
        return None
    raw_measure, measure = next((raw, norm) for raw, norm in rules.measures if rest.startswith(raw))
    if rest[len(raw_measure) :].startswith(rules.not_measures) and measure in rules.split_measures:
        return None
    if match.group("cn") and match.group("cn") == "一" and measure not in rules.single_one:
        return None
    pos += len(raw_measure)
    if text.startswith(rules.place_after, pos) and match.group("cn"):
        return None  # 三元里: a place name with a numeral in it
    if (
        match.group("cn")
        and match.group("cn") == "一"
        and text.startswith(rules.framing_after_one, pos)
    ):
        return None  # 一项重要内容, 一项长期任务: framing, not a count
    if match.group("cn") and len(text) - pos <= 2:
        return None  # a Chinese-numeral count cut by the end of the text (两条主…)
    tail = text[pos : pos + 4]
    for word, qual in rules.after:
        if tail.startswith(word) and word not in rules.qualifiers_before_measure:
            qualifier, wording, pos = qual, word, pos + len(word)
            break
    before = text[max(0, start - 6) : start]
    for word, qual in rules.before:
        if before.endswith(word) and qual != "exact":
            qualifier, wording = qual, word
            break
    clause = text[clause_start(text, start) : start]
    if measure in rules.frequency_measures and (
        rules.frequency_rule.search(clause[-12:])
        or any(word in clause[-8:] for word in rules.frequency)
    ):
        return None  # "每季度1次" is a rule, not a count; "每年支付…逾20万元" is an amount
    if measure in rules.signed_measures and clause.endswith(rules.decrease_before):
        value = -value  # "比上年减少11%": a fall, stored as a negative change
    if qualifier == "exact":
        for word, qual in rules.before:
            if word in rules.clause_qualifiers and word in clause:
                qualifier, wording = qual, word
                break
    if match.group("cn") and text.startswith(rules.abstract_nouns, pos):
        return None  # "两条主线", "三个方面": a figure of speech, not a count
    return Fact(start, pos, value, measure, qualifier, "", wording=wording)


def _session_ordinal(text: str, start: int, end: int) -> bool:
    """A numeral that names a session (十一届三次全会, 三次、四次全会), not a count of meetings."""
    if start and text[start - 1] == "届":
        return True
    after = re.sub(rf"^[次]?(?:、[{LEADING_CN}\d]+次)*", "", text[end : end + 24])
    return after.startswith(fact_rules().session_words)


def fixed_phrase_spans(text: str) -> list[tuple[int, int]]:
    """Spans where a number is no figure: fixed phrases, cited titles, plan years, short quotes."""
    spans = []
    for phrase in fact_rules().fixed:
        for found in re.finditer(re.escape(phrase), text):
            spans.append((found.start(), found.end()))
    for found in re.finditer(
        r"《[^》\n]{1,60}》|〔[^〕\n]{1,12}〕|（\d{4}[-－—～~至]\d{4}年?）|“[^”\n]{1,10}”", text
    ):
        spans.append((found.start(), found.end()))
    return merged(spans)


def same_count(a: str, b: str) -> bool:
    """True when measures ``a`` and ``b`` count the same things (人 and 名, 家 and 户)."""
    return a == b or any(a in group and b in group for group in fact_rules().same_count)


def opens_parts(text: str, pos: int, measure: str) -> bool:
    """True right after "40人" in "40人中本科12人": a part of a compatible measure follows."""
    opener = fact_rules().opener.match(text, pos)
    if not opener or opener.group("noun") != "":
        return False
    part = NUMBER.search(text, opener.end(), opener.end() + 14)
    return bool(part) and any(
        text.startswith(raw, part.end()) and same_count(norm, measure)
        for raw, norm in fact_rules().measures
    )
