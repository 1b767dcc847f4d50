"""``lawnb reports list | set | remove``: an analyst's view and edits of a dataset's reports.

Takes a dataset folder and a report_id; gives the reports listed, one report's metadata changed
(``set_report``: its report_id follows the new district, unit and year in every table, in the
manual corrections and in the manifest, and the fix is recorded by the report's content in
``manual_reports.csv``), or one report removed with its rows (``remove_report``); and what to
print about it. Each edit holds the folder's write lock and saves the folder in one step.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError, LawnbError
from lawnb.formatting import is_missing
from lawnb.labels import META_FIELD_LABELS
from lawnb.names import report_id as make_report_id
from lawnb.schema import confidence_of
from lawnb.store.dataset import Dataset, rename_reports, stored_facts
from lawnb.store.loading import load_dataset
from lawnb.store.locking import writing
from lawnb.store.report_metadata.fixes import MANUAL_REPORTS, OVERRIDE_FIELDS, with_override
from lawnb.store.report_metadata.provenance import (
    field_names,
    full_sources,
    guessed_of,
    meta_source_text,
    parse_meta_source,
)
from lawnb.store.report_metadata.values import checked_values
from lawnb.store.saving import save_dataset, staged_fixes
from lawnb.store.sheets import records
from lawnb.store.staging import forget_imports, rename_imports

LIST_COLUMNS: tuple[str, ...] = (
    "report_id",
    "unit",
    "district",
    "level",
    "year",
    "title",
    "guessed",
)


def list_reports(dataset: Dataset) -> pd.DataFrame:
    """One row per report: report_id, unit, district, level, year, title, guessed."""
    return dataset.reports.reindex(columns=list(LIST_COLUMNS)).reset_index(drop=True)


@dataclass
class ReportEdit:
    """What ``set_report`` changed."""

    folder: Path
    old_id: str
    new_id: str
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)  # field: (old, new)
    confirmed: list[str] = field(default_factory=list)  # guessed fields confirmed as they are
    corrections_moved: int = 0
    recorded: bool = False  # kept in manual_reports.csv (False: the report has no content hash)
    guessed: str = ""  # what is still guessed

    def lines(self) -> list[str]:
        """What to print."""
        if not self.changes and not self.confirmed:
            return [f"报告 {self.old_id} 没有推测的字段需要确认，数据集未改动。"]
        head = f"已修改报告 {self.old_id}" + (
            f" → {self.new_id}" if self.new_id != self.old_id else ""
        )
        out = [head + "："]
        out += [
            f"    {META_FIELD_LABELS[name]}：{_shown(old)} → {_shown(new)}"
            for name, (old, new) in self.changes.items()
        ]
        if self.confirmed:
            out.append(f"    已确认（值不变）：{field_names(self.confirmed)}")
        if self.corrections_moved:
            out.append(f"{self.corrections_moved} 条人工修正已随之改为新的报告编号。")
        if self.recorded:
            out.append(
                f"已记录到 {self.folder / MANUAL_REPORTS}（按报告内容识别），"
                "以后重新导入同一份报告（包括 --force）时仍然生效。"
            )
        else:
            out.append("这份报告没有原文校验码（来自分析人员的表格），修改只作用于数据集。")
        if self.guessed:
            out.append(
                f"仍是推测的：{field_names(self.guessed.split())}。"
                "用 --confirm 确认，或用 --unit/--district/--year 修正。"
            )
        return out


@dataclass
class ReportRemoval:
    """What ``remove_report`` removed."""

    folder: Path
    report_id: str
    sections: int = 0
    facts: int = 0
    corrections: int = 0
    override_removed: bool = False

    def lines(self) -> list[str]:
        """What to print."""
        out = [
            f"已删除报告 {self.report_id}：{self.sections} 个章节、{self.facts} 条数据"
            + (f"、{self.corrections} 条人工修正" if self.corrections else "")
            + (f"，以及 {MANUAL_REPORTS} 中它的元数据修正" if self.override_removed else "")
            + "。"
        ]
        return out


def set_report(
    folder: str | Path,
    report_id: str,
    *,
    unit: str | None = None,
    district: str | None = None,
    level: str | None = None,
    year: object = None,
    title: str | None = None,
    confirm: bool = False,
    reason: str = "",
) -> ReportEdit:
    """Change one report's metadata in a dataset folder and record the fix by its content.

    Its report_id follows the new district, unit and year in all three tables, in the manual
    corrections and in the manifest; the fields given become ``override`` (no longer guessed).
    ``confirm`` marks the fields still guessed as checked, keeping their values. Raises
    ``LawnbError`` for an unknown report_id (naming close ones), a bad value, or a new
    report_id that another report already has.
    """
    folder = Path(folder)
    values = checked_values(unit=unit, district=district, level=level, year=year, title=title)
    if not values and not confirm:
        raise LawnbError(
            "没有要修改的内容。请至少给出 --unit、--district、--level、--year、--title 之一，"
            "或用 --confirm 确认推测的字段。"
        )
    with writing(folder):
        dataset = _load(folder)
        index = _find(dataset, report_id, folder)
        return _set(dataset, folder, index, values, confirm, reason or "lawnb reports set")


def _set(
    dataset: Dataset,
    folder: Path,
    index: int,
    values: dict[str, object],
    confirm: bool,
    reason: str,
) -> ReportEdit:
    row = records(dataset.reports.loc[[index]])[0]
    old_id = str(row["report_id"])
    sources = parse_meta_source(row.get("meta_source"))
    confirmed = []
    if confirm:
        for name in guessed_of(sources) or [g for g in str(row.get("guessed") or "").split()]:
            if name not in values:
                values[name] = "" if is_missing(row.get(name)) else row[name]
                confirmed.append(name)
    new = {name: row.get(name) for name in OVERRIDE_FIELDS}
    new.update(values)
    district = None if is_missing(new["district"]) else new["district"]
    new_id = make_report_id(district, new["unit"], new["year"])
    if new_id != old_id and (dataset.reports["report_id"] == new_id).any():
        raise LawnbError(
            f"数据集“{folder}”中已有报告 {new_id}，不能把 {old_id} 改成同一个编号。"
            f"若两者是同一份报告，请先用 `lawnb reports remove` 删除其中一份。"
        )
    if not values:
        return ReportEdit(folder, old_id, old_id, guessed=str(row.get("guessed") or ""))
    changes = {
        name: (row.get(name), value)
        for name, value in values.items()
        if name not in confirmed and _canon(row.get(name)) != _canon(value)
    }
    confirmed += [n for n in values if n not in changes and n not in confirmed]
    for name in values:
        sources[name] = "override"
    reports = dataset.reports.copy()
    for name, value in new.items():
        reports.at[index, name] = None if is_missing(value) else value
    reports.at[index, "report_id"] = new_id
    reports.at[index, "meta_source"] = meta_source_text(sources) or None
    guessed = " ".join(guessed_of(sources))
    reports.at[index, "guessed"] = guessed or None
    reports.at[index, "confidence"] = confidence_of(full_sources(sources))
    edit = ReportEdit(folder, old_id, new_id, changes, confirmed, guessed=guessed)

    corrections = dataset.corrections
    if new_id != old_id:
        dataset.sections = rename_reports(dataset.sections, {old_id: new_id})
        dataset.extracted_facts = rename_reports(stored_facts(dataset), {old_id: new_id})
        moved = corrections["report_id"] == old_id
        edit.corrections_moved = int(moved.sum())
        corrections = corrections.copy()
        corrections.loc[moved, "report_id"] = new_id
        rename_imports(dataset.manifest, {old_id: new_id})
    dataset.reports = reports

    overrides = dataset.report_overrides
    sha256 = _content_hash(row)
    if sha256:
        overrides = with_override(overrides, sha256, new_id, values, reason)
        edit.recorded = True

    write_fixes = staged_fixes(
        folder,
        corrections=corrections if edit.corrections_moved else None,
        overrides=overrides if edit.recorded else None,
    )
    save_dataset(dataset, folder, write_extras=write_fixes)
    return edit


def remove_report(folder: str | Path, report_id: str) -> ReportRemoval:
    """Remove one report from a dataset folder with its sections, facts and manual corrections.

    Its recorded metadata fix goes too (unless another report has the same content), and so
    does its manifest import entry, so importing its file again adds it afresh.
    """
    folder = Path(folder)
    with writing(folder):
        dataset = _load(folder)
        index = _find(dataset, report_id, folder)
        row = records(dataset.reports.loc[[index]])[0]
        facts = stored_facts(dataset)
        removal = ReportRemoval(
            folder,
            report_id,
            sections=int((dataset.sections["report_id"] == report_id).sum()),
            facts=int((facts["report_id"] == report_id).sum()),
        )
        dataset.reports = dataset.reports.drop(index=index).reset_index(drop=True)
        dataset.sections = _without(dataset.sections, report_id)
        dataset.extracted_facts = _without(facts, report_id)
        corrections = dataset.corrections
        mine = corrections["report_id"] == report_id
        removal.corrections = int(mine.sum())
        corrections = corrections[~mine]
        forget_imports(dataset.manifest, [report_id])
        overrides = dataset.report_overrides
        sha256 = _content_hash(row)
        still_there = sha256 and (dataset.reports["sha256"] == sha256).any()
        if sha256 and not still_there and (overrides["sha256"] == sha256).any():
            overrides = overrides[overrides["sha256"] != sha256]
            removal.override_removed = True

        write_fixes = staged_fixes(
            folder,
            corrections=corrections if removal.corrections else None,
            overrides=overrides if removal.override_removed else None,
        )
        save_dataset(dataset, folder, write_extras=write_fixes)
    return removal


def _content_hash(row: dict) -> str:
    """The sha256 of a report's text ("" for a report from an analysts' table)."""
    return "" if is_missing(row.get("sha256")) else str(row["sha256"])


def _without(frame: pd.DataFrame, report_id: str) -> pd.DataFrame:
    return frame[frame["report_id"] != report_id].reset_index(drop=True)


def _load(folder: Path) -> Dataset:
    if not (folder / "reports.csv").exists():
        raise DatasetError(
            f"{folder}: 不是数据集文件夹（没有 reports.csv）。请检查 --dataset，"
            f"或先运行 `lawnb import 报告文件 --dataset {folder}`。"
        )
    return load_dataset(folder)


def _find(dataset: Dataset, report_id: str, folder: Path) -> int:
    """The row index of a report_id; ``DatasetError`` naming the dataset and close ids."""
    ids = dataset.reports["report_id"].astype(str).tolist()
    if report_id in ids:
        return int(dataset.reports.index[ids.index(report_id)])
    close = difflib.get_close_matches(report_id, ids, n=5, cutoff=0.4)
    if close:
        hint = f"相近的报告编号：{'、'.join(close)}。"
    elif ids:
        hint = f"已有报告编号：{'、'.join(ids[:10])}{' 等' if len(ids) > 10 else ''}。"
    else:
        hint = "数据集中还没有报告。"
    raise DatasetError(
        f"数据集“{folder}”中没有报告编号“{report_id}”。{hint}"
        f"报告编号的形式为“区县/单位/年度”；运行 `lawnb reports list --dataset {folder}` 查看全部。"
    )


def _canon(value: object) -> str:
    return "" if is_missing(value) else str(value).strip()


def _shown(value: object) -> str:
    return "（空）" if is_missing(value) else str(value)
