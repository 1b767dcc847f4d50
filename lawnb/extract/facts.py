"""``Report`` → facts table: every figure with its value, measure, qualifier, kind and evidence.

The word lists (measures, qualifiers, fixed phrases, cues) live in ``lawnb/rules/facts.yaml``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pandas as pd

from lawnb.extract.catalog import match_indicator
from lawnb.extract.subjects import (
    max_subject_length,
    strip_markers,
    subject_problems,
)
from lawnb.read.numerals import cn_to_number
from lawnb.read.reader import Report
from lawnb.read.taxonomy import classify_dimension
from lawnb.read.words import word_bounds, words
from lawnb.ruledata import load_rules
from lawnb.schema import FACT_COLUMNS

_CLAUSE_END = "，。；：！？\n"
_SENTENCE_END = "。！？\n；"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_LEADING_CN = "一二两三四五六七八九十"  # what a Chinese numeral starts with
_CHINESE = rf"[{_LEADING_CN}][零〇一二两三四五六七八九十百千万]*"
_NUMBER = re.compile(
    rf"(?<![\dA-Za-z.\-－/])(?:(?P<ar>{_ARABIC})|(?P<cn>{_CHINESE})|百分之(?P<pct>{_CHINESE}))"
)
_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3}
_PEOPLE_LIKE = ("人", "名", "个", "所", "家", "位")
_NEVER_STATUS = ("%", "元", "万元", "亿元")
_SIGNED = ("%", "个百分点", "百分点")
_NEGATIONS = ("没有", "未发生", "未出现", "无一", "未有", "零")
_GENERIC_HEADS = ("人员", "人", "单位", "对象", "人数", "同志", "干部")
# Measures that count the same things: a composition may state its whole in one, parts in another.
_SAME_COUNT = [{"人", "名", "位"}, {"家", "户"}]
_FREQUENCY = re.compile(r"每(?:个|一)?(?:年|季度|季|月|周|天|日|学期|半年|半月|两年|旬)")
# The last of these verbs in a phrase before a number introduces what is counted.
_LAST_VERB = re.compile(r".*(开展|组织|举办|召开|进行|完成|共有|现有|配备|聘请|设置|设立)")


@dataclass(frozen=True)
class _Rules:
    measures: list[tuple[str, str]]
    measure_words: tuple[str, ...]
    single_one: frozenset[str]
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]
    not_measures: tuple[str, ...]
    fixed: tuple[str, ...]
    frequency: tuple[str, ...]
    status_before: tuple[str, ...]
    status_anywhere: tuple[str, ...]
    status_scope: tuple[str, ...]
    status_subjects: tuple[str, ...]
    status_after: tuple[str, ...]
    achievement_verbs: tuple[str, ...]
    subject_stops: tuple[str, ...]
    subject_prefixes: tuple[str, ...]
    clause_qualifiers: tuple[str, ...]
    abstract_nouns: tuple[str, ...]
    plan_word: re.Pattern[str]
    plan_clause: re.Pattern[str]
    rank_before: tuple[str, ...]
    place_after: tuple[str, ...]
    framing_after_one: tuple[str, ...]
    status_rates: tuple[str, ...]
    covered_before: tuple[str, ...]
    achievement_after: tuple[str, ...]
    status_lead: tuple[str, ...]
    subject_trailing: tuple[str, ...]
    frequency_measures: frozenset[str]
    decrease_before: tuple[str, ...]
    session_words: tuple[str, ...]
    status_opening: tuple[str, ...]


@cache
def _rules() -> _Rules:
    data = load_rules("facts.yaml")
    plan_word, plan_clause = _plan_patterns(data)

    def longest_first(mapping: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(((str(k), str(v)) for k, v in mapping.items()), key=lambda kv: -len(kv[0]))

    return _Rules(
        measures=longest_first(data["measures"]),
        measure_words=tuple(raw for raw, _ in longest_first(data["measures"])),
        single_one=frozenset(data["single_one_measures"]),
        before=longest_first(data["qualifiers_before"]),
        after=longest_first(data["qualifiers_after"]),
        not_measures=tuple(sorted(data["not_measures"], key=len, reverse=True)),
        fixed=tuple(data["fixed_phrases"]),
        frequency=tuple(data["frequency_words"]),
        status_before=tuple(data["status_before"]),
        status_anywhere=tuple(data["status_anywhere"]),
        status_scope=tuple(data["status_scope"]),
        status_subjects=tuple(data["status_subjects"]),
        status_after=tuple(data["status_after"]),
        achievement_verbs=tuple(data["achievement_verbs"]),
        subject_stops=tuple(sorted(data["subject_stops"], key=len, reverse=True)),
        subject_prefixes=tuple(sorted(data["subject_prefixes"], key=len, reverse=True)),
        clause_qualifiers=tuple(data["clause_qualifiers"]),
        abstract_nouns=tuple(data["abstract_nouns"]),
        plan_word=plan_word,
        plan_clause=plan_clause,
        rank_before=tuple(data["rank_before"]),
        place_after=tuple(data["place_after"]),
        framing_after_one=tuple(data["framing_after_one"]),
        status_rates=tuple(data["status_rates"]),
        covered_before=tuple(data["covered_before"]),
        achievement_after=tuple(data["achievement_after"]),
        status_lead=tuple(data["status_lead"]),
        subject_trailing=tuple(data["subject_trailing"]),
        frequency_measures=frozenset(data["frequency_measures"]),
        decrease_before=tuple(data["decrease_before"]),
        session_words=tuple(data["session_words"]),
        status_opening=tuple(data["status_opening"]),
    )


@dataclass
class _Fact:
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


def extract_facts(report: Report) -> pd.DataFrame:
    """Every quantitative fact of a report, one row each, with the DESIGN.md facts columns."""
    text = report.plain  # simplified characters: 7個 counts as 7个
    first = report.sections[0].start if report.sections else len(text)
    fixed_spans = _fixed_phrase_spans(text)
    facts: list[_Fact] = []
    for match in _NUMBER.finditer(text, pos=min(report.body_start, first)):
        fact = _read_number(text, match, fixed_spans)
        if fact is None or _repeats(text, fact, facts):
            continue
        facts.extend(_with_subjects(text, fact, facts[-1] if facts else None))
    facts = _compositions(text, facts)
    rows = [_row(report, fact) for fact in facts]
    wholes = {row["subject"]: row["dimension"] for row in rows if row["kind"] != "composition"}
    for row in rows:
        if row["kind"] == "composition" and row["of"] in wholes:
            row["dimension"] = wholes[row["of"]]
    frame = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    return frame


# --- one number ---------------------------------------------------------------------------


def _repeats(text: str, fact: _Fact, facts: list[_Fact]) -> bool:
    """The same clause written twice in one sentence ("排查出…5起，排查出…5起"): one fact."""
    same = [f for f in facts[-4:] if f.value == fact.value and f.measure == fact.measure]
    if not same:
        return False
    clause = text[_clause_start(text, fact.start) : fact.end]
    sentence_start = _sentence_start(text, fact.start)
    for earlier in same:
        other = text[_clause_start(text, earlier.start) : earlier.end]
        short, long = sorted((clause, other), key=len)
        if (
            earlier.start >= sentence_start
            and earlier.value == fact.value
            and earlier.measure == fact.measure
            and len(short) >= 6
            and long.endswith(short)
        ):
            return True
    return False


def _read_number(
    text: str, match: re.Match[str], fixed_spans: list[tuple[int, int]]
) -> _Fact | None:
    rules = _rules()
    start = match.start()
    if _inside(fixed_spans, start):
        return None
    if match.group("pct"):
        value = cn_to_number(match.group("pct"))
        return None if value is None else _Fact(start, match.end(), value, "%", "exact", "")
    if match.group("cn"):
        numeral = match.group("cn")
        value = cn_to_number(numeral)
        if value is None or (start and text[start - 1] in "第初周星礼每"):
            return None
        if text[max(0, start - 3) : start].endswith(_NEGATIONS):
            return None  # "没有一件", "未发生一起": no count at all
    else:
        value = float(match.group("ar").replace(",", ""))
        if start and text[start - 1] in "第〔[【":
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
        if word in ("余", "多") and rest.startswith(word):
            qualifier, wording, pos, rest = qual, word, pos + 1, rest[1:]
            break
    if not rest.startswith(rules.measure_words):
        return None
    raw_measure, measure = next((raw, norm) for raw, norm in rules.measures if rest.startswith(raw))
    if rest[len(raw_measure) :].startswith(rules.not_measures) and measure in ("个", "万", "亿"):
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
        if tail.startswith(word) and word not in ("余", "多"):
            qualifier, wording, pos = qual, word, pos + len(word)
            break
    before = text[max(0, start - 6) : start]
    for word, qual in rules.before:
        if before.endswith(word) and qual != "exact":
            qualifier, wording = qual, word
            break
    clause = _clause_before(text, start)
    if measure in rules.frequency_measures and (
        _FREQUENCY.search(clause[-12:]) or any(word in clause[-8:] for word in rules.frequency)
    ):
        return None  # "每季度1次" is a rule, not a count; "每年支付…逾20万元" is an amount
    if measure in _SIGNED and clause.endswith(rules.decrease_before):
        value = -value  # "比上年减少11%": a fall, stored as a negative change
    if qualifier == "exact":
        for word, qual in rules.before:
            if word in rules.clause_qualifiers and word in clause:
                qualifier, wording = qual, word
                break
    if match.group("cn") and text.startswith(rules.abstract_nouns, pos):
        return None  # "两条主线", "三个方面": a figure of speech, not a count
    return _Fact(start, pos, value, measure, qualifier, "", wording=wording)


def _session_ordinal(text: str, start: int, end: int) -> bool:
    """A numeral that names a session (十一届三次全会, 三次、四次全会), not a count of meetings."""
    rules = _rules()
    if start and text[start - 1] == "届":
        return True
    after = re.sub(rf"^[次]?(?:、[{_LEADING_CN}\d]+次)*", "", text[end : end + 24])
    return after.startswith(rules.session_words)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when ``offset`` falls in one of ``spans`` (disjoint, sorted)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _fixed_phrase_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for phrase in _rules().fixed:
        for found in re.finditer(re.escape(phrase), text):
            spans.append((found.start(), found.end()))
    for found in re.finditer(
        r"《[^》\n]{1,60}》|〔[^〕\n]{1,12}〕|（\d{4}[-－—～~至]\d{4}年?）|“[^”\n]{1,10}”", text
    ):
        spans.append((found.start(), found.end()))
    return _merged(spans)


# --- subjects ----------------------------------------------------------------------------------


def _clause_before(text: str, start: int) -> str:
    return text[_clause_start(text, start) : start]


def _with_subjects(text: str, fact: _Fact, previous: _Fact | None) -> list[_Fact]:
    clause_start = _clause_start(text, fact.start)
    if previous is not None and previous.end > clause_start:
        clause_start = previous.end
    before = text[clause_start : fact.start].lstrip("、，")
    after = _subject_after(text, fact.end, fact.measure)
    fact.after_text = text[fact.end : fact.end + 2]
    # One value shared by several subjects: "知晓率、满意度均达95%".
    listing = re.search(
        r"((?:[\u4e00-\u9fff]{1,10}[、和及与])+[\u4e00-\u9fff]{1,10}?)(?:均|都)?(?:达到?|为|是|保持)?$",
        before,
    )
    names = _shared_names(listing.group(1)) if listing and not after else []
    if len(names) > 1:
        # "知晓率、满意度均达95%", "参考率、通过率和优秀率100%": one fact per subject.
        return [
            _Fact(
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
        fact.subject = _clean_before(before) or _clean_before(_previous_clause(text, clause_start))
    if (
        _BARE_RATE.fullmatch(fact.subject)
        and previous is not None
        and previous.start >= _sentence_start(text, fact.start)
    ):
        # "办结热线工单2,860件，满意率95.2%": the rate is of what the sentence just counted.
        fact.subject = _strip_verb(previous.subject) + fact.subject
    fact.subject = _shorten(fact.subject)
    fact.segment_start = clause_start
    return [fact]


_BARE_RATE = re.compile(r"[\u4e00-\u9fff]{1,3}率")


def _shared_names(listing: str) -> list[str]:
    """The subjects of "A、B和C" sharing one figure, when each is a rate or a degree."""
    names = [n for n in listing.split("、") if n]
    last = words(names[-1]) if names else []
    joined = [i for i, w in enumerate(last) if w in ("和", "及", "与")]
    if joined:  # 通过率和优秀率: split on 和 only where it is a word of its own
        cut = sum(len(w) for w in last[: joined[-1]])
        names[-1:] = [names[-1][:cut], names[-1][cut + 1 :]]
    if len(names) > 1 and all(re.search(r"(率|度|比例)$", n) for n in names):
        names[0] = _clean_before(names[0])
        return [_shorten(n) for n in names]
    return []


def _strip_verb(subject: str) -> str:
    """A subject without its leading verb: 办结热线工单 → 热线工单."""
    for verb in _rules().achievement_verbs:
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
    rules = _rules()
    for word, _ in rules.after:
        if text.startswith(word, pos):
            pos += len(word)
            break
    end = pos
    while end < len(text) and text[end] not in _CLAUSE_END + "、（“”《" and end - pos < 24:
        end += 1
    phrase = text[pos:end]
    if _opens_parts(text, pos, measure):
        return ""  # "40人中本科12人": the whole of a composition, its subject comes before
    phrase = re.split(rf"{_ARABIC}|[{_LEADING_CN}]+[次名人个件]", phrase)[0]
    for stop in rules.subject_stops:
        index = phrase.find(stop)
        if index == 0:
            return ""
        if index > 0:
            phrase = phrase[:index]
    phrase = re.sub(r"(的|了|，)$", "", phrase)
    if len(phrase) > 12:
        ends = [b for b in sorted(word_bounds(phrase)) if 2 <= b <= 12]
        phrase = phrase[: ends[-1]] if ends else phrase[:12]
    return phrase


def _previous_clause(text: str, clause_start: int) -> str:
    if clause_start <= 1:
        return ""
    end = clause_start - 1
    return text[_clause_start(text, end) : end]


def _clean_before(phrase: str) -> str:
    """The subject in the words before a number, cut only between words."""
    rules = _rules()
    phrase = re.sub(r"^以(.+?)为例$", r"\1", phrase)
    phrase = re.sub(r"\d{1,2}月(\d{1,2}日)?|截至|截止", "", phrase)
    phrase = _strip_words(phrase, rules.subject_prefixes, front=True)
    counted = re.search(r"\d[\d.,]*[\u4e00-\u9fff]{0,2}[、，]?$", phrase)
    if counted and counted.start() >= 2:  # 接待群众来访163批次、412人次 → 接待群众来访
        phrase = phrase[: counted.start()]
    for word, _ in rules.before:
        if phrase.endswith(word) and _ends_on_word(phrase, len(phrase) - len(word)):
            phrase = phrase[: -len(word)]
            break
    phrase = _strip_words(phrase, rules.subject_trailing, front=False)
    verb = _LAST_VERB.search(phrase)
    if verb and len(phrase) - verb.end() >= 2 and _ends_on_word(phrase, verb.end()):
        phrase = phrase[verb.end() :]
    phrase = _strip_words(phrase, rules.subject_trailing, front=False)
    if "的" in phrase[:-1]:
        head, tail = phrase.rsplit("的", 1)
        # "取得资格的人员": a generic head noun; what is counted is said before 的.
        phrase = head if tail in _GENERIC_HEADS or not tail else tail
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


# --- kinds and compositions --------------------------------------------------------------------


_OPENER = re.compile(
    r"(?P<noun>[\u4e00-\u9fff（）]{0,8}?)中(?![心央国华小学型间层期队])[，,：]?|[，,。；]?其中[，,：]?"
)


def _opens_parts(text: str, pos: int, measure: str) -> bool:
    """True right after "40人" in "40人中本科12人": a part of a compatible measure follows."""
    opener = _OPENER.match(text, pos)
    if not opener or opener.group("noun") != "":
        return False
    part = _NUMBER.search(text, opener.end(), opener.end() + 14)
    return bool(part) and any(
        text.startswith(raw, part.end()) and _same_count(norm, measure)
        for raw, norm in _rules().measures
    )


def _same_count(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _SAME_COUNT)


def _compositions(text: str, facts: list[_Fact]) -> list[_Fact]:
    """Mark parts of a stated whole ("40人中本科12人…", "…412件，…，其中…70余件") and add remainders."""
    derived: list[_Fact] = []
    taken: set[int] = set()
    for index, fact in enumerate(facts):
        opener = _OPENER.match(text, fact.end)
        if not opener or index in taken:
            continue
        parts_end = _sentence_end(text, opener.end())
        following = [f for f in facts[index + 1 :] if f.start < parts_end]
        if not following or (
            opener.group("noun") is not None and following[0].start - opener.end() > 14
        ):
            continue
        candidates = [fact]
        if opener.group("noun") is None:  # 其中 refers back to the sentence's first such figure
            sentence_start = _sentence_start(text, fact.start)
            candidates = [f for f in facts[: index + 1] if f.start >= sentence_start]
        whole = next((c for c in candidates if _same_count(c.measure, following[0].measure)), None)
        if whole is None:
            continue
        parts = []
        for part in following:
            if not _same_count(part.measure, whole.measure):
                break
            parts.append(part)
        if opener.group("noun"):
            whole.subject = opener.group("noun")
        if whole.measure in _PEOPLE_LIKE and whole.kind == "achievement":
            whole.kind = "status"
        for part in parts:
            taken.add(facts.index(part))
            part.kind, part.of = "composition", whole.subject
            part_start = max(_part_start(text, part), opener.end())
            part.subject = _clean_before(text[part_start : part.start]) or part.subject
        derived.extend(_remainder(text, whole, parts, parts_end))
    out = sorted(facts + derived, key=lambda f: (f.start, f.origin != "extracted"))
    rules = _rules()
    for fact in out:
        if fact.kind == "achievement":
            fact.kind = _kind(text, fact, rules)
    return out


def _remainder(text: str, whole: _Fact, parts: list[_Fact], end: int) -> list[_Fact]:
    """The rest of a whole that the report names only in words ("其余为初中学历")."""
    remainder = whole.value - sum(p.value for p in parts)
    rest = re.search(
        r"(其他|其余|剩余|其它)(?:人员|的)?(?:为|是|均为|都是)?([^，。；\n]{1,20})",
        text[parts[-1].end : end],
    )
    if not rest or remainder <= 0 or any(p.qualifier != "exact" for p in [*parts, whole]):
        return []
    label = re.sub(r"(学历|人员|文化程度|等)$", "", rest.group(2)) or rest.group(2)
    start = parts[-1].end + rest.start()
    return [
        _Fact(
            start,
            parts[-1].end + rest.end(),
            remainder,
            parts[-1].measure,
            "exact",
            label,
            "composition",
            whole.subject,
            "derived",
        )
    ]


def _part_start(text: str, fact: _Fact) -> int:
    return max(_before(text, fact.start, _CLAUSE_END + "、"), 0) + 1


def _kind(text: str, fact: _Fact, rules: _Rules) -> str:
    sentence = text[_sentence_start(text, fact.start) : fact.start]
    if _plans(sentence, text[_clause_start(text, fact.start) : fact.start]):
        return "target"
    if fact.subject.endswith(rules.status_rates):
        return "status"  # 持证率, 配备率: the share of a standing stock
    if fact.measure in _NEVER_STATUS:
        return "achievement"
    segment = text[max(fact.segment_start, _clause_start(text, fact.start)) : fact.start]
    after = text[fact.end : _clause_end(text, fact.end)]
    if segment.endswith(rules.covered_before) or any(w in after for w in rules.achievement_after):
        return "achievement"  # 对102个领导班子进行考评, 6个村获评…: what the year's work reached
    opening = text[_sentence_start(text, fact.start) :][:6]
    if opening.startswith(rules.status_opening):
        return "status"  # "目前，全镇已建起7个…": a standing count, stated as of now
    lead = re.sub(r"^(?:截至(?:目前|年底|年末)|目前|现|全年|今年)", "", segment)
    if lead.startswith(rules.status_lead):
        return "status"  # 设置…等6个窗口: what stands, set up before or during the year
    if (
        segment.endswith(rules.status_before)
        or any(cue in segment for cue in rules.status_anywhere)
        or any(word in after for word in rules.status_after)
    ):
        return "status"
    scoped = any(cue in segment for cue in rules.status_scope)
    head = fact.subject.rstrip("）)")
    standing = any(head.endswith(word.rstrip("）)")) for word in rules.status_subjects)
    if (scoped or standing) and not any(verb in segment for verb in rules.achievement_verbs):
        return "status"
    return "achievement"


def _plans(sentence: str, clause: str) -> bool:
    """True when a sentence speaks of a plan or promise (计划…, 力争, 确保, 将…).

    Words inside a cited document's title (《…行动计划》) are not the report's own plans.
    """
    rules = _rules()
    sentence = re.sub(r"《[^》]*》", "《》", sentence)
    clause = re.sub(r"《[^》]*》", "《》", clause)
    return bool(rules.plan_word.search(sentence) or rules.plan_clause.search(clause))


def _plan_patterns(data: dict) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The plan cues of facts.yaml as two patterns: in the sentence, at the clause start."""

    def either(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    not_after = "".join(f"(?<!{re.escape(w)})" for w in data["plan_verb_not_after"])
    not_before = "|".join(map(re.escape, data["plan_verb_not_before"]))
    verb = f"{not_after}{re.escape(data['plan_verb'])}(?![\\d{_LEADING_CN}]|{not_before})"
    word = re.compile(f"{verb}|{either(data['plan_words'])}")
    opening = re.escape(data["plan_clause_word"])
    clause = re.compile(f"^(?:[^，；]{{0,4}}){opening}(?!{either(data['plan_clause_not_before'])})")
    return word, clause


@lru_cache(maxsize=8)  # one report's text at a time; its hash is computed once
def _marks(text: str, marks: str) -> list[int]:
    """Offsets of every character of ``marks`` in ``text``, in order."""
    return [m.start() for m in re.finditer(f"[{re.escape(marks)}]", text)]


def _before(text: str, pos: int, marks: str) -> int:
    """The offset of the last of ``marks`` before ``pos``, or -1."""
    found = _marks(text, marks)
    index = bisect.bisect_left(found, pos) - 1
    return found[index] if index >= 0 else -1


def _after(text: str, pos: int, marks: str) -> int:
    """The offset of the first of ``marks`` at or after ``pos``, or the text's length."""
    found = _marks(text, marks)
    index = bisect.bisect_left(found, pos)
    return found[index] if index < len(found) else len(text)


def _clause_start(text: str, pos: int) -> int:
    return _before(text, pos, _CLAUSE_END) + 1


def _clause_end(text: str, pos: int) -> int:
    return _after(text, pos, _CLAUSE_END)


def _sentence_start(text: str, pos: int) -> int:
    return _before(text, pos, _SENTENCE_END) + 1


def _sentence_end(text: str, pos: int) -> int:
    return _after(text, pos, _SENTENCE_END)


# --- rows ---------------------------------------------------------------------------------------


def _around(text: str, fact: _Fact) -> str:
    """The words around a figure, where its subject was read (before it, or right after)."""
    return text[max(0, fact.start - 40) : fact.end + 30]


def _row(report: Report, fact: _Fact) -> dict[str, Any]:
    section = report.section_at(fact.start)
    part = section.part if section else None
    kind = fact.kind
    if part == "next_steps" and fact.origin == "extracted" and kind not in ("composition",):
        kind = "target"
    sentence_start = _sentence_start(report.plain, fact.start)
    sentence_end = min(_sentence_end(report.plain, fact.end) + 1, len(report.text))
    sentence = report.text[sentence_start:sentence_end].strip()
    indicator = match_indicator(fact.subject, fact.measure, sentence)
    dimension = (
        (indicator.dimension if indicator else None)
        or classify_dimension("", sentence)
        or (section.dimension if section else None)
    )
    section_path = section.path if section else ""
    key = f"{report.report_id}|{section_path}|{fact.subject}|{fact.measure}|{fact.start}|{fact.origin}"
    return {
        "report_id": report.report_id,
        "fact_id": "F" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10],
        "part": part,
        "section": section_path,
        "dimension": dimension,
        "indicator": indicator.id if indicator else None,
        "subject": fact.subject,
        "value": float(fact.value),
        "measure": fact.measure,
        "qualifier": fact.qualifier,
        "kind": kind,
        "of": fact.of or None,
        "start": fact.start,
        "end": fact.end,
        "sentence": sentence,
        "origin": fact.origin,
        # A subject the rules could not make whole words: an analyst checks it (待核).
        "wording": fact.wording or None,
        "review": "subject"
        if subject_problems(fact.subject, _around(report.plain, fact))
        else None,
    }
