"""The rows a ``Report`` gives the three tables, and the rows of an import kept until its save.

Takes a ``Report`` read by ``lawnb.read`` and gives its reports, sections and facts rows (the
facts extracted by ``lawnb.extract``); ``NewReports`` keeps the rows of the reports an import
has read in temporary CSV files, so that an import's memory does not grow with the number of
reports, and appends the rows that win to the tables being saved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from lawnb.cell_safety import csv_frame
from lawnb.schema import REPORT_COLUMNS, SECTION_COLUMNS
from lawnb.store.dataset import TABLES, Dataset
from lawnb.store.loading import typed
from lawnb.store.report_metadata.provenance import provenance
from lawnb.store.sheets import read_csv_text


def report_tables(report, *, keep_text: bool = True) -> Dataset:  # type: ignore[no-untyped-def]
    """The three tables of one ``Report`` (sentences blanked when ``keep_text`` is False)."""
    rows = report_rows(report, keep_text=keep_text)
    tables = [typed(rows[name].astype(object), name) for name in TABLES]
    return Dataset(*tables, extracted_facts=tables[2])


def report_rows(report, *, keep_text: bool = True) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """The rows of one ``Report``'s three tables, not yet typed (``report_tables`` types them)."""
    from lawnb.extract.facts import extract_facts

    report_id = report.report_id
    reports = pd.DataFrame(
        [
            {
                "report_id": report_id,
                "district": report.district,
                "unit": report.unit,
                "level": report.level,
                "year": report.year,
                "title": report.title,
                "source": Path(report.source).name,
                "sha256": report.sha256,
                "n_chars": len(report.text),
                **provenance(report.meta_sources),
            }
        ],
        columns=list(REPORT_COLUMNS),
    )
    sections = pd.DataFrame(
        [
            {
                "report_id": report_id,
                "path": s.path,
                "number": s.number,
                "level": s.level,
                "title": s.title,
                "part": s.part,
                "dimension": s.dimension,
                "start": s.start,
                "end": s.end,
            }
            for s in report.sections
        ],
        columns=list(SECTION_COLUMNS),
    )
    facts = extract_facts(report)
    if not keep_text:
        facts["sentence"] = ""
    return {"reports": reports, "sections": sections, "facts": facts}


class NewReports:
    """The rows of the reports read so far in an import, kept in temporary CSV files.

    Reports are appended in blocks (a few dozen reports validated together) as soon as they
    are read, so that an import's memory does not grow with the number of reports; when a
    unit-year comes twice, the last one read wins. ``write`` then appends the rows that win to
    a table being saved.
    """

    def __init__(self, folder: Path) -> None:
        self._files = {name: open(folder / f"{name}.rows", "w+b") for name in TABLES}  # noqa: SIM115
        self._blocks: list[tuple[list[str], dict[str, tuple[int, int]]]] = []
        self._latest: dict[str, int] = {}  # report_id -> its block
        self.counts: dict[str, int] = {}  # report_id -> number of facts

    def close(self) -> None:
        """Close the temporary files (their folder is removed by the caller)."""
        for handle in self._files.values():
            handle.close()

    def add(self, tables: dict[str, pd.DataFrame]) -> None:
        """Append typed tables of one or more reports, each report_id at most once."""
        report_ids = list(dict.fromkeys(tables["reports"]["report_id"].astype(str)))
        spans = {}
        for name, handle in self._files.items():
            frame = tables[name].reindex(columns=list(TABLES[name]))
            start = handle.seek(0, os.SEEK_END)
            handle.write(
                csv_frame(frame).to_csv(index=False, header=False, lineterminator="\n").encode()
            )
            spans[name] = (start, handle.tell())
        for report_id in report_ids:
            self._latest[report_id] = len(self._blocks)
        self._blocks.append((report_ids, spans))
        counts = tables["facts"]["report_id"].astype(str).value_counts()
        self.counts.update({r: int(counts.get(r, 0)) for r in report_ids})

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._latest

    def report_ids(self) -> set[str]:
        """The report_ids read so far."""
        return set(self._latest)

    def _read(self, name: str, block: int) -> bytes:
        start, end = self._blocks[block][1][name]
        handle = self._files[name]
        handle.seek(start)
        return handle.read(end - start)

    def _parse(self, name: str, block: int) -> pd.DataFrame:
        header = ",".join(TABLES[name])
        rows = self._read(name, block).decode()
        return typed(read_csv_text(f"{header}\n{rows}", f"{name}.csv").reset_index(drop=True), name)

    def facts_of(self, report_id: str) -> pd.DataFrame:
        """The facts of a report read earlier in this import (typed)."""
        facts = self._parse("facts", self._latest[report_id])
        return facts[facts["report_id"] == report_id].reset_index(drop=True)

    def write(self, name: str, out: BinaryIO) -> None:
        """Append the winning rows of table ``name`` to ``out``, in the order read."""
        for block, (report_ids, _) in enumerate(self._blocks):
            winners = [r for r in report_ids if self._latest[r] == block]
            if len(winners) == len(report_ids):
                out.write(self._read(name, block))
            elif winners:  # a report of this block came again later: leave its rows out
                rows = self._parse(name, block)
                rows = rows[rows["report_id"].isin(winners)].reindex(columns=list(TABLES[name]))
                out.write(
                    csv_frame(rows).to_csv(index=False, header=False, lineterminator="\n").encode()
                )
