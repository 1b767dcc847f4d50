"""Documents into a ``Report``: metadata, section tree, parts and dimensions, inline items.

Takes a report file (or its text) and gives a ``Report``: the normalised text
(``lawnb.read.normalize``), its metadata (``lawnb.read.metadata``), its sections
(``lawnb.read.headings``) classified into the mandated parts and the ten dimensions
(``lawnb.read.taxonomy``). Every offset points into the normalised text. Input that is not
one readable report raises ``ReportReadError``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lawnb.errors import ReportReadError
from lawnb.names import NAME_RULE_TEXT, is_report_year, name_problem, shown_name
from lawnb.names import report_id as make_report_id
from lawnb.read.headings import (
    HEADING_NUMERALS,
    Section,
    find_items,
    find_sections,
    match_heading,
)
from lawnb.read.metadata import read_metadata
from lawnb.read.normalize import normalize_text, simplified
from lawnb.read.places import parse_place
from lawnb.read.sources import SUPPORTED_SUFFIXES, load_text
from lawnb.read.taxonomy import classify_dimension, classify_part, part_rules
from lawnb.read.words import alternation
from lawnb.ruledata import load_rules
from lawnb.schema import GUESSABLE_FIELDS, TRUSTED_META_SOURCES, confidence_of

__all__ = ["Report", "parse_text", "read_report"]


@dataclass
class Report:
    """A report read into metadata, a flat pre-order list of sections, and its normalised text."""

    text: str
    title: str | None
    district: str | None
    unit: str | None
    level: str | None
    year: int | None
    source: str
    sha256: str
    sections: list[Section]
    # Metadata field (title, unit, district, level, year) -> where it was read from: one of
    # ``lawnb.schema.META_SOURCES``.
    meta_sources: dict[str, str] = field(default_factory=dict)
    # Where the report's own text starts: after page chrome, metadata and the title.
    body_start: int = 0
    # The text in simplified characters, of the same length (``lawnb.read.normalize.simplified``).
    plain: str = ""

    def __post_init__(self) -> None:
        if len(self.plain) != len(self.text):
            self.plain = simplified(self.text)

    @property
    def meta_confidence(self) -> str:
        """high (title or user), medium (page metadata, addressee) or low (guessed from text)."""
        return confidence_of(self.meta_sources)

    @property
    def guessed_fields(self) -> list[str]:
        """Unit, district or year not read from the title nor given by the user."""
        return [
            name
            for name in GUESSABLE_FIELDS
            if self.meta_sources.get(name, "none") not in TRUSTED_META_SOURCES
        ]

    @property
    def report_id(self) -> str:
        """``district/unit/year``, the key of the report in a dataset."""
        return make_report_id(self.district or None, self.unit or None, self.year or None)

    def section_at(self, offset: int) -> Section | None:
        """The deepest section containing ``offset``, or None for the preamble."""
        found = None
        for section in self.sections:
            if section.start <= offset < section.end:
                found = section
        return found

    def own_ranges(self, section: Section) -> list[tuple[int, int]]:
        """The spans of a section's own text: its body minus its subsections."""
        children = [
            s
            for s in self.sections
            if s.parent == section.path and section.start <= s.start < section.end
        ]
        ranges, cursor = [], section.body_start
        for child in sorted(children, key=lambda s: s.start):
            if child.start > cursor:
                ranges.append((cursor, child.start))
            cursor = max(cursor, child.end)
        if cursor < section.end:
            ranges.append((cursor, section.end))
        return ranges


def read_report(
    source: str | Path,
    *,
    title: str | None = None,
    district: str | None = None,
    unit: str | None = None,
    level: str | None = None,
    year: int | None = None,
) -> Report:
    """Read a report from a file path or from its text, inferring what the caller does not give.

    A ``str`` is taken as a path when it is a single short line naming a supported file type
    or an existing file; anything else is the report's text.

    Raises ``ReportReadError`` (naming the file) for what cannot be read as one report: see
    ``lawnb.read.sources.load_text`` for files; a unit or district given that
    ``lawnb.names.name_problem`` refuses (path syntax, invisible characters, too long …), a year
    out of range; text holding two reports pasted together
    (a second report title after the first heading). A *file* made of short numbered headings
    only (an outline without any text) is refused too; text given directly is read as it is,
    for ``lawnb.analyse.audit`` to report on. A report without any numbered heading is read (prose
    reports exist): ``lawnb.analyse.audit`` flags it (``no_sections``).
    """
    from_file = isinstance(source, Path) or _looks_like_path(source)
    origin = str(source) if from_file else "<text>"
    _check_overrides(origin, unit=unit, district=district, year=year)
    if from_file:
        path = Path(source)
        raw = load_text(path)
        origin, stem = str(path), path.stem
    else:
        raw, origin, stem = str(source), "<text>", ""
    text = normalize_text(raw)
    if not text:
        raise ReportReadError(f"{origin}: 没有任何文字内容 (no text)。")
    text = _restore_line_breaks(text)
    report = parse_text(
        text,
        source=origin,
        file_stem=stem,
        title=title,
        district=district,
        unit=unit,
        level=level,
        year=year,
    )
    _check_single_report(report)
    if from_file:
        _check_structure(report)
    return report


# --- input checks ---------------------------------------------------------------------------

_SECOND_TITLE = re.compile(
    r"^[^。，；：:]{0,40}(?:19|20)\d{2}\s*年[^。，；：:]{0,30}法治[^。，；：:]{0,20}报告\S{0,6}$"
)
_CONTENT_MARKS = re.compile(r"[。，；：！？]")


def _check_overrides(
    origin: str, *, unit: str | None, district: str | None, year: int | None
) -> None:
    """Metadata given by the caller that would make a bad report_id or output path."""
    for label, value in (("单位 (unit)", unit), ("区县 (district)", district)):
        if value is None or value == "":
            continue
        if not isinstance(value, str) or not value.strip():
            raise ReportReadError(f"{origin}: {label} 应为非空文本，得到 {shown_name(value)}。")
        problem = name_problem(value)
        if problem:
            raise ReportReadError(
                f"{origin}: {label} {shown_name(value)} {problem}，不能用作数据集中的名称和输出文件名。"
                f"请改用单位的中文全称（{NAME_RULE_TEXT}）。"
            )
    if year is not None and not is_report_year(year):
        raise ReportReadError(f"{origin}: 年度 (year) 应为四位数的年份（如 2021），得到 {year!r}。")


def _check_single_report(report: Report) -> None:
    """Refuse text holding two reports: a second report title after the first heading."""
    if not report.sections:
        return
    offset = 0
    for number, line in enumerate(report.text.split("\n"), start=1):
        if (
            offset > report.sections[0].start
            and _SECOND_TITLE.match(line)
            and match_heading(line, offset) is None
        ):
            first = f"“{report.title}”" if report.title else "开头的报告"
            raise ReportReadError(
                f"{report.source}: 第 {number} 段又出现一个报告标题“{line}”（前面已有{first}）："
                "一个文件里似乎粘贴了两份报告。请把每份报告单独保存为一个文件后再导入。"
            )
        offset += len(line) + 1


def _check_structure(report: Report) -> None:
    """Refuse a document without any text under its title: an outline of headings, a bare title.

    A line carries text when it holds sentence punctuation or is longer than a heading usually
    is; a heading carries text when its paragraph follows on the same line.
    """
    limit = report.sections[0].start if report.sections else len(report.text)
    title_end = min(report.body_start, limit)
    offset = 0
    for line in report.text.split("\n"):
        if offset >= title_end and _carries_text(line, offset):
            return
        offset += len(line) + 1
    if report.sections:
        raise ReportReadError(
            f"{report.source}: 只有 {len(report.sections)} 个标题，标题下没有任何正文，像是一份提纲。"
            "请导入完整的报告。"
        )
    raise ReportReadError(f"{report.source}: 只有标题，没有正文。请导入完整的报告。")


def _carries_text(line: str, offset: int) -> bool:
    heading = match_heading(line, offset)
    if heading is None:
        return bool(_CONTENT_MARKS.search(line)) or len(line) > 25
    return (
        heading.body_start < offset + len(line)
        or bool(_CONTENT_MARKS.search(heading.title))
        or len(heading.title) > 25
    )


def _looks_like_path(source: str) -> bool:
    if "\n" in source or len(source) > 400:
        return False
    return Path(source).suffix.lower() in (*SUPPORTED_SUFFIXES, ".doc") or Path(source).exists()


def parse_text(
    text: str,
    *,
    source: str = "<text>",
    file_stem: str = "",
    title: str | None = None,
    district: str | None = None,
    unit: str | None = None,
    level: str | None = None,
    year: int | None = None,
) -> Report:
    """Parse normalised text into a ``Report`` (metadata given by the caller wins).

    Headings, parts and metadata are read on the simplified-character view of the text
    (``Report.plain``); the text itself and the title stay as written.
    """
    plain = simplified(text)
    sections = find_sections(plain)
    body_start = sections[0].start if sections else len(text)
    meta = read_metadata(text, plain, body_start, file_stem)
    report = Report(
        text=text,
        title=title or meta.title,
        district=district or meta.district,
        unit=unit or meta.unit,
        level=level or meta.level,
        year=year or meta.year,
        source=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sections=sections,
        body_start=min(meta.body_start, body_start),
        plain=plain,
    )
    given = {"title": title, "district": district, "unit": unit, "level": level, "year": year}
    for name, value in given.items():
        report.meta_sources[name] = "override" if value else meta.sources.get(name, "none")
    if unit and unit != meta.unit and not district:
        # A unit given by the user that is not the one read: the district read belongs to
        # the other unit. The user's own name may carry its district (青川县柳溪乡).
        place = parse_place(unit)
        if not level and place:
            report.level = place.level
        if place and place.parent:
            report.district, report.meta_sources["district"] = place.parent[0], "override"
        else:
            report.district, report.meta_sources["district"] = None, "none"
    _classify(report)
    for section in report.sections:
        section.items = find_items(report.text, report.own_ranges(section))
    return report


# --- line breaks ---------------------------------------------------------------------------

_CN = HEADING_NUMERALS
_INLINE_BREAK = re.compile(
    rf"(?<=[。！？；：”])(?=第[{_CN}]+部分|[{_CN}]{{1,2}}、|（[{_CN}\d]{{1,2}}）|\d{{1,2}}[.、](?!\d))"
    rf"|(?<=[^\n])(?=第[{_CN}]+部分|（[{_CN}]{{1,2}}）)"
)


@cache
def _title_endings() -> str:
    """The endings of a title at the start of a flattened document, as a regex alternation."""
    return alternation(load_rules("structure.yaml")["flattened_title_endings"], longest_first=False)


def _restore_line_breaks(text: str) -> str:
    """Put back the paragraph breaks of a document flattened to one line, before headings.

    Only a line that holds most of the text is re-broken (a Word dump after a file-name
    line, a whole web page on one line): its title, if it starts with one, and its headings
    after a sentence end go on lines of their own.
    """
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    line = lines[longest]
    if len(line) <= 200 or len(line) < 0.6 * len(text):
        return text
    head = re.match(rf"^(.{{6,80}}?(?:{_title_endings()}))(?=.)", line)
    if head and "。" not in head.group(1):
        line = head.group(1) + "\n" + line[head.end() :]
    lines[longest] = _INLINE_BREAK.sub("\n", line)
    return "\n".join(lines)


# --- parts and dimensions --------------------------------------------------------------------


def _classify(report: Report) -> None:
    _, default = part_rules()
    by_path = {s.path: s for s in report.sections}
    seen_late_part = False
    for section in report.sections:
        own = classify_part(section.title)
        if section.level == 1:
            if own is None:
                own = "other" if seen_late_part and default == "measures" else default
            seen_late_part = seen_late_part or own in ("shortcomings", "next_steps", "other")
            section.part = own
        else:
            parent = by_path.get(section.parent or "")
            inherited = parent.part if parent else default
            # Only a strong, different signal overrides the parent (a nested first-responsible part).
            section.part = own if own in ("first_responsible",) else inherited
        own_text = "".join(report.text[a:b] for a, b in report.own_ranges(section))
        section.dimension = classify_dimension(section.title, own_text)
