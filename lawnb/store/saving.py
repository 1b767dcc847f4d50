"""A ``Dataset`` written to its folder: the tables validated, then the folder replaced in one step.

Takes a ``Dataset`` (or the tables an import streams) and a folder; gives the folder replaced
through ``lawnb.store.staging``, so that readers see the old dataset or the new one. Writes
``extracted_facts``: the analysts' corrections stay in their own file, which ``staged_fixes``
rewrites when an edit moves or drops some of them, as it does the metadata fixes file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from lawnb.cell_safety import csv_frame
from lawnb.fileio import atomic_path
from lawnb.store.corrections import manual_file, write_corrections
from lawnb.store.dataset import TABLES, Dataset, stored_facts
from lawnb.store.loading import read_tables
from lawnb.store.report_metadata.fixes import MANUAL_REPORTS, write_report_overrides
from lawnb.store.staging import replace_folder
from lawnb.store.validation import DatasetValidationError


def save_dataset(
    dataset: Dataset,
    folder: str | Path,
    *,
    manifest: dict | None = None,
    write_extras: Callable[[Path], None] | None = None,
) -> Path:
    """Write a dataset folder atomically: readers see the old folder or the new one, never a mix.

    Writes ``extracted_facts`` (the corrections stay in their own file: kept when the folder
    already has one, written as manual.csv when saving elsewhere). The tables are validated
    before the folder is replaced; other files in the folder are kept, but for those that
    ``write_extras`` writes into the staging folder it is given (a rewritten manual.csv …).
    """
    facts = stored_facts(dataset)

    def write_tables(staging: Path) -> None:
        for name, frame in (("reports", dataset.reports), ("sections", dataset.sections)):
            write_table(frame, staging / f"{name}.csv", name)
        write_table(facts, staging / "facts.csv", "facts")
        _, problems = read_tables(staging, label=Path(folder))
        if problems:
            raise DatasetValidationError(problems, str(folder))
        if write_extras is not None:
            write_extras(staging)
        if not dataset.report_overrides.empty and not any(
            (where / MANUAL_REPORTS).exists() for where in (staging, Path(folder))
        ):
            write_report_overrides(staging, dataset.report_overrides)

    return replace_folder(
        folder,
        write_tables,
        corrections=dataset.corrections,
        manifest={**dataset.manifest, **(manifest or {})},
    )


def write_table(
    frame: pd.DataFrame,
    file: Path,
    table: str,
    more_rows: Callable[[BinaryIO], None] | None = None,
) -> None:
    """One table as UTF-8 CSV with BOM, flushed to disk; ``more_rows`` appends CSV lines.

    Formula-like text is quoted (``cell_safety.csv_frame``); ``more_rows`` must write its
    lines so too.
    """
    rows = csv_frame(frame.reindex(columns=list(TABLES[table])))
    with (
        atomic_path(file, fsync=True) as temp,
        open(temp, "w", encoding="utf-8-sig", newline="") as handle,
    ):
        rows.to_csv(handle, index=False, lineterminator="\n")
        if more_rows is not None:
            handle.flush()
            more_rows(handle.buffer)


def staged_fixes(
    folder: Path,
    *,
    corrections: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
) -> Callable[[Path], None]:
    """A ``write_extras`` that rewrites the analysts' files of ``folder`` into a staging folder.

    ``corrections`` go to the folder's corrections file (same name and format: manual.csv or
    manual.xlsx), ``overrides`` to ``manual_reports.csv``; a file given None is carried over
    as it is.
    """

    def write(staging: Path) -> None:
        if corrections is not None:
            current = manual_file(folder)
            name = current.name if current is not None else "manual.csv"
            write_corrections(staging, corrections.drop(columns="line", errors="ignore"), name=name)
        if overrides is not None:
            write_report_overrides(staging, overrides)

    return write
