"""Audit a report that the dataset holds only as tables (no text): the bundled sample, say.

The sections table keeps every heading's number, title, part and offsets; this rebuilds the
section tree from it, with a stand-in text of the right length, so that ``lawnb.analyse.audit`` runs
every check that does not need the words themselves.
"""

from __future__ import annotations

import pandas as pd

from lawnb.analyse.audit import audit
from lawnb.read.headings import Section, number_style
from lawnb.read.reader import Report


def report_from_tables(report: pd.Series, sections: pd.DataFrame) -> Report:
    """A ``Report`` whose sections come from the tables and whose text is a stand-in."""
    n_chars = int(report["n_chars"]) if pd.notna(report["n_chars"]) else 0
    rebuilt: list[Section] = []
    first_level: dict[str, int] = {}
    for row in sections.sort_values("start").itertuples():
        style, ordinal = number_style(str(row.number))
        level = int(row.level)
        first_level.setdefault(style, level)
        if first_level[style] != level:  # a style reused one level down (一、 under 一、)
            style = f"{style}#{level}"
        path = str(row.path)
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        heading = len(str(row.number)) + len(str(row.title))
        rebuilt.append(
            Section(
                number=str(row.number),
                path=path,
                level=level,
                title=str(row.title),
                start=int(row.start),
                end=int(row.end),
                body_start=min(int(row.start) + heading + 1, int(row.end)),
                style=style,
                ordinal=ordinal,
                parent=parent,
                part=None if pd.isna(row.part) else str(row.part),
                dimension=None if pd.isna(row.dimension) else str(row.dimension),
            )
        )
    # Stand-in text: a paragraph wherever the report had text, the headings' lines kept empty.
    text = list("文" * n_chars)
    for section in rebuilt:
        for offset in range(section.start, min(section.body_start, n_chars)):
            text[offset] = "\n" if offset == section.body_start - 1 else " "
    return Report(
        text="".join(text),
        title=None if pd.isna(report["title"]) else str(report["title"]),
        district=None if pd.isna(report["district"]) else str(report["district"]),
        unit=None if pd.isna(report["unit"]) else str(report["unit"]),
        level=None if pd.isna(report["level"]) else str(report["level"]),
        year=None if pd.isna(report["year"]) else int(report["year"]),
        source=str(report["source"]),
        sha256=str(report["sha256"]),
        sections=rebuilt,
    )


def audit_from_tables(
    report: pd.Series, sections: pd.DataFrame, facts: pd.DataFrame
) -> pd.DataFrame:
    """``lawnb.analyse.audit.audit`` on a report held as dataset rows (its reports row, sections, facts)."""
    return audit(report_from_tables(report, sections), facts)
