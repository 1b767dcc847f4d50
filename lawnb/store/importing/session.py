"""One import's report files read one by one, and accepted a chunk at a time.

Takes the dataset already in the folder, its manifest and the import's options; for each file
gives an ``ImportOutcome`` (added, updated, unchanged or failed, with the facts it changed) and
adds the rows of the reports accepted to ``NewReports``. A file is read with ``lawnb.read`` and
the metadata recorded for its content (``lawnb.store.report_metadata``); its rows are
validated with the others of its chunk, and alone when the chunk fails, so that a failure names
its file. The manifest records each import, and the new id of each fact a revision moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError, LawnbError, ReportReadError
from lawnb.store.corrections import resolve
from lawnb.store.dataset import EXTRACTED_ORIGINS, TABLES, Dataset, stored_facts
from lawnb.store.importing.rows import NewReports, report_rows
from lawnb.store.loading import as_text, concat
from lawnb.store.report_metadata.fixes import recorded_overrides, with_override
from lawnb.store.report_metadata.provenance import full_sources, guessed_note
from lawnb.store.revisions import FactChanges, diff_facts
from lawnb.store.staging import forget_imports
from lawnb.store.validation import validate_text_table

IMPORT_CHUNK = 64  # reports whose tables are typed, validated and written together


@dataclass
class ImportOutcome:
    """What happened to one file of an import."""

    file: Path
    status: str  # "added" (new report), "updated" (replaced), "unchanged" (skipped), "failed"
    report_id: str = ""
    message: str = ""
    changes: FactChanges | None = None
    n_facts: int = 0
    replaced: list[str] = field(default_factory=list)  # report_ids of the same content replaced
    guessed: str = ""  # what of its metadata is guessed (``report_metadata.guessed_note``)


@dataclass
class _Read:
    """A report read and extracted, waiting to be validated with the others of its chunk."""

    file: Path
    sha256: str
    report_id: str
    rows: dict[str, pd.DataFrame]
    index: int  # of its outcome
    text_sha256: str = ""  # of the report's text: its identity (the reports table's sha256)
    replaces: list[str] = field(default_factory=list)  # report_ids of the same text
    record: dict[str, object] = field(default_factory=dict)  # metadata given, to record
    guessed: str = ""


class ImportSession:
    """One import's files read one by one, and accepted into ``new`` a chunk at a time."""

    def __init__(
        self, dataset: Dataset, new: NewReports, manifest: dict, options: dict, force: bool
    ) -> None:
        self.dataset, self.new, self.manifest = dataset, new, manifest
        self.options, self.force = options, force
        self.outcomes: list[ImportOutcome | None] = []  # None: waiting in the chunk
        self.pending: list[_Read] = []
        self.renames: dict[str, str] = {}  # old report_id -> the new one of the same text
        self.overrides = dataset.report_overrides  # recorded metadata, by text sha256
        self.overrides_changed = False
        self.by_text: dict[str, list[str]] = {}  # text sha256 -> the dataset's reports of it
        for report_id, text_sha256 in zip(
            dataset.reports["report_id"], dataset.reports["sha256"], strict=True
        ):
            if isinstance(text_sha256, str) and text_sha256:
                self.by_text.setdefault(text_sha256, []).append(str(report_id))

    def read(self, file: Path) -> None:
        """Read and extract one file (never raises a ``LawnbError``: its outcome says it)."""
        outcome_or_read = self._read(file)
        if isinstance(outcome_or_read, ImportOutcome):
            self.outcomes.append(outcome_or_read)
            return
        again = outcome_or_read.report_id in {p.report_id for p in self.pending}
        if again or len(self.pending) >= IMPORT_CHUNK:
            self._accept(self.pending)
            self.pending = []
        self.outcomes.append(None)
        self.pending.append(outcome_or_read)

    def finish(self) -> list[ImportOutcome]:
        """Accept the last chunk; the outcome of every file, in the order read."""
        self._accept(self.pending)
        self.pending = []
        return [o for o in self.outcomes if o is not None]

    def _read(self, file: Path) -> ImportOutcome | _Read:
        from lawnb.read.reader import read_report
        from lawnb.read.sources import read_capped, shown

        try:  # checked before reading: a pipe, a device, a huge file, a name that is not UTF-8
            sha256 = hashlib.sha256(read_capped(file)).hexdigest()
        except ReportReadError as exc:  # the file as shown: its name may not be printable
            return ImportOutcome(Path(shown(file)), "failed", message=str(exc))
        previous = self._previous_import(sha256)
        if previous and not self.force:
            message = (
                f"{file.name}：与已导入的 {previous} 内容相同（如需按新规则重新抽取，加 --force）。"
            )
            return ImportOutcome(file, "unchanged", previous, message)
        given = {k: v for k, v in self.options.items() if k != "keep_text"}
        try:
            report = read_report(file, **given)  # type: ignore[arg-type]
            recorded = recorded_overrides(self.overrides, report.sha256)
            if any(k not in given for k in recorded):
                report = _read_with(file, {**recorded, **given})
            _check_metadata(report, file)
            rows = report_rows(report, keep_text=self.options["keep_text"])
        except LawnbError as exc:
            return ImportOutcome(file, "failed", message=str(exc))
        return _Read(
            file,
            sha256,
            report.report_id,
            rows,
            index=len(self.outcomes),
            text_sha256=report.sha256,
            replaces=self._same_text(report.sha256, report.report_id),
            record=given,
            guessed=guessed_note(full_sources(report.meta_sources), vars(report)),
        )

    def _same_text(self, text_sha256: str, report_id: str) -> list[str]:
        """The reports of the dataset read from this text under another report_id."""
        same = self.by_text.get(text_sha256, [])
        return [r for r in same if r != report_id and r not in self.renames]

    def _previous_import(self, sha256: str) -> str:
        """The report_id this exact file was imported as with the same options, or ""."""
        pending = next((p.report_id for p in self.pending if p.sha256 == sha256), "")
        present = set(self.dataset.reports["report_id"].dropna()) | self.new.report_ids()
        keep_text = {"keep_text": self.options["keep_text"]}
        for entry in self.manifest.get("imports", []):
            same_options = entry.get("options", keep_text) == self.options
            if entry.get("sha256") == sha256 and same_options and entry.get("report_id") in present:
                return str(entry["report_id"])
        return pending

    def _accept(self, chunk: list[_Read]) -> None:
        """Type and validate a chunk of reports together, and add those that pass to ``new``.

        When the chunk fails, each report is tried alone, so that the failure names its file.
        """
        if not chunk:
            return
        tables = {name: concat([r.rows[name] for r in chunk], name) for name in TABLES}
        try:
            _check_report_tables(tables, chunk[0].file if len(chunk) == 1 else None)
        except DatasetError as exc:
            if len(chunk) > 1:
                for read in chunk:
                    self._accept([read])
            else:
                failed = ImportOutcome(chunk[0].file, "failed", message=str(exc))
                self.outcomes[chunk[0].index] = failed
            return
        for read in chunk:
            self.outcomes[read.index] = self._record(read, tables["facts"])
        self.new.add(tables)

    def _record(self, read: _Read, facts: pd.DataFrame) -> ImportOutcome:
        """An accepted report's outcome (its changes when it replaces one), and its manifest entry."""
        report_id, dataset, new = read.report_id, self.dataset, self.new
        mine = facts[facts["report_id"] == report_id].reset_index(drop=True)
        existed = report_id in new or bool((dataset.reports["report_id"] == report_id).any())
        existed = existed or bool(read.replaces)
        changes = None
        if existed:
            if report_id in new:
                old = new.facts_of(report_id)
            else:  # the report of the same text, when there is one, is the one it revises
                old = _extracted_of(dataset, (read.replaces or [report_id])[0])
            changes = diff_facts(old, mine)
            _record_moves(self.manifest, changes.moved)
            aliases = self.manifest.get("fact_aliases", {})
            changes.corrected = {
                resolve(f, aliases) for f in dataset.corrections["fact_id"].dropna()
            }
        for old_id in read.replaces:
            self.renames[old_id] = report_id
        forget_imports(self.manifest, read.replaces)
        _record_import(self.manifest, report_id, read.file, read.sha256, self.options)
        self._record_metadata(read)
        status = "updated" if existed else "added"
        return ImportOutcome(
            read.file,
            status,
            report_id,
            changes=changes,
            n_facts=len(mine),
            replaced=list(read.replaces),
            guessed=read.guessed,
        )

    def _record_metadata(self, read: _Read) -> None:
        """Record the metadata given for this text; keep its recorded report_id current."""
        if not read.text_sha256:
            return
        has_record = bool((self.overrides["sha256"] == read.text_sha256).any())
        if not read.record and not has_record:
            return
        self.overrides = with_override(
            self.overrides,
            read.text_sha256,
            read.report_id,
            read.record,
            "lawnb import" if read.record else "",
        )
        self.overrides_changed = True


def _read_with(file: Path, given: dict[str, object]):  # type: ignore[no-untyped-def]
    """``read_report`` with metadata given; a district given as "" means none (not a guess)."""
    from lawnb.read.reader import read_report

    args = dict(given)
    no_district = args.get("district") == ""
    if no_district:
        del args["district"]
    report = read_report(file, **args)  # type: ignore[arg-type]
    if no_district:
        report.district = None
        report.meta_sources["district"] = "override"
    return report


def _extracted_of(dataset: Dataset, report_id: str) -> pd.DataFrame:
    facts = stored_facts(dataset)
    mine = (facts["report_id"] == report_id) & facts["origin"].isin(EXTRACTED_ORIGINS)
    return facts[mine.fillna(False)]


def _record_moves(manifest: dict, moved: dict[str, str]) -> None:
    """Remember the new id of each fact a revised report moved, so corrections follow it."""
    aliases = manifest.setdefault("fact_aliases", {})
    for old, new in list(aliases.items()):
        if new in moved:
            aliases[old] = moved[new]
    aliases.update(moved)
    for old in [o for o, n in aliases.items() if o == n]:
        del aliases[old]


def _record_import(manifest: dict, report_id: str, file: Path, sha256: str, options: dict) -> None:
    forget_imports(manifest, [report_id])
    manifest["imports"].append(
        {
            "report_id": report_id,
            "file": file.name,
            "sha256": sha256,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "options": options,
        }
    )


def _check_report_tables(tables: dict[str, pd.DataFrame], file: Path | None) -> None:
    """Refuse extracted tables that would not pass validation (naming the report's file)."""
    report_ids = set(tables["reports"]["report_id"].dropna())
    label = file.name if file is not None else "导入的报告"
    problems = []
    for name in TABLES:
        text = as_text(tables[name], name)
        problems += validate_text_table(text, name, f"{label} → {name}", report_ids=report_ids)
    if problems:
        raise DatasetError(
            f"{file or label}: 抽取结果未通过检查，未导入：\n" + "\n".join(map(str, problems[:10]))
        )


def _check_metadata(report, file: Path) -> None:  # type: ignore[no-untyped-def]
    missing = [
        label for label, value in (("单位", report.unit), ("年度", report.year)) if not value
    ]
    if missing:
        raise ReportReadError(
            f"{file}: 无法从标题或开头识别{'、'.join(missing)}。"
            "请用 --unit/--year（及 --district）指定，或将文件命名为“区县单位-年度”，如“示例区东湖镇-2022.txt”。"
        )
