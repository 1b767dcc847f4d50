"""The lines before a report's first heading: what kind each is, and which one is the title.

Web pages put a lot before a report's title: site names, breadcrumbs, metadata blocks,
publication dates, view counters; documents put document numbers, addressees and cover
letters. This module takes the simplified-character text and gives its first lines sorted
into those kinds (``Line``), the title-like blocks among them, the one chosen as the title,
and the unit and year a title names before its subject. The words are data:
``lawnb/rules/metadata.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lawnb.read.places import HAN, Place, parse_place, suffix_chars
from lawnb.read.words import alternation, word_bounds
from lawnb.ruledata import load_rules

YEAR = re.compile(r"(?<![\d\-/.])((?:19|20)\d{2})\s*年(?!\d)")  # group 1: the year
YEAR_RANGE = re.compile(r"[（(]?\d{4}\s*[-－—~～至到]+\s*\d{4}\s*年?[)）]?")  # a plan's years
SENTENCE_MARKS = re.compile(r"[。；！？]")


@dataclass(frozen=True)
class _Rules:
    chrome: re.Pattern[str]
    meta_key: re.Pattern[str]
    date_line: re.Pattern[str]
    doc_number: re.Pattern[str]
    watermark: re.Pattern[str]
    title_words: tuple[str, ...]
    lead_openings: tuple[str, ...]
    title_who: re.Pattern[str]


@cache
def _rules() -> _Rules:
    data = load_rules("metadata.yaml")
    keys = alternation(data["metadata_keys"])
    year = r"(?:19|20)\d{2}"
    ends = alternation(data["title_who_ends"], longest_first=False)
    return _Rules(
        chrome=re.compile("|".join(f"(?:{p})" for p in data["page_chrome"])),
        meta_key=re.compile(rf"^[-•·|\[【\s]*(?:{keys})|(?:{keys})\s*[\]】]?\s*[：:|]"),
        date_line=re.compile(data["date_line"]),
        doc_number=re.compile(data["doc_number"]),
        watermark=re.compile(data["watermark"]),
        title_words=tuple(data["title_words"]),
        lead_openings=tuple(data["lead_openings"]),
        title_who=re.compile(
            rf"^(?:(?P<y1>{year})\s*年度?)?(?P<who>[{HAN}（）]*?)(?:(?P<y2>{year})\s*年|{ends}|$)"
        ),
    )


@dataclass
class Line:
    """A line of the text before the first heading, with its offset and kind."""

    text: str
    start: int
    kind: str  # chrome, meta, date, docno, addressee, attachment, sentence, text


def _line_kind(line: str) -> str:
    rules = _rules()
    if rules.meta_key.search(line) and len(line) < 160:
        return "meta"
    if rules.chrome.search(line) and not SENTENCE_MARKS.search(line):
        return "chrome"
    if rules.date_line.search(line):
        return "date"
    if rules.doc_number.search(line) and len(line) <= 50:
        return "docno"
    if re.match(r"^附件\s*\d*[:：]?$", line) or re.search(r"\.(docx?|pdf|wps|txt)$", line, re.I):
        return "attachment"
    if line.startswith(rules.lead_openings) and re.search(r"[，,：:]", line):
        return "sentence"
    if (
        re.search(r"[：:]$", line)
        and len(line) <= 40
        and "。" not in line
        and not re.search(r"如下[：:]$|^(?:19|20)\d{2}\s*年", line)
    ):
        return "addressee"
    if SENTENCE_MARKS.search(line) or "，" in line or len(line) > 60:
        return "sentence"
    return "text"


def head_lines(text: str, limit: int) -> list[Line]:
    """The first lines (60 at most) of ``text[:limit]``, each with its kind."""
    out, offset = [], 0
    for line in text[:limit].split("\n")[:60]:
        out.append(Line(line, offset, _line_kind(line)))
        offset += len(line) + 1
    return out


# --- title -------------------------------------------------------------------------------------


def _clean_title(text: str, start: int, end: int) -> tuple[int, int]:
    """The title's span without a watermark before it or a date after it."""
    rules = _rules()
    mark = rules.watermark.search(text[start:end])
    if mark:
        start += mark.end()
    date = re.search(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*$", text[start:end])
    if date:
        end = start + date.start()
    return start, end


def is_title(plain: str) -> bool:
    """True when ``plain`` reads as a report's title: a title word, no sentence, 6-90 characters."""
    rules = _rules()
    return (
        any(word in plain for word in rules.title_words)
        and 6 <= len(plain) <= 90
        and "*" not in plain
        and not plain.startswith(rules.lead_openings)
        and not SENTENCE_MARKS.search(plain)
    )


def title_candidates(plain: str, lines: list[Line]) -> list[tuple[int, int, str]]:
    """(start, end, joined text) of every title-like block: a line, or two lines joined."""
    found = []
    for index, line in enumerate(lines):
        if line.kind not in ("text", "sentence") or (
            line.kind == "sentence" and len(line.text) > 90
        ):
            continue
        start, end = _clean_title(plain, line.start, line.start + len(line.text))
        here = plain[start:end]
        previous = lines[index - 1] if index else None
        if (
            previous is not None
            and previous.kind == "text"
            and len(previous.text) <= 40
            and not is_title(previous.text)
            and is_title(previous.text + here)
            and (len(here) <= 30 or not parse_place_prefix(here))
        ):
            p_start, _ = _clean_title(plain, previous.start, previous.start + len(previous.text))
            found.append(
                (p_start, end, plain[p_start : previous.start + len(previous.text)] + here)
            )
        elif is_title(here) and line.kind == "text":
            found.append((start, end, here))
    return found


def parse_place_prefix(title: str) -> Place | None:
    """The unit a title names before its year or 关于 (海安镇2020年…, 贤庠镇人民政府关于…)."""
    who = title_who(title)[0]
    return parse_place(who) if who else None


def title_who(title: str) -> tuple[str, int | None]:
    """The name a title starts with (before its year or 关于 …) and the year it names."""
    match = _rules().title_who.match(title)
    if not match:
        return "", None
    year = match.group("y1") or match.group("y2")
    if year is None:
        found = YEAR.search(YEAR_RANGE.sub("", title))
        year = found.group(1) if found else None
    return match.group("who"), int(year) if year else None


def pick_title(plain: str, candidates: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The title right above the body; an earlier intact copy wins over a damaged later one."""
    if not candidates:
        return None
    last = candidates[-1]
    for earlier in candidates[:-1]:
        whole = earlier[2]
        if whole != last[2] and whole.endswith(last[2]):
            cut = len(whole) - len(last[2])
            if not _word_boundary(whole, cut):
                return earlier
    return last


def _word_boundary(text: str, offset: int) -> bool:
    """True when ``offset`` falls between two words of ``text``.

    The segmenter glues short place names (海东市乐都区共和乡 → 共和, 乡), so a cut right after
    an administrative suffix counts as a boundary too.
    """
    return offset in word_bounds(text) or (offset > 0 and text[offset - 1] in suffix_chars())


def join_title(text: str, chosen: tuple[int, int, str]) -> str:
    """The chosen title as written (traditional characters kept), its lines joined."""
    start, end, _ = chosen
    return re.sub(r"\s*\n\s*", "", text[start:end]).strip()
