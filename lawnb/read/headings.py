"""The section tree: numbered headings in a report's text → ``Section`` list, with inline items.

Takes the normalised text of a report, in simplified characters, and gives its sections as a
flat pre-order list (number, path, level, title, offsets; parts and dimensions are classified
later by ``lawnb.read.reader``); ``find_items`` gives the inline items (一是 …, 首先 …) of a
section's own text. The heading styles (第一部分, 一、, （一）, （1）, 1., 1、) are one table,
``HEADING_STYLES``: the reader matches them at the start of a line, and ``number_style`` tells
the style of a number already stored in a sections table. The order words are data:
``lawnb/rules/structure.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lawnb.read.numerals import ordinal_value
from lawnb.read.taxonomy import classify_part
from lawnb.ruledata import load_rules

# The Chinese numerals that number headings (一 to 十 and their compounds).
HEADING_NUMERALS = "一二三四五六七八九十"
_CN = HEADING_NUMERALS


@dataclass(frozen=True)
class HeadingStyle:
    """One way of numbering headings; in each pattern, group 1 is the numeral."""

    id: str
    line: re.Pattern[str]  # a heading of this style at the start of a line
    number: re.Pattern[str]  # a stored section number of this style, whole
    format: str  # the stored number of a numeral (一 → 一、)


# In the order a line is tried against them.
HEADING_STYLES: tuple[HeadingStyle, ...] = (
    HeadingStyle(
        "part",
        re.compile(rf"^第([{_CN}]+)部分[、：:　 ]?"),
        re.compile(r"^第(.+)部分$"),
        "第{}部分",
    ),
    HeadingStyle(
        "cn",
        re.compile(rf"^([{_CN}]+)[、.．](?![{_CN}]?是)"),
        re.compile(rf"^([{_CN}]+)[、.．]$"),
        "{}、",
    ),
    HeadingStyle(
        "cn_paren",
        re.compile(rf"^（?([{_CN}]+)）[、.]?"),
        re.compile(rf"^（([{_CN}]+)）$"),
        "（{}）",
    ),
    HeadingStyle(
        "ar_paren", re.compile(r"^（(\d{1,2})）[、.]?"), re.compile(r"^（(\d+)）$"), "（{}）"
    ),
    HeadingStyle("ar_dot", re.compile(r"^(\d{1,2})[.](?!\d)"), re.compile(r"^(\d+)\.$"), "{}."),
    HeadingStyle("ar_dun", re.compile(r"^(\d{1,2})、"), re.compile(r"^(\d+)、$"), "{}、"),
)


def number_style(number: str) -> tuple[str, int | None]:
    """The style id and ordinal of a stored section number: （二） → ("cn_paren", 2).

    A number written in none of the styles gives ("other", None).
    """
    for style in HEADING_STYLES:
        match = style.number.match(number)
        if match:
            return style.id, ordinal_value(match.group(1))
    return "other", None


@dataclass
class Item:
    """An inline enumeration item (一是, 二是 … or 首先, 其次 …) of a section."""

    marker: str
    start: int
    end: int


@dataclass
class Section:
    """A numbered heading and the text under it, down to the next heading at its level or above."""

    number: str
    path: str
    level: int
    title: str
    start: int
    end: int
    body_start: int
    style: str
    ordinal: int | None
    parent: str | None = None
    part: str | None = None
    dimension: str | None = None
    items: list[Item] = field(default_factory=list)


@dataclass
class Heading:
    """A numbered heading line: its style, numeral, stored number, title and offsets."""

    style: str
    numeral: str
    number: str
    title: str
    start: int
    body_start: int


_RUN_IN_ITEM = re.compile(r"(?<=[\u4e00-\u9fff])\d{1,2}[.．](?=[\u4e00-\u9fff])")


def match_heading(line: str, offset: int) -> Heading | None:
    """The heading that ``line`` (starting at ``offset`` in the text) opens, or None."""
    for style in HEADING_STYLES:
        match = style.line.match(line)
        if not match:
            continue
        rest = line[match.end() :].lstrip()
        if not rest or rest[0] in "是、，。":
            return None
        numeral = match.group(1)
        stop, skip = rest.find("。"), 1
        run_in = _RUN_IN_ITEM.search(rest, 0, 80)
        if run_in and (stop < 0 or run_in.start() < stop):
            # "（四）聚焦重点任务1.深化…": the title ends where a run-in item starts
            stop, skip = run_in.start(), 0
        if 0 <= stop < len(rest) - 1:
            heading_title, body = rest[:stop], offset + len(line) - len(rest) + stop + skip
        else:
            heading_title, body = rest, offset + len(line) + 1
        if len(heading_title) > 80:
            return None  # a numbered paragraph of prose, not a heading
        return Heading(style.id, numeral, style.format.format(numeral), heading_title, offset, body)
    return None


def find_sections(text: str) -> list[Section]:
    """Every numbered heading of ``text`` as a section, in reading order, nested by style.

    A style's level is where it first appears; the same style reused one level down (一、
    under 一、, restarting at 1) becomes a style of its own (``cn#2``).
    """
    headings: list[Heading] = []
    offset = 0
    for line in text.split("\n"):
        heading = match_heading(line, offset)
        if heading:
            headings.append(heading)
        offset += len(line) + 1

    sections: list[Section] = []
    stack: list[str] = []  # style ids, index = level - 1
    last_at_level: dict[int, Section] = {}
    top_part: str | None = None
    for heading in headings:
        ordinal = ordinal_value(heading.numeral)
        style = heading.style
        if style in stack:
            level = stack.index(style) + 1
            previous = last_at_level.get(level)
            restarts = (
                ordinal == 1
                and previous is not None
                and previous.ordinal is not None
                and level == len(stack)
                and not (level > 1 and last_at_level.get(level - 1) is not previous)
            )
            if restarts:  # the same style reused one level down ("一、" under "一、")
                style = f"{style}#{level + 1}"
                stack.append(style)
                level += 1
            elif f"{style}#{level + 1}" in stack:
                deeper = stack.index(f"{style}#{level + 1}") + 1
                heading_part = classify_part(heading.title)
                if heading_part is None or heading_part == top_part:
                    level, style = deeper, f"{style}#{level + 1}"
            del stack[level:]
        else:
            stack.append(style)
            level = len(stack)
        parent = last_at_level.get(level - 1) if level > 1 else None
        path = f"{parent.path}/{heading.number}" if parent else heading.number
        section = Section(
            number=heading.number,
            path=path,
            level=level,
            title=heading.title,
            start=heading.start,
            end=len(text),
            body_start=min(heading.body_start, len(text)),
            style=style,
            ordinal=ordinal,
            parent=parent.path if parent else None,
        )
        if level == 1:
            top_part = classify_part(heading.title) or top_part
        for deeper_level in [k for k in last_at_level if k >= level]:
            last_at_level.pop(deeper_level)
        last_at_level[level] = section
        sections.append(section)
    for index, section in enumerate(sections):
        for later in sections[index + 1 :]:
            if later.level <= section.level:
                section.end = later.start
                break
    return sections


# --- inline items -------------------------------------------------------------------------------

_ITEM_MARK = re.compile(rf"(?:^|(?<=[\n。；：，！？”\s]))([{_CN}]{{1,3}})是(?=[^否的])")


@cache
def order_words() -> tuple[str, ...]:
    """Words that number inline items in order (首先, 其次 …), from ``rules/structure.yaml``."""
    return tuple(load_rules("structure.yaml")["order_words"])


@cache
def _order_mark() -> re.Pattern[str]:
    words = "|".join(map(re.escape, order_words()))
    return re.compile(rf"(?:^|(?<=[\n。；：，！？”\s]))({words})(?=[，、：]|是)")


def find_items(text: str, ranges: list[tuple[int, int]]) -> list[Item]:
    """The inline items in ``ranges`` of ``text`` (a section's own text, without subsections).

    一是, 二是 … count only in order from 一是; failing those, the order words (首先, 其次 …)
    count when they come in order from the first, two at least.
    """
    items: list[Item] = []
    order = list(order_words())
    for start, end in ranges:
        chunk = text[start:end]
        marks: list[tuple[int, str]] = []
        expected = 1
        for match in _ITEM_MARK.finditer(chunk):
            if ordinal_value(match.group(1)) == expected:
                marks.append((start + match.start(1), match.group(1) + "是"))
                expected += 1
        if not marks:
            position = 0
            for match in _order_mark().finditer(chunk):
                word = match.group(1)
                if word in order[position:] and (marks or word == order[0]):
                    marks.append((start + match.start(1), word))
                    position = order.index(word) + 1
            if len(marks) < 2:
                marks = []
        for index, (offset, marker) in enumerate(marks):
            stop = marks[index + 1][0] if index + 1 < len(marks) else end
            items.append(Item(marker=marker, start=offset, end=stop))
    return items
