"""Hand-made rows and tiny datasets for tests: facts, sections and reports of fictional units.

``fact(...)``, ``section(...)`` and ``report(...)`` each give one row (a dict with every column
of its table); ``dataset(...)`` puts rows into a :class:`~lawnb.store.dataset.Dataset` with the
column types a loaded dataset has, adding a reports row for every report the facts and
sections name. Every unit, district and figure here is invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from lawnb.schema import (
    DIMENSIONS,
    FACT_COLUMNS,
    KINDS,
    ORIGINS,
    PARTS,
    QUALIFIERS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
)
from lawnb.store.dataset import Dataset

DISTRICT = "虚构区"
UNIT = "青石镇"
YEAR = 2023

# Column types as a loaded dataset has them (coded columns as categories, counts as Int64).
_CATEGORIES = {
    "part": list(PARTS),
    "dimension": list(DIMENSIONS),
    "qualifier": list(QUALIFIERS),
    "kind": list(KINDS),
    "origin": list(ORIGINS),
}
_INTEGERS = {
    REPORT_COLUMNS: {"year", "n_chars"},
    SECTION_COLUMNS: {"level", "start", "end"},
    FACT_COLUMNS: {"start", "end"},
}


def report_id(unit: str = UNIT, year: int = YEAR, district: str = DISTRICT) -> str:
    """``虚构区/青石镇/2023``."""
    return f"{district}/{unit}/{year}"


def fact(
    subject: Any,
    value: Any,
    measure: Any,
    qualifier: Any = "exact",
    kind: Any = "achievement",
    dimension: Any = "functions",
    of: Any = None,
    origin: Any = "extracted",
    *,
    unit: str = UNIT,
    year: int = YEAR,
    district: str = DISTRICT,
    **columns: Any,
) -> dict[str, Any]:
    """One facts row of ``虚构区/<unit>/<year>``; ``columns`` sets any other column."""
    row = dict.fromkeys(FACT_COLUMNS)
    row.update(
        report_id=report_id(unit, year, district),
        subject=subject,
        value=float(value),
        measure=measure,
        qualifier=qualifier,
        kind=kind,
        dimension=dimension,
        of=of,
        origin=origin,
    )
    row.update(columns)
    return row


def section(
    path: str,
    title: str,
    part: str | None = "measures",
    dimension: str | None = None,
    *,
    unit: str = UNIT,
    year: int = YEAR,
    district: str = DISTRICT,
    **columns: Any,
) -> dict[str, Any]:
    """One sections row; the number is the path's last step and the level its depth."""
    steps = path.split("/")
    row = dict.fromkeys(SECTION_COLUMNS)
    row.update(
        report_id=report_id(unit, year, district),
        path=path,
        number=steps[-1],
        level=len(steps),
        title=title,
        part=part,
        dimension=dimension,
    )
    row.update(columns)
    return row


def report(
    unit: str = UNIT, year: int = YEAR, district: str = DISTRICT, **columns: Any
) -> dict[str, Any]:
    """One reports row (of a town, unless ``level`` says otherwise), titled as reports are."""
    row = dict.fromkeys(REPORT_COLUMNS)
    row.update(
        report_id=report_id(unit, year, district),
        district=district,
        unit=unit,
        level="town",
        year=year,
        title=f"{district}{unit}{year}年度法治政府建设情况报告",
        source=f"{district}{unit}-{year}.txt",
        n_chars=1000,
    )
    row.update(columns)
    return row


def dataset(
    facts: Iterable[dict[str, Any]] = (),
    sections: Iterable[dict[str, Any]] = (),
    reports: Iterable[dict[str, Any]] = (),
    *,
    path: Path | None = None,
    manifest: dict[str, Any] | None = None,
) -> Dataset:
    """A dataset of these rows; each report that a fact or section names gets a reports row
    (``report(...)``) unless ``reports`` has one. Facts without a fact_id are numbered, and
    sections without offsets follow each other in 100-character steps."""
    facts, sections, reports = list(facts), list(sections), list(reports)
    known = {r["report_id"] for r in reports}
    for row in [*facts, *sections]:
        if row["report_id"] not in known:
            district, unit, year = row["report_id"].split("/")
            reports.append(report(unit, int(year), district))
            known.add(row["report_id"])
    facts = [{**f, "fact_id": f["fact_id"] or f"F{i:04d}"} for i, f in enumerate(facts, 1)]
    place: dict[str, int] = {}  # how many sections of each report so far
    for i, row in enumerate(sections):
        n = place[row["report_id"]] = place.get(row["report_id"], -1) + 1
        sections[i] = {**row, "start": 100 * n, "end": 100 * (n + 1), **_given(row, "start", "end")}
    typed_facts = _typed(facts, FACT_COLUMNS)
    return Dataset(
        reports=_typed(reports, REPORT_COLUMNS, coded=False),
        sections=_typed(sections, SECTION_COLUMNS),
        facts=typed_facts,
        path=path,
        extracted_facts=typed_facts,
        manifest=dict(manifest or {}),
    )


def _given(row: dict[str, Any], *columns: str) -> dict[str, Any]:
    return {c: row[c] for c in columns if row.get(c) is not None}


def _typed(
    rows: list[dict[str, Any]], columns: tuple[str, ...], *, coded: bool = True
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in frame.columns:
        values = frame[column].astype(object).where(frame[column].notna(), None)
        if column in _INTEGERS[columns]:
            frame[column] = pd.array(values, dtype="Int64")
        elif column == "value":
            frame[column] = pd.array(values, dtype="Float64")
        elif coded and column in _CATEGORIES:
            frame[column] = pd.Categorical(values, categories=_CATEGORIES[column])
        else:
            frame[column] = values.astype("string")
    return frame
