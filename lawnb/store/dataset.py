"""The dataset model: the three tidy tables of one dataset folder, with the analysts' fixes.

Takes nothing from disk itself: ``lawnb.store.loading`` builds a ``Dataset`` from a folder and
``lawnb.store.saving`` writes one back, ``lawnb.store.importing`` adds reports to a folder. Gives
``Dataset`` (its units, years, and the rows of one unit-year), the tables and their columns
(``TABLES``), which facts a re-import replaces (``EXTRACTED_ORIGINS``), and the facts a save
writes (``stored_facts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.schema import FACT_COLUMNS, REPORT_COLUMNS, SECTION_COLUMNS
from lawnb.store.corrections import empty_corrections, empty_unapplied
from lawnb.store.report_metadata.fixes import empty_overrides

__all__ = ["EXTRACTED_ORIGINS", "TABLES", "Dataset", "rename_reports", "stored_facts"]

TABLES: dict[str, tuple[str, ...]] = {
    "reports": REPORT_COLUMNS,
    "sections": SECTION_COLUMNS,
    "facts": FACT_COLUMNS,
}
EXTRACTED_ORIGINS = ("extracted", "derived")  # rows a re-import replaces; "manual" rows stay


@dataclass
class Dataset:
    """The tidy tables of one dataset folder.

    ``facts`` has the analysts' corrections applied; ``extracted_facts`` is ``facts.csv`` as
    stored (what ``save_dataset`` writes back); ``corrections`` is the manual file as read and
    ``unapplied_corrections`` the corrections whose target fact no longer exists;
    ``report_overrides`` the analysts' fixes of reports' metadata (``manual_reports.csv``, see
    ``lawnb.store.report_metadata``), which an import applies to the reports they name by content.
    """

    reports: pd.DataFrame
    sections: pd.DataFrame
    facts: pd.DataFrame
    path: Path | None = None
    name: str = ""
    extracted_facts: pd.DataFrame | None = None
    corrections: pd.DataFrame = field(default_factory=empty_corrections)
    unapplied_corrections: pd.DataFrame = field(default_factory=empty_unapplied)
    manifest: dict = field(default_factory=dict)
    report_overrides: pd.DataFrame = field(default_factory=empty_overrides)

    def units(self) -> list[str]:
        """Units that have at least one report, in name order."""
        return sorted(self.reports["unit"].dropna().unique().tolist())

    def years(self, unit: str | None = None) -> list[int]:
        """Report years, optionally of one unit, ascending."""
        reports = self.reports if unit is None else self.reports[self.reports["unit"] == unit]
        return sorted(int(y) for y in reports["year"].dropna().unique())

    def districts_of_unit(self, unit: str, year: int) -> list[str]:
        """The districts of the reports of ``unit`` in ``year``, in name order ("" for none): two
        when two districts each have a unit of that name (two 司法局)."""
        rows = self.reports[(self.reports["unit"] == unit) & (self.reports["year"] == int(year))]
        return sorted(set(rows["district"].fillna("").astype(str)))

    def report_row(self, unit: str, year: int) -> pd.Series:
        """The reports row of a unit-year; ``DatasetError`` naming what exists when there is none."""
        rows = self.reports[(self.reports["unit"] == unit) & (self.reports["year"] == int(year))]
        if rows.empty:
            if unit not in self.units():
                raise DatasetError(
                    f"数据集{self._label()}中没有单位“{unit}”。已有单位：{'、'.join(self.units()) or '（无）'}。"
                )
            raise DatasetError(
                f"数据集{self._label()}中没有“{unit}”{year}年的报告。已有年份：{'、'.join(map(str, self.years(unit)))}。"
            )
        return rows.iloc[0]

    def facts_for(self, unit: str, year: int) -> pd.DataFrame:
        """The facts of one unit-year (corrections applied), in reading order."""
        report_id = self.report_row(unit, year)["report_id"]
        return self.facts[self.facts["report_id"] == report_id].reset_index(drop=True)

    def sections_for(self, unit: str, year: int) -> pd.DataFrame:
        """The sections of one unit-year, in reading order."""
        report_id = self.report_row(unit, year)["report_id"]
        return self.sections[self.sections["report_id"] == report_id].reset_index(drop=True)

    def _label(self) -> str:
        return f"“{self.name or self.path}”" if (self.name or self.path) else ""


def stored_facts(dataset: Dataset) -> pd.DataFrame:
    """The facts as ``facts.csv`` holds them (before the corrections): what a save writes."""
    return dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts


def rename_reports(frame: pd.DataFrame, renames: Mapping[str, str]) -> pd.DataFrame:
    """A table whose report_ids in ``renames`` take their new id."""
    if not renames or frame.empty:
        return frame
    out = frame.copy()
    hit = out["report_id"].isin(list(renames))
    out.loc[hit, "report_id"] = out.loc[hit, "report_id"].map(dict(renames))
    return out
