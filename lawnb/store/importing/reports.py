"""Report files imported into a dataset folder (``lawnb import``).

Takes report files and a dataset folder (created when missing) and gives an ``ImportResult``:
the outcome of each file, the folder saved once, with each new report replacing the extracted
rows of the report it revises. The analysts' rows and corrections of a report stay and follow
it when it comes back under another report_id. Holds the folder's write lock throughout.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from lawnb.bundled import FICTIONAL_KEY
from lawnb.errors import DatasetError
from lawnb.fileio import write_problem
from lawnb.store.dataset import EXTRACTED_ORIGINS, TABLES, Dataset, rename_reports, stored_facts
from lawnb.store.importing.rows import NewReports
from lawnb.store.importing.session import ImportOutcome, ImportSession
from lawnb.store.loading import as_text, empty_dataset, load_dataset
from lawnb.store.locking import writing
from lawnb.store.saving import staged_fixes, write_table
from lawnb.store.staging import check_dataset_target, read_manifest, replace_folder
from lawnb.store.validation import DatasetValidationError, validate_text_table


@dataclass
class ImportResult:
    """What happened to each file of an import; the dataset folder is read when asked for."""

    folder: Path
    outcomes: list[ImportOutcome]
    n_reports: int = 0
    n_facts: int = 0  # extracted and manual rows, before the corrections
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def dataset(self) -> Dataset:
        """The dataset after the import (loaded on first use: it may be large)."""
        if self._dataset is None:
            self._dataset = load_dataset(self.folder)
        return self._dataset

    @property
    def failures(self) -> list[tuple[Path, str]]:
        """The files that failed, with their error message."""
        return [(o.file, o.message) for o in self.outcomes if o.status == "failed"]

    @property
    def imported(self) -> list[ImportOutcome]:
        """The files added or updated."""
        return [o for o in self.outcomes if o.status in ("added", "updated")]


def import_reports(
    files: Iterable[Path],
    folder: str | Path,
    *,
    keep_text: bool = True,
    force: bool = False,
    progress: bool = False,
    fictional: bool | None = None,
    **overrides: object,
) -> ImportResult:
    """Read, extract and add report files to a dataset folder (created when missing).

    A file already imported with the same content (sha256 in the manifest) and options is
    skipped unless ``force``; a report whose unit-year is already there, or a report of the
    same text under another report_id (imported before with other metadata), is replaced, and
    the outcome lists the facts added, removed and changed. Metadata recorded for a report's
    content (``lawnb.store.report_metadata``) applies as if given in ``overrides``; ``overrides``
    given here are recorded for the content of each report imported. A failing file does not
    stop the others; nothing is written when no file changed anything. Memory grows with the
    dataset already in the folder, not with the number of files imported. Another import into
    the same folder waits for this one (``lawnb.store.locking``). ``fictional`` records in the
    manifest whether the dataset is fictional (its pages then say 虚构示例数据); None keeps
    what the manifest says.
    """
    folder = Path(folder)
    check_dataset_target(folder)  # before the lock file beside it is made
    # None: not given; anything else (0, "") goes to the reader, which refuses what is bad
    options = {"keep_text": keep_text, **{k: v for k, v in overrides.items() if v is not None}}
    with writing(folder):
        try:
            return _import_files(
                list(files), folder, options, force=force, progress=progress, fictional=fictional
            )
        except OSError as exc:  # the disk, a size limit, a permission: the dataset is unchanged
            raise DatasetError(write_problem(exc, folder)) from exc


def _import_files(
    files: list[Path],
    folder: Path,
    options: dict,
    *,
    force: bool,
    progress: bool,
    fictional: bool | None,
) -> ImportResult:
    """``import_reports`` once the folder's write lock is held."""
    from tqdm import tqdm

    dataset = load_dataset(folder) if (folder / "reports.csv").exists() else empty_dataset()
    manifest = read_manifest(folder) if folder.exists() else {"imports": []}
    if fictional is not None:
        manifest[FICTIONAL_KEY] = fictional
    bar = tqdm(
        files, desc="导入报告", unit="份", file=sys.stderr, disable=not progress or len(files) < 2
    )
    with tempfile.TemporaryDirectory(prefix="lawnb-import-") as tmp:
        new = NewReports(Path(tmp))
        try:
            run = ImportSession(dataset, new, manifest, options, force)
            for file in bar:
                run.read(Path(file))
            outcomes = run.finish()
            if any(o.status in ("added", "updated") for o in outcomes):
                _save_import(dataset, new, folder, run)
        finally:
            new.close()
    ids = new.report_ids()
    gone = ids | set(run.renames)
    old_reports = ~dataset.reports["report_id"].isin(gone)
    facts = stored_facts(dataset)
    old_facts = ~(facts["report_id"].isin(gone) & facts["origin"].isin(EXTRACTED_ORIGINS))
    result = ImportResult(
        folder,
        outcomes,
        n_reports=int(old_reports.sum()) + len(ids),
        n_facts=int(old_facts.sum()) + sum(new.counts.values()),
    )
    if not (folder / "reports.csv").exists():
        result._dataset = dataset
    return result


def _save_import(dataset: Dataset, new: NewReports, folder: Path, run: ImportSession) -> None:
    """Save ``dataset`` with the reports of ``new`` replacing their extracted rows.

    A report replaced by one of the same content under another report_id (``run.renames``)
    goes too; its analysts' rows and corrections move to the new report_id. Each new report's
    tables were validated when read and the old rows when loaded; the rows of analysts' tables
    (origin "manual") that a replaced report keeps are checked with its new facts here, so the
    saved tables are valid without reading them all back.
    """
    ids = new.report_ids()
    gone = ids | set(run.renames)
    facts = stored_facts(dataset)
    replaced = facts["report_id"].isin(gone)
    kept = {
        "reports": dataset.reports[~dataset.reports["report_id"].isin(gone)],
        "sections": dataset.sections[~dataset.sections["report_id"].isin(gone)],
        "facts": rename_reports(
            facts[~replaced | ~facts["origin"].isin(EXTRACTED_ORIGINS)], run.renames
        ),
    }
    manual = rename_reports(facts[replaced & ~facts["origin"].isin(EXTRACTED_ORIGINS)], run.renames)
    corrections = rename_reports(dataset.corrections, run.renames)
    moved_corrections = bool(dataset.corrections["report_id"].isin(list(run.renames)).any())
    problems = []
    for report_id, rows in manual.groupby("report_id", observed=True):
        together = as_text(pd.concat([rows, new.facts_of(str(report_id))]), "facts")
        problems += validate_text_table(
            together, "facts", f"facts.csv ({report_id})", report_ids={str(report_id)}
        )
    if problems:
        raise DatasetValidationError(problems, str(folder))
    write_fixes = staged_fixes(
        folder,
        corrections=corrections if moved_corrections else None,
        overrides=run.overrides if run.overrides_changed else None,
    )

    def write_tables(staging: Path) -> None:
        for name in TABLES:
            write_table(kept[name], staging / f"{name}.csv", name, partial(new.write, name))
        write_fixes(staging)

    replace_folder(
        folder,
        write_tables,
        corrections=corrections,
        manifest={**dataset.manifest, **run.manifest},
    )
