"""Structure and consistency findings for a report: what a reviewing office checks first.

``audit(report)`` returns one row per finding with the columns of ``AUDIT_COLUMNS``:

- ``code``: a stable English identifier (``missing_part``, ``numbering_gap`` …);
- ``severity``: ``error`` (a mandated element is absent or the report cannot be filed),
  ``warning`` (a defect a reviewer should look at) or ``info`` (worth knowing);
- ``message``: Chinese, saying what is wrong and what the reviewer should check;
- ``section``: the path of the section it refers to (``一、/（二）``) or ``""``;
- ``start``, ``end``: offsets into ``report.text`` of the place it refers to, or -1.

Severities, thresholds, the part order and the messages live in ``lawnb/rules/audit.yaml``
(read by ``lawnb.analyse.audit_rules``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from lawnb.analyse.audit_rules import SEVERITIES, audit_rules
from lawnb.errors import LawnbError
from lawnb.read.headings import Section
from lawnb.read.reader import Report
from lawnb.schema import PARTS

AUDIT_COLUMNS: tuple[str, ...] = ("code", "severity", "message", "section", "start", "end")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}年")


def audit(report: Report, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Structure and consistency findings for one report, errors first, then by position.

    ``facts`` is the report's facts table (``lawnb.extract.facts.extract_facts``); it is extracted
    when not given. A table holding several reports is narrowed to this report's ``report_id``.
    The checks, in brief (thresholds and wording in ``lawnb/rules/audit.yaml``):

    - metadata: no title, a title without the unit or the year, unit or year unknown;
    - no numbered heading at all (prose only): one warning, and no part-based check;
    - each mandated part (measures, first_responsible, shortcomings, next_steps) missing;
      ``other`` is optional;
    - a part heading with nothing under it (``empty_part``), any other empty section;
    - parts out of order (see ``must_precede``: first_responsible may stand anywhere before
      the next steps), a part nested inside another, a wrong year in a part heading;
    - numbering gaps, repeats and restarts among siblings, a style reused one level down;
    - the measures without a single figure, the next steps without a measurable target.
    """
    checker = _Auditor(report, facts)
    return checker.run()


def audit_table(reports: Iterable[Report], facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The findings of many reports in one table, with a leading ``report_id`` column.

    ``facts`` may hold the facts of all the reports (with a ``report_id`` column); each
    report's own rows are used, and reports without rows there are extracted afresh.
    """
    frames = []
    for report in reports:
        own = None
        if facts is not None and "report_id" in facts.columns:
            own = facts[facts["report_id"] == report.report_id]
            own = own if len(own) else None
        frame = audit(report, own)
        frame.insert(0, "report_id", report.report_id)
        frames.append(frame)
    columns = ["report_id", *AUDIT_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


# --- the checks -----------------------------------------------------------------------------


class _Auditor:
    def __init__(self, report: Report, facts: pd.DataFrame | None) -> None:
        self.report = report
        self.text = report.text
        self.rules = audit_rules()
        self._facts = facts
        self.rows: list[dict[str, Any]] = []
        self.sections = report.sections
        # Parent and children by position in the pre-order list (paths may repeat).
        self.parent: dict[int, int | None] = {}
        self.children: dict[int, list[int]] = {i: [] for i in range(len(self.sections))}
        stack: list[int] = []
        for index, section in enumerate(self.sections):
            while stack and self.sections[stack[-1]].level >= section.level:
                stack.pop()
            self.parent[index] = stack[-1] if stack else None
            if stack:
                self.children[stack[-1]].append(index)
            stack.append(index)

    def run(self) -> pd.DataFrame:
        self._metadata()
        if not self.sections:
            self._add("no_sections", start=0, end=len(self.text))
        else:
            self._parts()
            self._order()
            self._empty()
            self._numbering()
            self._figures()
        rank = {severity: i for i, severity in enumerate(SEVERITIES)}
        rows = sorted(self.rows, key=lambda r: (rank[r["severity"]], r["start"], r["end"]))
        return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))

    # --- helpers ------------------------------------------------------------------------

    def _add(
        self, code: str, *, section: str = "", start: int = -1, end: int = -1, **fields: Any
    ) -> None:
        entry = self.rules.findings[code]
        self.rows.append(
            {
                "code": code,
                "severity": entry["severity"],
                "message": entry["message"].format(**fields),
                "section": section,
                "start": int(start),
                "end": int(end),
            }
        )

    def _heading(self, section: Section) -> str:
        """The heading as written, shortened: ``三、存在的不足及原因``."""
        title = section.title if len(section.title) <= 30 else section.title[:30] + "…"
        return f"{section.number}{title}"

    def _heading_span(self, section: Section) -> tuple[int, int]:
        """Offsets of the heading line (number and title) of a section."""
        end = section.body_start
        line_end = self.text.find("\n", section.start)
        if 0 <= line_end < end:
            end = line_end
        return section.start, end

    def _add_at(self, code: str, section: Section, *, whole: bool = False, **fields: Any) -> None:
        start, end = (section.start, section.end) if whole else self._heading_span(section)
        fields.setdefault("heading", self._heading(section))
        self._add(code, section=section.path, start=start, end=end, **fields)

    def _opens_part(self, index: int) -> bool:
        """True when a section starts a part: a top-level one, or one whose part differs."""
        parent = self.parent[index]
        return parent is None or self.sections[parent].part != self.sections[index].part

    def _openings(self, part: str) -> list[int]:
        return [i for i, s in enumerate(self.sections) if s.part == part and self._opens_part(i)]

    def _has_content(self, index: int) -> bool:
        """True when a section has subsections or text of its own (a signature is not text)."""
        section = self.sections[index]
        if self.children[index]:
            return True
        if section.title.rstrip().endswith(tuple(self.rules.paragraph_endings)):
            return True
        body = self.text[section.body_start : section.end]
        for line in body.split("\n"):
            line = line.strip()
            if len(line) > self.rules.content_min_chars or any(
                mark in line for mark in self.rules.content_marks
            ):
                return True
        return False

    def facts(self) -> pd.DataFrame:
        if self._facts is None:
            from lawnb.extract.facts import extract_facts

            self._facts = extract_facts(self.report)
        facts = self._facts
        missing = {"part", "kind"} - set(facts.columns)
        if missing:
            raise LawnbError(
                f"事实表缺少 {sorted(missing)} 列：请传入 lawnb.extract.facts.extract_facts 的结果"
                "或含这些列的事实表。"
            )
        if "report_id" in facts.columns and (facts["report_id"] == self.report.report_id).any():
            facts = facts[facts["report_id"] == self.report.report_id]
        return facts

    # --- metadata -------------------------------------------------------------------------

    def _metadata(self) -> None:
        report = self.report
        title_start, title_end = self._title_span()
        if not report.title:
            self._add("missing_title")
        else:
            unit = report.unit or ""
            short = self.rules.unit_suffix.sub("", unit)
            if not unit or short not in report.title:
                hint = f"（识别到的单位为“{unit}”）" if unit else ""
                self._add(
                    "title_without_unit",
                    start=title_start,
                    end=title_end,
                    title=report.title,
                    unit_hint=hint,
                )
            if not (_YEAR.search(report.title) or _CN_YEAR.search(report.title)):
                hint = f"（识别到的年度为{report.year}年）" if report.year else ""
                self._add(
                    "title_without_year",
                    start=title_start,
                    end=title_end,
                    title=report.title,
                    year_hint=hint,
                )
        if not report.unit:
            self._add("missing_unit", start=title_start, end=title_end)
        if not report.year:
            self._add("missing_year", start=title_start, end=title_end)

    def _title_span(self) -> tuple[int, int]:
        title = self.report.title
        if not title:
            return -1, -1
        start = self.text.find(title)
        if start >= 0:
            return start, start + len(title)
        # A title spread over two lines: from its first characters to the end of its last.
        start = self.text.find(title[:6])
        if start < 0:
            return -1, -1
        tail = self.text.find(title[-4:], start)
        return start, (tail + 4 if tail >= 0 else start + len(title))

    # --- parts --------------------------------------------------------------------------------

    def _parts(self) -> None:
        present = {s.part for s in self.sections}
        for part in self.rules.mandated:
            if part not in present:
                self._add("missing_part", part=part, part_name=PARTS[part])
        for index, section in enumerate(self.sections):
            parent = self.parent[index]
            if parent is not None and self._opens_part(index):
                self._add_at(
                    "nested_part",
                    section,
                    part_name=PARTS.get(section.part or "", section.part),
                    parent=self._heading(self.sections[parent]),
                )
        self._heading_years()

    def _heading_years(self) -> None:
        year = self.report.year
        if not year:
            return
        expected_by_part = {"measures": year, "next_steps": year + 1}
        for index, section in enumerate(self.sections):
            expected = expected_by_part.get(section.part or "")
            if expected is None or not self._opens_part(index):
                continue
            found = {int(y) for y in _YEAR.findall(section.title)}
            if len(found) == 1 and expected not in found:
                self._add_at(
                    "heading_year",
                    section,
                    found=found.pop(),
                    year=year,
                    expected=expected,
                    part_name=PARTS[section.part or ""],
                )

    def _order(self) -> None:
        openings = [i for i in range(len(self.sections)) if self._opens_part(i)]
        for position, index in enumerate(openings):
            section = self.sections[index]
            for earlier in openings[:position]:
                before = self.sections[earlier]
                if before.part in self.rules.must_precede.get(section.part or "", ()):
                    self._add_at(
                        "part_order",
                        section,
                        part_name=PARTS.get(section.part or "", section.part),
                        earlier=self._heading(before),
                        earlier_part_name=PARTS.get(before.part or "", before.part),
                    )
                    break

    def _empty(self) -> None:
        empty = {i for i in range(len(self.sections)) if not self._has_content(i)}
        grouped: set[int] = set()
        for index, kids in self.children.items():
            if len(kids) >= self.rules.group_empty_min and all(k in empty for k in kids):
                grouped.update(kids)
                first, last = self.sections[kids[0]], self.sections[kids[-1]]
                self._add(
                    "empty_subsections",
                    section=self.sections[index].path,
                    start=first.start,
                    end=last.end,
                    heading=self._heading(self.sections[index]),
                    count=len(kids),
                )
        for index in sorted(empty - grouped):
            section = self.sections[index]
            part = section.part or ""
            sole_opening = (
                part in self.rules.mandated
                and self._opens_part(index)
                and all(i in empty for i in self._openings(part))
            )
            code = "empty_part" if sole_opening else "empty_section"
            self._add_at(code, section, part_name=PARTS.get(part, part))

    # --- numbering ------------------------------------------------------------------------------

    def _numbering(self) -> None:
        groups: dict[int | None, list[int]] = {}
        for index in range(len(self.sections)):
            groups.setdefault(self.parent[index], []).append(index)
        # The last ordinal seen per (level, style), for numbering that runs on across parents
        # (1. 2. under （一）, 3. 4. under （二）): an accepted style, not a gap.
        last_seen: dict[tuple[int, str], int] = {}
        for parent, members in sorted(groups.items(), key=lambda kv: kv[1][0]):
            siblings: list[Section] = []
            for index in members:
                section = self.sections[index]
                if section.ordinal is None:
                    continue
                key = (section.level, section.style)
                self._check_number(section, siblings, last_seen.get(key))
                last_seen[key] = section.ordinal
                siblings.append(section)
            if parent is not None:
                first = self.sections[members[0]]
                up = self.sections[parent]
                if "#" in first.style and first.style.split("#")[0] == up.style.split("#")[0]:
                    self._add_at(
                        "numbering_style", first, parent=self._heading(up), number=first.number
                    )

    def _check_number(self, section: Section, siblings: list[Section], run_on: int | None) -> None:
        """Compare a heading's ordinal with those of the siblings before it."""
        got = section.ordinal or 0
        if not siblings:
            if got != 1 and (run_on is None or got != run_on + 1):
                self._add_at("numbering_gap", section, got=got, expected=1, context="本级第一节")
            return
        previous = siblings[-1]
        previous_ordinal = previous.ordinal or 0
        highest = max(s.ordinal or 0 for s in siblings)
        same = [s for s in siblings if s.ordinal == got]
        if got == previous_ordinal or (got > previous_ordinal and same):
            shown = self._heading(same[-1])
            self._add_at("numbering_repeat", section, got=got, previous=shown)
        elif got < previous_ordinal:
            self._add_at(
                "numbering_restart",
                section,
                got=got,
                previous=self._heading(previous),
                previous_ordinal=previous_ordinal,
            )
        elif got > highest + 1:
            self._add_at(
                "numbering_gap",
                section,
                got=got,
                expected=highest + 1,
                context=f"前一节为“{self._heading(previous)}”",
            )

    # --- figures ----------------------------------------------------------------------------------

    def _figures(self) -> None:
        measures = self._openings("measures")
        next_steps = self._openings("next_steps")
        if not measures and not next_steps:
            return
        facts = self.facts()
        if measures:
            count = int((facts["part"] == "measures").sum()) if len(facts) else 0
            if count < self.rules.min_measures_facts:
                self._add_at("measures_without_figures", self.sections[measures[0]], whole=True)
        if next_steps:
            targets = (
                int(((facts["part"] == "next_steps") & (facts["kind"] == "target")).sum())
                if len(facts)
                else 0
            )
            if targets < self.rules.min_next_steps_targets:
                self._add_at("next_steps_without_target", self.sections[next_steps[0]], whole=True)
